package pdf

import (
	"bytes"
	"fmt"
	"sync"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// style selects one face of the embedded font family.
type style uint8

const (
	stRegular style = iota
	stBold
	stItalic
	stBoldItalic
	stMono
	numStyles
)

// face is one embedded TrueType face with the metrics the layout needs,
// parsed once per process so that measuring text never touches fpdf.
type face struct {
	name string // human name for error messages, "Go Regular"
	// family is the fpdf family name. Every face is its own family with
	// the "" style so SetFont never has to combine family and style
	// strings. The "sub" prefix makes fpdf's font name "utf8sub..." exactly
	// seven bytes longer than the name we want, which lets tagWriter
	// rewrite it in place to a PDF subset tag ("ABCDEF+") without moving
	// any byte offset.
	family string
	ttf    []byte
	// adv holds advance widths in 1/1000 em for every BMP rune, the same
	// rounding fpdf applies, so our line breaks match what fpdf draws.
	// 0 means the face has no (printable) glyph for the rune.
	adv     []uint16
	ascent  float64 // 1/1000 em, positive
	descent float64 // 1/1000 em, positive (below the baseline)
}

var faces = [numStyles]*face{
	stRegular:    {name: "Go Regular", family: "subgoregular", ttf: goregular.TTF},
	stBold:       {name: "Go Bold", family: "subgobold", ttf: gobold.TTF},
	stItalic:     {name: "Go Italic", family: "subgoitalic", ttf: goitalic.TTF},
	stBoldItalic: {name: "Go Bold Italic", family: "subgobolditalic", ttf: gobolditalic.TTF},
	stMono:       {name: "Go Mono", family: "subgomono", ttf: gomono.TTF},
}

var (
	fontsOnce sync.Once
	fontsErr  error
)

// loadFonts parses every face once per process. It is called lazily by
// Render and MissingGlyphs; after it returns, faces is read-only and safe to
// share between goroutines.
func loadFonts() error {
	fontsOnce.Do(func() {
		for _, fc := range faces {
			if err := fc.load(); err != nil {
				fontsErr = fmt.Errorf("pdf: embedded font %s: %w", fc.name, err)
				return
			}
		}
		fontsErr = checkWithFpdf()
	})
	return fontsErr
}

func (fc *face) load() error {
	f, err := sfnt.Parse(fc.ttf)
	if err != nil {
		return err
	}
	upem := float64(f.UnitsPerEm())
	if upem == 0 {
		return fmt.Errorf("units per em is 0")
	}
	var buf sfnt.Buffer
	ppem := fixed.I(int(f.UnitsPerEm()))
	m, err := f.Metrics(&buf, ppem, font.HintingNone)
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	fc.ascent = float64(m.Ascent) / 64 * 1000 / upem
	fc.descent = float64(m.Descent) / 64 * 1000 / upem
	fc.adv = make([]uint16, 0x10000)
	n := 0
	for r := rune(0x20); r < 0x10000; r++ {
		gi, err := f.GlyphIndex(&buf, r)
		if err != nil || gi == 0 {
			continue
		}
		a, err := f.GlyphAdvance(&buf, gi, ppem, font.HintingNone)
		if err != nil {
			return fmt.Errorf("advance of U+%04X: %w", r, err)
		}
		units := float64(a) / 64
		w := int(units*1000/upem + 0.5)
		// A zero-width glyph (a combining mark) cannot be placed by
		// fpdf, which gives it a width of 65535; treat it as missing.
		if w <= 0 || w > 0xFFFF {
			continue
		}
		fc.adv[r] = uint16(w)
		n++
	}
	if n < 95 {
		return fmt.Errorf("only %d printable characters", n)
	}
	for r := rune(0x20); r < 0x7F; r++ {
		if fc.adv[r] == 0 {
			return fmt.Errorf("no glyph for ASCII %q", r)
		}
	}
	return nil
}

// checkWithFpdf registers every face with a scratch fpdf document. fpdf
// reports a font it cannot parse only by printing to stdout and leaving the
// font unregistered, so a bad font must be caught here, once, rather than as
// a silently missing font in every document.
func checkWithFpdf() error {
	f := fpdf.New("P", "mm", "A4", "")
	for _, fc := range faces {
		f.AddUTF8FontFromBytes(fc.family, "", bytes.Clone(fc.ttf))
		if err := f.Error(); err != nil {
			return fmt.Errorf("pdf: embedded font %s: fpdf: %w", fc.name, err)
		}
		if d := f.GetFontDesc(fc.family, ""); d.Ascent == 0 {
			return fmt.Errorf("pdf: embedded font %s: fpdf could not register it", fc.name)
		}
		f.SetFont(fc.family, "", 10)
		// The widths we measure with must be the widths fpdf draws with.
		for _, r := range "Aa £€ŵŷŁł–—“”" {
			want := float64(fc.adv[r]) * 10 / 1000 * ptMM
			if got := f.GetStringWidth(string(r)); abs(got-want) > 1e-6 {
				return fmt.Errorf("pdf: embedded font %s: width of %q is %.4f mm in fpdf, %.4f mm measured", fc.name, r, got, want)
			}
		}
	}
	return f.Error()
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// printable reports whether the face can draw r.
func (fc *face) printable(r rune) bool {
	return r >= 0 && r < 0x10000 && fc.adv[r] != 0
}

// MissingGlyphs returns the runes of s that the embedded text fonts (Go
// Regular, Bold, Italic and Bold Italic) cannot print, each once, in order of
// first appearance. Runes outside the Basic Multilingual Plane (emoji) are
// always missing. Newlines and tabs are layout, not glyphs, and are never
// reported. The build step uses it to report a config value that could not
// appear in the PDF before rendering; Render itself returns an error for any
// such rune.
func MissingGlyphs(s string) []rune {
	if err := loadFonts(); err != nil {
		// Without fonts nothing prints; report every rune so the caller
		// never believes the text is safe.
		return uniqueRunes(s, func(rune) bool { return true })
	}
	return uniqueRunes(s, func(r rune) bool {
		if r == '\n' || r == '\r' || r == '\t' {
			return false
		}
		for st := stRegular; st <= stBoldItalic; st++ {
			if !faces[st].printable(r) {
				return true
			}
		}
		return false
	})
}

func uniqueRunes(s string, missing func(rune) bool) []rune {
	var out []rune
	for _, r := range s {
		if !missing(r) {
			continue
		}
		seen := false
		for _, o := range out {
			if o == r {
				seen = true
				break
			}
		}
		if !seen {
			out = append(out, r)
		}
	}
	return out
}
