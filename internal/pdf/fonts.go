package pdf

import (
	"bytes"
	"fmt"
	"sync"

	"codeberg.org/go-pdf/fpdf"
	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/liberation/liberationmonoregular"
	"github.com/go-fonts/liberation/liberationsansbold"
	"github.com/go-fonts/liberation/liberationsansbolditalic"
	"github.com/go-fonts/liberation/liberationsansitalic"
	"github.com/go-fonts/liberation/liberationsansregular"
	"golang.org/x/image/font"
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
	// stSymbol is the face for the few symbols the text faces lack (tick
	// boxes and check marks); text in any style falls back to it.
	stSymbol
	numStyles
)

// face is one embedded TrueType face with the metrics the layout needs,
// parsed once per process so that measuring text never touches fpdf.
type face struct {
	name string // human name for error messages, "Liberation Sans"
	// family is the fpdf family name. Every face is its own family with
	// the "" style so SetFont never has to combine family and style
	// strings. The "sub" prefix makes fpdf's font name "utf8sub..." exactly
	// seven bytes longer than the name we want, which lets tagWriter
	// rewrite it in place to a PDF subset tag ("ABCDEF+") without moving
	// any byte offset.
	family string
	// full is the face as published; ttf is full cut to cutset, the
	// characters of the repertoire the face has: the bytes every document
	// registers with fpdf. A face is cut once per process, when a
	// document first draws with it (a build rarely uses italic or mono),
	// by cut.
	full    []byte
	ranges  [][2]rune // the repertoire to cut to; nil for repertoire
	cutset  []rune
	cutOnce sync.Once
	ttf     []byte
	cutErr  error
	// adv holds advance widths in 1/1000 em for every BMP rune, the same
	// rounding fpdf applies, so our line breaks match what fpdf draws.
	// 0 means the face has no (printable) glyph for the rune.
	adv     []uint16
	ascent  float64 // 1/1000 em, positive
	descent float64 // 1/1000 em, positive (below the baseline)
}

// faces are Liberation Sans (metric-compatible with the Arial school
// documents are written in, SIL Open Font License 1.1, which allows
// embedding and redistribution) and Liberation Mono for code.
var faces = [numStyles]*face{
	stRegular:    {name: "Liberation Sans", family: "subliberationsans", full: liberationsansregular.TTF},
	stBold:       {name: "Liberation Sans Bold", family: "subliberationsansbold", full: liberationsansbold.TTF},
	stItalic:     {name: "Liberation Sans Italic", family: "subliberationsansitalic", full: liberationsansitalic.TTF},
	stBoldItalic: {name: "Liberation Sans Bold Italic", family: "subliberationsansbolditalic", full: liberationsansbolditalic.TTF},
	stMono:       {name: "Liberation Mono", family: "subliberationmono", full: liberationmonoregular.TTF},
	// DejaVu Sans (Bitstream Vera licence: embedding and redistribution
	// allowed) has the ballot boxes and check marks Liberation Sans lacks.
	stSymbol: {name: "DejaVu Sans", family: "subdejavusans", full: dejavusans.TTF, ranges: symbolRepertoire},
}

// symbolRepertoire is what the symbol face is cut to: ☐ ☑ ☒ and ✓ ✔ ✕ ✖ ✗ ✘.
var symbolRepertoire = [][2]rune{{0x2610, 0x2612}, {0x2713, 0x2718}}

// repertoire is what a face is cut to: Latin-1, Latin Extended-A and -B
// (Welsh ŵ ŷ, Polish ł, Romanian ș ț), the Welsh letters of Latin Extended
// Additional (ẁ ẃ ẅ ỳ), Greek and Cyrillic (pupils' and parents' names), the
// spacing accents, general punctuation (’ “ ” – — • …), super- and
// subscripts, currency (€), letterlike symbols (№ ™), arrows, mathematical
// operators (−), box drawing, geometric shapes (the list bullets ◦ ▪), and
// the miscellaneous symbols and f-ligatures: everything the Go fonts this
// replaced could print, so no name that printed before stops printing.
// fpdf re-reads the whole font file on every registration, once per
// document and face, so a face cut once per process to this (about 170 KB
// rather than 410 KB) keeps that cost down; a character outside it is
// reported as missing, like one the face does not have at all.
var repertoire = [][2]rune{
	{0x20, 0x7E}, {0xA0, 0x24F}, {0x2B0, 0x2FF}, {0x370, 0x4FF},
	{0x1E80, 0x1E85}, {0x1EF2, 0x1EF3},
	{0x2000, 0x206F}, {0x2070, 0x209F}, {0x20A0, 0x20CF}, {0x2100, 0x22FF},
	{0x2500, 0x25FF}, {0x2600, 0x26FF}, {0xFB00, 0xFB06},
}

