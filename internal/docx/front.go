package docx

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // logo formats
	_ "image/png"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/policypack/policypack/internal/markdown"
)

// collectHeadings lists every heading before writing, so the contents list
// knows its entries and links know their bookmarks. The title block and
// the contents list are nodes of their own (compose hands them on as data);
// each gets a bookmark, so a link to "#contents" works.
func (r *renderer) collectHeadings() {
	var all []ast.Node
	top := 7
	_ = ast.Walk(r.doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			top = min(top, n.Level)
		case *markdown.TitleBlock, *markdown.Contents:
		default:
			return ast.WalkContinue, nil
		}
		all = append(all, n)
		return ast.WalkSkipChildren, nil
	})
	// Word heading levels start at 1: a policy's "##" sections are
	// Heading 1 in Word's navigation pane, under the title.
	prev := 0
	for _, n := range all {
		hd := &heading{}
		switch n := n.(type) {
		case *ast.Heading:
			hd.level, hd.text = n.Level, strings.TrimSpace(oneLine(r.doc.Text(n)))
			if v, ok := n.AttributeString("id"); ok {
				if b, ok := v.([]byte); ok {
					hd.id = string(b)
				}
			}
			// Word's outline must not skip levels: a "####" straight
			// under a "##" is one level down.
			hd.word = min(max(n.Level-top+1, 1), prev+1, 6)
			prev = hd.word
		case *markdown.TitleBlock:
			hd.text, hd.id, hd.isTitle = r.doc.Meta.Title, "title", true
		case *markdown.Contents:
			hd.text, hd.id, hd.isContents = markdown.ContentsTitle, markdown.ContentsID, true
		}
		if hd.id != "" {
			hd.bookmark = bookmarkName(hd.id, r.usedBM)
			if _, dup := r.byID[hd.id]; !dup {
				r.byID[hd.id] = hd
			}
		}
		r.headings = append(r.headings, hd)
		r.byNode[n] = hd
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// bookmarkName turns a heading id into a Word bookmark name: at most 40
// letters, digits and underscores, starting with a letter (Word drops or
// renames other names), unique in the document.
func bookmarkName(id string, used map[string]bool) string {
	var b strings.Builder
	for _, c := range id {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			b.WriteRune(c)
		default:
			b.WriteByte('_')
		}
	}
	name := b.String()
	if name == "" || !(name[0] >= 'a' && name[0] <= 'z' || name[0] >= 'A' && name[0] <= 'Z') {
		name = "h_" + name
	}
	if len(name) > 40 {
		name = name[:40]
	}
	base := name
	for i := 2; used[name]; i++ {
		suffix := "_" + strconv.Itoa(i)
		name = base[:min(len(base), 40-len(suffix))] + suffix
	}
	used[name] = true
	return name
}

// titleBlockNode writes the title block, laid out from the document's
// record (Meta), not from the Markdown the title-block partial wrote: the
// logo beside the school's name, the title, and for a policy its review
// record as a table, for a form a one-line summary; then the notice the
// policy's state calls for (a review overdue or due today).
func (r *renderer) titleBlockNode(n ast.Node) {
	m := r.doc.Meta
	titleBM := r.byNode[n].bookmark
	qr, err := r.qrCode()
	if err != nil {
		r.fail(err)
		return
	}
	if r.logo != nil || qr != nil {
		r.logoAndSchool(qr)
	} else if m.School != "" {
		r.para(pPr{style: "Subtitle"}, func() { writeRun(&r.b, runProps{}, m.School) })
	}
	var title runProps
	if m.Form {
		// A form's title is smaller, as in the PDF: a form should fit
		// one page with its signatures.
		title.size = 36
	}
	r.para(pPr{style: "Title"}, func() {
		r.bookmarked(titleBM, func() { writeRun(&r.b, title, m.Title) })
	})
	if m.Form {
		// A form's own version line: never a review date or notice.
		if v := markdown.VersionLine(m); v != "" {
			r.para(pPr{style: "DocumentInfo"}, func() { writeRun(&r.b, runProps{muted: true}, v) })
		}
		return
	}
	r.reviewTable()
	if notice := m.State.Notice(m.NextReview); notice != "" {
		r.para(pPr{style: "Notice"}, func() {
			writeRun(&r.b, runProps{bold: true}, notice+".")
			writeRun(&r.b, runProps{}, " "+m.State.Action(m.Noun))
		})
	}
}

