// Package docx renders a parsed policypack document (the goldmark AST from
// internal/markdown) as a Word document (.docx, Office Open XML
// WordprocessingML), for schools, local authorities and governors who work
// in Word.
//
// It writes the small subset of WordprocessingML a policy needs, straight
// from the AST, with one function per node kind (blockFuncs, inlineFuncs),
// as goldmark's renderers and internal/pdf do: headings in Word's heading
// styles with a bookmark each (so Word's navigation pane and its own
// contents work), paragraphs and runs, lists through one numbering part,
// tables with a repeated header row, block quotes, page breaks, the logo,
// the title block, a contents list linked to the heading bookmarks, a
// running header and a footer with PAGE and NUMPAGES fields, and form
// fields. All text is escaped; text never becomes markup.
//
// The output is byte-identical for the same input: parts are written in a
// fixed order with fixed ZIP times, and the document's dates come from the
// document (or SOURCE_DATE_EPOCH), never from the clock.
package docx

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/yuin/goldmark/ast"

	"github.com/policypack/policypack/internal/markdown"
)

// Options changes how documents are rendered.
type Options struct {
	// Styles replaces the built-in styles part (word/styles.xml), so a
	// trust can set its house look in Word once; see StylesFromReference.
	// nil means the built-in styles.
	Styles []byte
}

// Render renders doc as a .docx file with the built-in styles. It is safe
// for concurrent use.
func Render(doc *markdown.Document) ([]byte, error) { return Options{}.Render(doc) }

// Render renders doc as a .docx file with o's styles. The same document
// and options always give the same bytes.
func (o Options) Render(doc *markdown.Document) ([]byte, error) {
	return o.render(doc.Meta, []*markdown.Document{doc}, false, false)
}

// RenderBook renders several documents into one .docx, each in a section of
// its own that starts on a new page (on an odd page with duplex, so each
// prints on its own sheets double-sided) and numbers its pages from 1:
// a form for every pupil of a roster, say. meta gives the file's
// properties; the running header and the footer show the first document's.
// Every document is expected to carry the same logo.
func RenderBook(meta markdown.Meta, docs []*markdown.Document, duplex bool) ([]byte, error) {
	return Options{}.RenderBook(meta, docs, duplex)
}

// RenderBook is RenderBook with o's styles.
func (o Options) RenderBook(meta markdown.Meta, docs []*markdown.Document, duplex bool) ([]byte, error) {
	if len(docs) == 0 {
		return nil, fmt.Errorf("docx: %s: no documents to write", meta.Title)
	}
	return o.render(meta, docs, true, duplex)
}

func (o Options) render(meta markdown.Meta, docs []*markdown.Document, book, duplex bool) ([]byte, error) {
	date := documentDate(meta.Created)
	r := newRenderer(docs[0])
	r.meta, r.book = meta, book
	for i, doc := range docs {
		r.start(doc)
		if r.logo == nil {
			if err := r.loadLogo(); err != nil {
				return nil, err
			}
		}
		r.collectHeadings()
		r.block(doc.Root)
		if r.err != nil {
			return nil, r.err
		}
		if i < len(docs)-1 {
			// The section ends in a paragraph of its own that carries
			// its properties; the next document starts a new section.
			r.b.WriteString(`<w:p><w:pPr><w:spacing w:after="0"/>` + r.sectPr(duplex) + `</w:pPr></w:p>`)
		}
	}
	r.final = r.sectPr(duplex)
	return r.pack(o.styles(), date)
}

// start resets the per-document state for the next document of a book;
// what the package shares (relationships, numbering, bookmark names and
// ids, the logo) carries on.
func (r *renderer) start(doc *markdown.Document) {
	r.doc, r.src = doc, doc.Source
	r.headings = nil
	r.byNode, r.byID = map[ast.Node]*heading{}, map[string]*heading{}
	r.lists, r.quote, r.inCell, r.hasNext, r.keepFirst = nil, 0, false, false, false
}