var (
	fontsOnce sync.Once
	fontsErr  error
)

// loadFonts reads every face's metrics once per process. It is called
// lazily by Render and MissingGlyphs; after it returns, faces is read-only
// (but for each face's cut, made once under its own sync.Once) and safe to
// share between goroutines.
func loadFonts() error {
	fontsOnce.Do(func() {
		for _, fc := range faces {
			if err := fc.load(); err != nil {
				fontsErr = fmt.Errorf("pdf: embedded font %s: %w", fc.name, err)
				return
			}
		}
	})
	return fontsErr
}

// load reads the metrics of the face as published. The widths of the cut
// face are the same (cut checks that, rune by rune, against fpdf), so the
// layout never has to wait for a cut.
func (fc *face) load() error {
	f, err := sfnt.Parse(fc.full)
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
	fc.cutset = fc.cutset[:0]
	ranges := fc.ranges
	if ranges == nil {
		ranges = repertoire
	}
	for _, rg := range ranges {
		for r := rg[0]; r <= rg[1]; r++ {
			gi, err := f.GlyphIndex(&buf, r)
			if err != nil || gi == 0 {
				continue
			}
			a, err := f.GlyphAdvance(&buf, gi, ppem, font.HintingNone)
			if err != nil {
				return fmt.Errorf("advance of U+%04X: %w", r, err)
			}
			w := int(float64(a)/64*1000/upem + 0.5)
			// A zero-width glyph (a combining mark) cannot be placed
			// by fpdf, which gives it a width of 65535; treat it as
			// missing.
			if w <= 0 || w > 0xFFFF {
				continue
			}
			fc.adv[r] = uint16(w)
			fc.cutset = append(fc.cutset, r)
		}
	}
	if fc.ranges != nil {
		// A fallback face: every symbol it is for must be there.
		for _, rg := range fc.ranges {
			for r := rg[0]; r <= rg[1]; r++ {
				if fc.adv[r] == 0 {
					return fmt.Errorf("no glyph for %q", r)
				}
			}
		}
		return nil
	}
	if len(fc.cutset) < 95 {
		return fmt.Errorf("only %d printable characters", len(fc.cutset))
	}
	for r := rune(0x20); r < 0x7F; r++ {
		if fc.adv[r] == 0 {
			return fmt.Errorf("no glyph for ASCII %q", r)
		}
	}
	return nil
}

// cut cuts the face to its cutset, once per process, and registers the
// cut bytes with a scratch fpdf document: fpdf reports a font it cannot
// parse only by printing to stdout and leaving the font unregistered, so a
// bad cut must be caught here, once, rather than as a silently missing font
// in every document. Every character's width in fpdf must be the width the
// layout measured.
func (fc *face) cut() error {
	fc.cutOnce.Do(func() {
		ttf := fpdf.UTF8CutFont(fc.full, string(fc.cutset))
		f := fpdf.New("P", "mm", "A4", "")
		f.AddUTF8FontFromBytes(fc.family, "", bytes.Clone(ttf))
		if err := f.Error(); err != nil {
			fc.cutErr = fmt.Errorf("pdf: embedded font %s: fpdf: %w", fc.name, err)
			return
		}
		if d := f.GetFontDesc(fc.family, ""); d.Ascent == 0 {
			fc.cutErr = fmt.Errorf("pdf: embedded font %s: fpdf could not register it", fc.name)
			return
		}
		f.SetFont(fc.family, "", 10)
		for _, r := range fc.cutset {
			want := float64(fc.adv[r]) * 10 / 1000 * ptMM
			if got := f.GetStringWidth(string(r)); abs(got-want) > 1e-6 {
				fc.cutErr = fmt.Errorf("pdf: embedded font %s: width of %q is %.4f mm in fpdf, %.4f mm measured", fc.name, r, got, want)
				return
			}
		}
		if err := f.Error(); err != nil {
			fc.cutErr = fmt.Errorf("pdf: embedded font %s: fpdf: %w", fc.name, err)
			return
		}
		fc.ttf = ttf
	})
	return fc.cutErr
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// faceFor is the face that draws r in style st: the style's own face, or
// the symbol face for a symbol only it has.
func faceFor(st style, r rune) style {
	if !faces[st].printable(r) && faces[stSymbol].printable(r) {
		return stSymbol
	}
	return st
}

// printable reports whether the face can draw r.
func (fc *face) printable(r rune) bool {
	return r >= 0 && r < 0x10000 && fc.adv[r] != 0
}

// MissingGlyphs returns the runes of s that the embedded text fonts
// (Liberation Sans regular, bold, italic and bold italic, as cut to the
// repertoire) cannot print, each once, in order of
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
			if !faces[faceFor(st, r)].printable(r) {
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