// reviewTable is a policy's review record, as far as it is known
// (markdown.RecordRows): nothing is printed for what is not.
func (r *renderer) reviewTable() {
	m := r.doc.Meta
	const labelW = 2381 // 42 mm, as the PDF
	// Table properties in the schema's order (Word reports a file with
	// them out of order as damaged).
	r.b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="` + strconv.Itoa(contentW) + `" w:type="dxa"/>` +
		`<w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="A5A5A5"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="A5A5A5"/>` +
		`<w:insideH w:val="single" w:sz="4" w:space="0" w:color="A5A5A5"/></w:tblBorders><w:tblLayout w:type="fixed"/>` +
		`<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="57" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>` +
		`<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>` +
		`<w:tblGrid><w:gridCol w:w="` + strconv.Itoa(labelW) + `"/><w:gridCol w:w="` + strconv.Itoa(contentW-labelW) + `"/></w:tblGrid>`)
	for _, f := range markdown.RecordRows(m) {
		v, p := f[1], runProps{}
		r.b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		r.cell(labelW, "", func() {
			r.para(pPr{style: "TableText"}, func() { writeRun(&r.b, runProps{bold: true}, f[0]) })
		})
		r.cell(contentW-labelW, "", func() {
			r.para(pPr{style: "TableText"}, func() { writeRun(&r.b, p, v) })
		})
		r.b.WriteString(`</w:tr>`)
	}
	r.b.WriteString(`</w:tbl>`)
	r.spacer()
}

// cell writes one table cell of width w twips with extra tcPr content.
func (r *renderer) cell(w int, tcPr string, body func()) {
	r.b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="` + strconv.Itoa(w) + `" w:type="dxa"/>` + tcPr + `</w:tcPr>`)
	saved := r.inCell
	r.inCell = true
	body()
	r.inCell = saved
	r.b.WriteString(`</w:tc>`)
}

// spacer ends a table: Word needs a paragraph between two tables (or they
// merge into one), and it gives the space after the table.
func (r *renderer) spacer() {
	r.b.WriteString(`<w:p><w:pPr><w:pStyle w:val="TableSpacer"/></w:pPr></w:p>`)
}

// contentsNode writes the contents list from compose's entries, each a
// link to its heading's bookmark, then starts the body on a new page. Page
// numbers are left to Word, whose own table of contents (References ›
// Table of Contents) finds every heading by its style: a .docx is laid
// out by its reader, so any number written here could be wrong. A form
// has no contents list.
func (r *renderer) contentsNode(n ast.Node) {
	c := n.(*markdown.Contents)
	if r.doc.Meta.Form || len(c.Entries) == 0 {
		return
	}
	r.para(pPr{style: "TOCHeading"}, func() {
		r.bookmarked(r.byNode[n].bookmark, func() { writeRun(&r.b, runProps{}, markdown.ContentsTitle) })
	})
	for _, e := range c.Entries {
		level := min(max(e.Level, 1), 3)
		if e.Appendix {
			level = 1
		}
		r.para(pPr{style: "TOC" + strconv.Itoa(level)}, func() {
			hd, ok := r.byID[e.ID]
			if !ok || hd.bookmark == "" {
				writeRun(&r.b, runProps{}, e.Label())
				return
			}
			r.b.WriteString(`<w:hyperlink w:anchor="` + esc(hd.bookmark) + `" w:history="1">`)
			writeRun(&r.b, runProps{}, e.Label())
			r.b.WriteString(`</w:hyperlink>`)
		})
	}
	r.pageBreak()
}

type logoInfo struct {
	name, rid string // media file name and relationship id
	data      []byte
	w, h      int // pixels, for the aspect ratio
}

func (r *renderer) loadLogo() error {
	m := r.doc.Meta
	if len(m.Logo) == 0 {
		return nil
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(m.Logo))
	if err != nil {
		return fmt.Errorf("docx: %s: logo: %w\n\thint: save the logo as PNG or JPEG", m.Title, err)
	}
	ext := map[string]string{"png": "png", "jpeg": "jpeg"}[format]
	if ext == "" {
		return fmt.Errorf("docx: %s: logo is %s data, not PNG or JPEG", m.Title, format)
	}
	if want := map[string]string{"png": "png", "jpg": "jpeg", "jpeg": "jpeg"}[m.LogoType]; want != ext {
		return fmt.Errorf("docx: %s: logo is %s data but its type says %q", m.Title, format, m.LogoType)
	}
	if cfg.Width == 0 || cfg.Height == 0 {
		return fmt.Errorf("docx: %s: logo has no pixels", m.Title)
	}
	rid := "rId" + strconv.Itoa(firstFreeRel+len(r.rels))
	r.rels = append(r.rels, rel{id: rid, typ: relImage, target: "media/logo." + ext})
	r.logo = &logoInfo{name: "logo." + ext, rid: rid, data: m.Logo, w: cfg.Width, h: cfg.Height}
	return nil
}