// documentDate is the document's fixed time, or 1 January 2000 when it
// has none: compose decides it, so the renderer reads no environment.
func documentDate(t time.Time) time.Time {
	if t.IsZero() {
		return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return t.UTC()
}

// heading is one heading of the document (or the title block or contents
// list): a bookmark that links reach, and a Word heading level.
type heading struct {
	level      int // Markdown level
	word       int // Word heading level (Heading1..Heading6)
	text       string
	id         string
	bookmark   string // Word bookmark name, "" when the heading has no id
	isTitle    bool   // the title block's
	isContents bool   // the contents list's
}

// renderer holds the state of one Render call; nothing is shared between
// calls.
type renderer struct {
	doc      *markdown.Document
	src      []byte
	b        bytes.Buffer // the body of word/document.xml
	rels     []rel        // the document part's relationships beyond the fixed ones
	relByURL map[string]string
	nums     []numInstance
	headings []*heading
	byNode   map[ast.Node]*heading
	byID     map[string]*heading
	logo     *logoInfo
	bmID     int // the next bookmark or revision id
	// footerText replaces the footer's review date (a redline's footer
	// says what it compares).
	footerText string
	meta       markdown.Meta     // the file's: core properties, header, footer
	book       bool              // several documents, a section each
	final      string            // the body's last w:sectPr
	usedBM     map[string]bool   // bookmark names given, across a book
	drawings   int               // drawing ids given (each must be unique)
	qrRels     map[string]string // QR code address -> image relationship
	media      []part            // images beside the logo (QR codes)
	err        error

	// block context
	lists     []*listCtx
	quote     int  // depth of block quotes
	inCell    bool // writing a table cell's paragraphs
	nextPara  pPr  // properties the next paragraph takes (a list item's number)
	hasNext   bool
	keepFirst bool // the next paragraph keeps with the one after (set by lead-ins)
}

func newRenderer(doc *markdown.Document) *renderer {
	r := &renderer{meta: doc.Meta, relByURL: map[string]string{}, usedBM: map[string]bool{}, qrRels: map[string]string{}}
	r.start(doc)
	return r
}

// fail records the first error; rendering carries on so the caller gets
// one clear message.
func (r *renderer) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// relID returns the relationship id for an external link, adding it once.
func (r *renderer) linkRel(url string) string {
	if id, ok := r.relByURL[url]; ok {
		return id
	}
	id := "rId" + strconv.Itoa(firstFreeRel+len(r.rels))
	r.rels = append(r.rels, rel{id: id, typ: relHyperlink, target: url, external: true})
	r.relByURL[url] = id
	return id
}

// The document part's fixed relationships; links and the logo follow.
const (
	ridStyles      = "rId1"
	ridNumbering   = "rId2"
	ridSettings    = "rId3"
	ridFontTable   = "rId4"
	ridHeader      = "rId5"
	ridFirstHeader = "rId6"
	ridFooter      = "rId7"
	firstFreeRel   = 8
)

func (r *renderer) pack(styles []byte, date time.Time) ([]byte, error) {
	m := r.meta
	lang := m.Lang
	if lang == "" {
		lang = "en-GB"
	}
	creator := m.Creator
	if creator == "" {
		creator = "policypack"
	}
	docRels := []rel{
		{id: ridStyles, typ: relStyles, target: "styles.xml"},
		{id: ridNumbering, typ: relNumbering, target: "numbering.xml"},
		{id: ridSettings, typ: relSettings, target: "settings.xml"},
		{id: ridFontTable, typ: relFontTable, target: "fontTable.xml"},
		{id: ridHeader, typ: relHeader, target: "header1.xml"},
		{id: ridFirstHeader, typ: relHeader, target: "header2.xml"},
		{id: ridFooter, typ: relFooter, target: "footer1.xml"},
	}
	docRels = append(docRels, r.rels...)
	parts := []part{
		{name: "_rels/.rels", data: relsXML([]rel{
			{id: "rId1", typ: relDoc, target: "word/document.xml"},
			{id: "rId2", typ: relCore, target: "docProps/core.xml"},
			{id: "rId3", typ: relApp, target: "docProps/app.xml"},
		})},
		{name: "docProps/core.xml", contentType: ctCore, data: coreXML(m.Title, m.School, m.Subject, lang, date)},
		{name: "docProps/app.xml", contentType: ctApp, data: appXML(creator)},
		{name: "word/document.xml", contentType: ctDocument, data: r.documentXML()},
		{name: "word/_rels/document.xml.rels", data: relsXML(docRels)},
		{name: "word/styles.xml", contentType: ctStyles, data: styles},
		{name: "word/numbering.xml", contentType: ctNumbering, data: r.numberingXML()},
		{name: "word/settings.xml", contentType: ctSettings, data: []byte(settingsXML(lang))},
		{name: "word/fontTable.xml", contentType: ctFontTable, data: []byte(fontTableXML)},
		{name: "word/header1.xml", contentType: ctHeader, data: r.headerXML()},
		{name: "word/header2.xml", contentType: ctHeader, data: []byte(emptyHeaderXML)},
		{name: "word/footer1.xml", contentType: ctFooter, data: r.footerXML()},
	}
	if r.logo != nil {
		parts = append(parts, part{name: "word/media/" + r.logo.name, data: r.logo.data})
	}
	parts = append(parts, r.media...)
	return pack(parts, date)
}

// Page geometry in twentieths of a point (twips): A4 with 20 mm side
// margins, as the PDF.
const (
	pageW    = 11906
	pageH    = 16838
	marginLR = 1134
	marginTB = 1247 // 22 mm
	contentW = pageW - 2*marginLR
)

func (r *renderer) documentXML() []byte {
	var b bytes.Buffer
	b.WriteString(xmlHeader + `<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"` +
		` xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"` +
		` xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"` +
		` xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>`)
	b.Write(r.b.Bytes())
	final := r.final
	if final == "" {
		final = r.sectPr(false)
	}
	b.WriteString(final + `</w:body></w:document>`)
	return b.Bytes()
}

// sectPr is a section's properties: A4, the margins, the running header
// from the section's second page (the first has the title block, as in the
// PDF) and the footer on every page. In a book each section starts on a
// new page, or an odd one for duplex printing, and numbers its pages from 1.
func (r *renderer) sectPr(duplex bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<w:sectPr><w:headerReference w:type="default" r:id="%s"/><w:headerReference w:type="first" r:id="%s"/>`+
		`<w:footerReference w:type="default" r:id="%s"/><w:footerReference w:type="first" r:id="%s"/>`,
		ridHeader, ridFirstHeader, ridFooter, ridFooter)
	if r.book {
		typ := "nextPage"
		if duplex {
			typ = "oddPage"
		}
		b.WriteString(`<w:type w:val="` + typ + `"/>`)
	}
	fmt.Fprintf(&b, `<w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="567" w:footer="567" w:gutter="0"/>`,
		pageW, pageH, marginTB, marginLR, marginTB, marginLR)
	if r.book {
		b.WriteString(`<w:pgNumType w:start="1"/>`)
	}
	b.WriteString(`<w:titlePg/></w:sectPr>`)
	return b.String()
}

func settingsXML(lang string) string {
	return xmlHeader + `<w:settings xmlns:w="` + nsW + `">` +
		`<w:defaultTabStop w:val="709"/><w:characterSpacingControl w:val="doNotCompress"/>` +
		`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
		`<w:themeFontLang w:val="` + esc(lang) + `"/>` +
		`</w:settings>`
}

// fontTableXML names the text faces and their metric-compatible
// alternatives: Liberation Sans is Arial's, so a machine without it lays the
// text out the same in Arial.
const fontTableXML = xmlHeader + `<w:fonts xmlns:w="` + nsW + `">` +
	`<w:font w:name="Liberation Sans"><w:altName w:val="Arial"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>` +
	`<w:font w:name="Liberation Mono"><w:altName w:val="Courier New"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`</w:fonts>`

// emptyHeaderXML is the first page's header: nothing, not even the Header
// style's rule, above the title block.
const emptyHeaderXML = xmlHeader + `<w:hdr xmlns:w="` + nsW + `"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr></w:p></w:hdr>`

// headerXML is the running header from page 2: the school's name, and the
// document's title at the right margin.
func (r *renderer) headerXML() []byte {
	m := r.meta
	var b bytes.Buffer
	b.WriteString(xmlHeader + `<w:hdr xmlns:w="` + nsW + `"><w:p><w:pPr><w:pStyle w:val="Header"/>` +
		`<w:tabs><w:tab w:val="clear" w:pos="4513"/><w:tab w:val="clear" w:pos="9026"/><w:tab w:val="right" w:pos="` + strconv.Itoa(contentW) + `"/></w:tabs></w:pPr>`)
	writeRun(&b, runProps{}, m.School)
	b.WriteString(`<w:r><w:tab/></w:r>`)
	writeRun(&b, runProps{}, m.Title)
	b.WriteString(`</w:p></w:hdr>`)
	return b.Bytes()
}

// footerXML is every page's footer: the next review date (or DRAFT for a
// document never approved) and "Page X of Y" as PAGE and NUMPAGES fields,
// which Word and LibreOffice fill in as they lay the pages out.
func (r *renderer) footerXML() []byte {
	var b bytes.Buffer
	b.WriteString(xmlHeader + `<w:ftr xmlns:w="` + nsW + `"><w:p><w:pPr><w:pStyle w:val="Footer"/>` +
		`<w:tabs><w:tab w:val="clear" w:pos="4513"/><w:tab w:val="clear" w:pos="9026"/><w:tab w:val="right" w:pos="` + strconv.Itoa(contentW) + `"/></w:tabs></w:pPr>`)
	label, value, alert := footerReview(r.meta)
	if r.footerText != "" {
		label, value, alert = r.footerText, "", false
	}
	writeRun(&b, runProps{}, label)
	writeRun(&b, runProps{alert: alert, bold: alert}, value)
	b.WriteString(`<w:r><w:tab/></w:r>`)
	writeRun(&b, runProps{}, "Page ")
	field(&b, "PAGE", "1")
	writeRun(&b, runProps{}, " of ")
	if r.book {
		// Each document of a book counts its own pages.
		field(&b, "SECTIONPAGES", "1")
	} else {
		field(&b, "NUMPAGES", "1")
	}
	b.WriteString(`</w:p></w:ftr>`)
	return b.Bytes()
}

// footerReview is what the footer says about the document's record, as
// the PDF's does: DRAFT for a document with no approval recorded; a form's
// version line; a policy's next review date, never a review notice (overdue
// is for the policy's title block and the dashboard); nothing unknown.
func footerReview(m markdown.Meta) (label, value string, alert bool) {
	switch {
	case m.State == markdown.StateDraft:
		return "", m.State.Notice(""), true
	case m.Form:
		return "", markdown.VersionLine(m), false
	case m.NextReview != "":
		return "Next review due: ", m.NextReview, false
	}
	return "", "", false
}

// field writes a complex field (PAGE, NUMPAGES) with a cached result that
// readers replace when they lay the document out.
func field(b *bytes.Buffer, instr, cached string) {
	b.WriteString(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> ` + instr + ` </w:instrText></w:r>` +
		`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>` + esc(cached) + `</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`)
}
