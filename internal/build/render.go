package build

import (
	"cmp"
	"strings"

	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"path/filepath"

	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/infile"
	"github.com/policypack/policypack/internal/markdown"
)

// RenderedFile is one output file, rendered in memory. Run writes them;
// a preview server can serve them without touching the disk.
type RenderedFile struct {
	Path   string // relative to the output folder, slash-separated: "<school>/forms/<id>.html"
	School string // school id
	Policy string // policy id; "" for a school-wide report
	Doc    string // policy id, form id or report id
	Kind   string // "policy", "form", "pack" or "report"
	Title  string // the document's title
	Format string // "md", "html", ... or a report's format
	Data   []byte
}

// Report is an extra per-school file beside the documents, such as the
// statutory coverage report. It is written to <school>/<ID>.<Format>,
// listed in the manifest with kind "report", and the dashboard gives it a
// column headed Title linking each school's copy. A Session makes its list
// once, in Open (see Session.Reports).
type Report struct {
	ID     string // file name without extension; lowercase and hyphens
	Title  string // dashboard column header, e.g. "Coverage"
	Format string // file extension, e.g. "html"
	Render func(s *config.School, docs []compose.Output) ([]byte, error)
}

// RenderSchool renders one of the session's schools' composed documents in
// formats, then (with PDF) the school's bound pack, then the session's
// reports, in memory and in a stable order.
// Word documents take the trust's reference styles (see DOCXOptions).
func (sess *Session) RenderSchool(s *config.School, docs []compose.Output, formats []string) ([]RenderedFile, error) {
	logo := sess.Logo(s)
	var files []RenderedFile
	parsed := make([]*markdown.Document, len(docs))
	for i, o := range docs {
		meta := o.Meta
		meta.Logo, meta.LogoType = logo.Data, logo.Type
		doc := markdown.Parse(o.Markdown, meta)
		parsed[i] = doc
		for _, f := range formats {
			render, ok := renderers[f]
			if !ok {
				return nil, fmt.Errorf("unknown format %q", f)
			}
			if f == "docx" {
				render = sess.docx.Render
			}
			data, err := render(doc)
			if err != nil {
				return nil, fmt.Errorf("%s: %s (%s): %w", s.Source.File(), o.Path, f, err)
			}
			file := docFile(s, o, f)
			file.Data = data
			files = append(files, file)
		}
	}
	if hasPack(formats) && len(docs) > 0 {
		data, err := renderPack(s, docs, parsed)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", s.Source.File(), PackID+".pdf", err)
		}
		file := packFile(s)
		file.Data = data
		files = append(files, file)
	}
	for _, r := range sess.reports {
		data, err := r.Render(s, docs)
		if err != nil {
			return nil, fmt.Errorf("%s: %s report: %w", s.Source.File(), r.ID, err)
		}
		file := reportFile(s, r)
		file.Data = data
		files = append(files, file)
	}
	return files, nil
}

// docFile names one document's file in one format: where RenderSchool
// puts it and what the manifest says of it. Its Data is left to the
// caller.
func docFile(s *config.School, o compose.Output, format string) RenderedFile {
	return RenderedFile{Path: s.ID + "/" + o.Path + "." + format, School: s.ID, Policy: o.Policy.ID, Doc: o.ID,
		Kind: o.Kind, Title: o.Meta.Title, Format: format}
}

// reportFile names a school's report file, as docFile a document's.
func reportFile(s *config.School, r Report) RenderedFile {
	return RenderedFile{Path: s.ID + "/" + r.ID + "." + r.Format, School: s.ID, Doc: r.ID,
		Kind: "report", Title: r.Title, Format: r.Format}
}

// Logo is a school's logo as the renderers embed it.
type Logo struct {
	Data []byte // nil for no logo
	Type string // "png" or "jpg"
}

// Logo returns a school's logo, prepared when the session was opened (the
// zero logo for none).
func (sess *Session) Logo(s *config.School) Logo {
	return sess.logos[s.ID]
}

// loadLogos reads and checks every school's logo, reporting every bad one.
// Schools that share a logo file (a trust's often do) share its prepared
// bytes, flattened once: the cache lives as long as the session, not the
// process, so a preview server reloading after each save does not grow.
func loadLogos(schools []*config.School, schoolsDir string) (map[string]Logo, error) {
	logos := map[string]Logo{}
	flat := map[[sha256.Size]byte][]byte{}
	var errs []error
	for _, s := range schools {
		data, typ, err := loadLogo(s, schoolsDir, flat)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if data != nil {
			logos[s.ID] = Logo{Data: data, Type: typ}
		}
	}
	return logos, errors.Join(errs...)
}