// logoAndSchool writes the logo and the school's name side by side, in a
// table without borders so the name is centred on the logo's height; a
// form's QR code, with its address, takes the right-hand end.
func (r *renderer) logoAndSchool(qr *picture) {
	const emuMM = 36000
	var logoW int // twips, with a gap before the name
	var logo *picture
	if r.logo != nil {
		hMM, wMM := 18.0, 18.0*float64(r.logo.w)/float64(r.logo.h)
		if r.doc.Meta.Form {
			hMM, wMM = 13, 13*float64(r.logo.w)/float64(r.logo.h)
		}
		if wMM > 60 {
			wMM, hMM = 60, 60*float64(r.logo.h)/float64(r.logo.w)
		}
		logo = &picture{rid: r.logo.rid, name: r.logo.name, descr: r.doc.Meta.School + " logo", cx: int(wMM * emuMM), cy: int(hMM * emuMM)}
		logoW = int(wMM*56.7) + 170
	}
	qrW := 0
	if qr != nil {
		qrW = 2835 // 50 mm: the code and its address
	}
	schoolW := contentW - logoW - qrW
	r.b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="` + strconv.Itoa(contentW) + `" w:type="dxa"/><w:tblLayout w:type="fixed"/>` +
		`<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>` +
		`<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, w := range []int{logoW, schoolW, qrW} {
		if w > 0 {
			r.b.WriteString(`<w:gridCol w:w="` + strconv.Itoa(w) + `"/>`)
		}
	}
	r.b.WriteString(`</w:tblGrid><w:tr>`)
	if logo != nil {
		r.cell(logoW, `<w:vAlign w:val="center"/>`, func() {
			r.b.WriteString(`<w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr>`)
			r.drawing(logo)
			r.b.WriteString(`</w:p>`)
		})
	}
	r.cell(schoolW, `<w:vAlign w:val="center"/>`, func() {
		r.para(pPr{style: "Subtitle"}, func() { writeRun(&r.b, runProps{}, r.doc.Meta.School) })
	})
	if qr != nil {
		r.cell(qrW, `<w:vAlign w:val="center"/>`, func() {
			r.para(pPr{style: "TableText", jc: "right"}, func() {
				r.b.WriteString(`<w:hyperlink r:id="` + r.linkRel(r.doc.Meta.QR) + `" w:history="1">`)
				r.drawing(qr)
				r.b.WriteString(`</w:hyperlink>`)
			})
			r.para(pPr{style: "TableText", jc: "right"}, func() {
				r.b.WriteString(`<w:hyperlink r:id="` + r.linkRel(r.doc.Meta.QR) + `" w:history="1">`)
				writeRun(&r.b, runProps{link: true, size: 16}, r.doc.Meta.QR)
				r.b.WriteString(`</w:hyperlink>`)
			})
		})
	}
	r.b.WriteString(`</w:tr></w:tbl>`)
	r.spacer()
}

// picture is an image placed inline: a media part, its size in EMU and a
// description for screen readers.
type picture struct {
	rid, name, descr string
	cx, cy           int
}

// drawing writes an inline picture as a run. Each gets its own drawing
// id, which Word requires to be unique in the document.
func (r *renderer) drawing(im *picture) {
	r.drawings++
	id := strconv.Itoa(r.drawings)
	cx, cy := strconv.Itoa(im.cx), strconv.Itoa(im.cy)
	r.b.WriteString(`<w:r><w:drawing>` +
		`<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="` + cx + `" cy="` + cy + `"/>` +
		`<wp:docPr id="` + id + `" name="` + esc(im.name) + `" descr="` + esc(im.descr) + `"/>` +
		`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>` +
		`<pic:nvPicPr><pic:cNvPr id="` + id + `" name="` + esc(im.name) + `"/><pic:cNvPicPr/></pic:nvPicPr>` +
		`<pic:blipFill><a:blip r:embed="` + im.rid + `"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="` + cx + `" cy="` + cy + `"/></a:xfrm>` +
		`<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`)
}
