package pdf

import (
	"bytes"
	"fmt"
	"io"
	"strconv"

	"codeberg.org/go-pdf/fpdf"

	"github.com/policypack/policypack/internal/markdown"
)

// BookOptions configures a Book.
type BookOptions struct {
	// Meta gives the file's own metadata: Title, School (the author),
	// Subject, Creator, Lang and Date (the creation date, as for Render).
	// Each document's pages use the document's own Meta.
	Meta markdown.Meta
	// Duplex pads every document to an even number of pages with a blank
	// page, so that printed double-sided each one starts on a new sheet.
	Duplex bool
}

// Book renders many documents into one PDF, for printing a form once per
// pupil: each document starts on a new page and numbers its own pages
// ("Page 1 of 1"), and the fonts and the logo are embedded once for the
// whole file. Documents are laid out and drawn as they are added, so the
// caller can compose, parse and add one at a time and let each go: memory
// grows only with the pages drawn (the output itself), not with the parsed
// documents.
//
// A Book is not safe for concurrent use. After an error from Add, the Book
// is spent and WriteTo returns that error.
type Book struct {
	f      *fpdf.Fpdf
	d      *drawer
	duplex bool
	pages  int
	docs   int
	logo   []byte // the logo the file embeds, nil until a document has one
	err    error
	done   bool
}

// NewBook starts an empty PDF.
func NewBook(opts BookOptions) (*Book, error) {
	if err := loadFonts(); err != nil {
		return nil, err
	}
	m := opts.Meta
	created, err := creationDate(m.Date)
	if err != nil {
		return nil, err
	}
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	// The same settings as Render's (see draw), so a page looks the same
	// in a book as in its own file.
	f.SetCatalogSort(true)
	f.SetCompression(false)
	f.SetCreationDate(created)
	f.SetModificationDate(created)
	f.SetAutoPageBreak(false, 0)
	f.SetMargins(marginL, contentTop, marginR)
	f.SetTitle(m.Title, true)
	f.SetAuthor(m.School, true)
	f.SetSubject(m.Subject, true)
	f.SetCreator(m.Creator, true)
	f.SetProducer("policypack (codeberg.org/go-pdf/fpdf)", true)
	lang := m.Lang
	if lang == "" {
		lang = "en-GB"
	}
	f.SetLang(lang)
	return &Book{f: f, d: &drawer{f: f}, duplex: opts.Duplex}, nil
}

// Add lays out doc and draws it on new pages at the end of the book. When
// outline is not empty it replaces the document's title as the document's
// entry in the PDF's outline (bookmarks), so a reader can find one pupil's
// copy among hundreds. Errors name the document's title, never its text.
func (b *Book) Add(doc *markdown.Document, outline string) (err error) {
	if b.err != nil {
		return b.err
	}
	if b.done {
		return fmt.Errorf("pdf: book already written")
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("pdf: %s: %v", doc.Meta.Title, p)
		}
		if err != nil {
			b.err = err
		}
	}()
	if b.logo != nil && doc.Meta.Logo != nil && !bytes.Equal(b.logo, doc.Meta.Logo) {
		// The drawer registers the logo once per file under one name.
		return fmt.Errorf("pdf: %s: a book's documents must share one logo", doc.Meta.Title)
	}
	r := newRenderer(doc)
	if err := r.layout(); err != nil {
		return err
	}
	if outline != "" && len(r.headings) > 0 && r.headings[0].isTitle {
		r.headings[0].text = outline
	}
	pages := r.paginate()
	if doc.Meta.Logo != nil && b.logo == nil {
		b.logo = doc.Meta.Logo
	}

	d := b.d
	d.r = r
	for _, h := range r.headings {
		h.link = b.f.AddLink()
	}
	total := len(pages)
	for i, pg := range pages {
		b.f.AddPage()
		d.fontSet = false
		d.header(i+1, total)
		for _, p := range pg {
			d.gap = p.gap
			p.it.draw(d, p.y)
		}
		if r.err != nil {
			return r.err
		}
	}
	for _, h := range r.headings {
		// paginate numbered the document's pages from 1.
		b.f.SetLink(h.link, h.y, b.pages+h.page)
	}
	b.pages += total
	if b.duplex && total%2 == 1 {
		b.f.AddPage()
		b.pages++
	}
	b.docs++
	if err := b.f.Error(); err != nil {
		return fmt.Errorf("pdf: %s: %w", doc.Meta.Title, err)
	}
	return nil
}

// Pages is the number of pages so far, blank duplex pages included.
func (b *Book) Pages() int { return b.pages }

// Docs is the number of documents added.
func (b *Book) Docs() int { return b.docs }

// WriteTo writes the finished PDF to w. A book is written once; a book with
// no documents is an error (a PDF must have a page).
func (b *Book) WriteTo(w io.Writer) (int64, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.done {
		return 0, fmt.Errorf("pdf: book already written")
	}
	if b.docs == 0 {
		return 0, fmt.Errorf("pdf: a book needs at least one document")
	}
	b.done = true
	var buf bytes.Buffer
	buf.Grow(b.pages * 16 << 10)
	if err := b.f.Output(&buf); err != nil {
		return 0, fmt.Errorf("pdf: writing %d documents: %w", b.docs, err)
	}
	out := tagSubsets(buf.Bytes(), &b.d.used)
	n, err := w.Write(out)
	return int64(n), err
}

// String describes the book for debugging: its document and page counts.
func (b *Book) String() string {
	return "pdf.Book(" + strconv.Itoa(b.docs) + " documents, " + strconv.Itoa(b.pages) + " pages)"
}