// loadLogo reads the school's logo (relative to the schools folder, and
// never outside it) and checks it is a PNG or JPEG. A PNG with transparency
// is flattened onto white once here: fpdf would otherwise split out and
// recompress its alpha channel in every document that prints it. flat
// holds PNGs already flattened, by the sha256 of their file.
func loadLogo(s *config.School, schoolsDir string, flat map[[sha256.Size]byte][]byte) ([]byte, string, error) {
	if s.Logo == "" {
		return nil, "", nil
	}
	file, line := s.Source.Pos("logo")
	bad := func(msg, hint string, err error) ([]byte, string, error) {
		return nil, "", &diag.Error{File: file, Line: line, Key: "logo", Msg: msg, Hint: hint, Err: err}
	}
	dir, _ := filepath.Abs(schoolsDir)
	if !within(dir, filepath.Join(dir, filepath.FromSlash(s.Logo))) {
		return bad(fmt.Sprintf("%q is outside the schools folder", s.Logo), "keep logos beside the configs, e.g. logos/school.png", nil)
	}
	// Read as a regular file inside the schools folder, bounded: a FIFO
	// would block for ever, a link could lead anywhere.
	data, err := infile.Read(dir, s.Logo, MaxLogoBytes)
	if err != nil {
		var de *diag.Error
		if errors.As(err, &de) {
			return bad(fmt.Sprintf("%s: %s", s.Logo, de.Msg), cmp.Or(de.Hint, "the path is relative to the schools folder"), err)
		}
		return bad(err.Error(), "the path is relative to the schools folder", err)
	}
	var kind string
	switch {
	case len(data) > 8 && string(data[1:4]) == "PNG":
		kind = "png"
	case len(data) > 3 && data[0] == 0xFF && data[1] == 0xD8:
		kind = "jpg"
	default:
		return bad(s.Logo+" is not a PNG or JPEG image", "save it as PNG or JPEG", nil)
	}
	// The header first: a small file that claims a huge image (a "PNG
	// bomb") is refused before a pixel is allocated.
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return bad(fmt.Sprintf("%s is not a readable %s image: %v", s.Logo, strings.ToUpper(kind), err), "save it again as PNG or JPEG", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxLogoSide || cfg.Height > maxLogoSide || cfg.Width*cfg.Height > MaxLogoPixels {
		return bad(fmt.Sprintf("%s is %d×%d pixels, more than the %d pixels a logo may have", s.Logo, cfg.Width, cfg.Height, MaxLogoPixels),
			"a logo prints a few centimetres wide: scale it to at most 2000 pixels a side", nil)
	}
	if kind == "png" {
		key := sha256.Sum256(data)
		if f, ok := flat[key]; ok {
			return f, "png", nil
		}
		f, err := flattenPNG(data)
		if err != nil {
			return bad(fmt.Sprintf("%s is not a readable PNG image: %v", s.Logo, err), "save it again as PNG or JPEG", err)
		}
		flat[key] = f
		return f, "png", nil
	}
	// fpdf embeds a JPEG as it is: decode it once so a truncated or
	// broken file is found now, not halfway through drawing a PDF.
	if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
		return bad(fmt.Sprintf("%s is not a readable JPEG image: %v", s.Logo, err), "save it again as PNG or JPEG", err)
	}
	return data, "jpg", nil
}

// Bounds on a logo. It prints a few centimetres wide, so 2,000 pixels a
// side is plenty.
const (
	MaxLogoBytes  = 4 << 20
	MaxLogoPixels = 2000 * 2000
	maxLogoSide   = 8000
)

// flattenPNG decodes a PNG logo and encodes it again as what fpdf embeds
// without further work: 8-bit RGB, not interlaced, no alpha channel (a
// transparent background becomes white). fpdf would otherwise split out and
// recompress an alpha channel in every document, and fails outright, in the
// middle of a build, on an interlaced PNG.
func flattenPNG(data []byte) ([]byte, error) {
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	rgb := image.NewNRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA() // premultiplied, 16-bit
			// Over white: c + (1 - a) * white.
			over := func(c uint32) uint8 { return uint8((c + (0xffff - a)) >> 8) }
			i := rgb.PixOffset(x, y)
			rgb.Pix[i], rgb.Pix[i+1], rgb.Pix[i+2], rgb.Pix[i+3] = over(r), over(g), over(bl), 0xff
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, opaqueImage{rgb}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// opaqueImage tells image/png that every pixel is opaque, so it writes an
// RGB PNG rather than RGBA.
type opaqueImage struct{ *image.NRGBA }

func (opaqueImage) Opaque() bool { return true }
