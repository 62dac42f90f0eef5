package pdf

import (
	"bytes"
	"fmt"
	"io"
	"strings"

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
// A Book is not safe for concurrent use. After an error from AddPrepared,
// the Book is spent and WriteTo returns that error.
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
	created := creationDate(m.Created)
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	f.SetCatalogSort(true)
	// Page content streams are left uncompressed: fpdf builds a fresh
	// zlib writer (about 1 MB zeroed) for every stream, which cost about
	// 0.3 ms per page, a third of a policy's time; the files grow from
	// about 110 KB to 210 KB, which no school will notice. Font streams
	// are still compressed (fpdf always does).
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

// Prepared is a document laid out and paginated, ready to be drawn into a
// Book. Preparing is most of the work of drawing a document and, unlike
// drawing, can run on many documents at once.
type Prepared struct {
	r     *renderer
	pages [][]placement
}

// Prepare lays out and paginates doc for Book.AddPrepared. When outline is
// not empty it replaces the document's title as the document's entry in
// the PDF's outline (bookmarks), so a reader can find one pupil's copy
// among hundreds. Prepare is safe for concurrent use.
func Prepare(doc *markdown.Document, outline string) (p *Prepared, err error) {
	if err := loadFonts(); err != nil {
		return nil, err
	}
	defer func() {
		if v := recover(); v != nil {
			p, err = nil, fmt.Errorf("pdf: %s: %v", doc.Meta.Title, v)
		}
	}()
	r := newRenderer(doc)
	if err := r.layout(); err != nil {
		return nil, err
	}
	if outline != "" && len(r.headings) > 0 && r.headings[0].isTitle {
		r.headings[0].text = outline
	}
	return &Prepared{r: r, pages: r.paginate()}, nil
}

// AddPrepared draws a prepared document on new pages at the end of the
// book, numbering its pages from 1, and with Duplex adds a blank page after
// an odd number of them. A Prepared is drawn once. Errors name the
// document's title, never its text.
func (b *Book) AddPrepared(p *Prepared) error {
	if err := b.usable(p); err != nil {
		return err
	}
	p.number(b.f, 0)
	total := len(p.pages)
	if err := b.draw(p, 0, total); err != nil {
		return err
	}
	if b.duplex && total%2 == 1 {
		b.f.AddPage()
		b.pages++
	}
	return nil
}

// Part is one document of a bound book, under the key a cover's contents
// entries name it by (see markdown.PackEntryID).
type Part struct {
	Key string
	Doc *Prepared
}

// Bind draws a bound pack into an empty book: the cover (a document whose
// Meta.Cover is set), then every part in order, each starting on a new
// page, with the pages numbered continuously through the file ("Page 7 of
// 60"), so each document's own contents list and the cover's give the
// page a reader turns to. The cover's contents entries name the parts'
// headings; one that names no heading is an error, as is a part key used
// twice. Every heading is in the outline, under its document's title.
func (b *Book) Bind(cover *Prepared, parts []Part) error {
	if b.docs > 0 {
		return fmt.Errorf("pdf: a bound book starts empty")
	}
	if cover == nil || cover.r == nil || !cover.r.doc.Meta.Cover {
		return fmt.Errorf("pdf: a bound book needs a cover (Meta.Cover)")
	}
	all := []*Prepared{cover}
	for _, pt := range parts {
		all = append(all, pt.Doc)
	}
	for _, p := range all {
		if err := b.usable(p); err != nil {
			return err
		}
	}
	total := 0
	for _, p := range all {
		total += len(p.pages)
	}
	ids := map[string]*heading{}
	cover.number(b.f, 0)
	off := len(cover.pages)
	for _, pt := range parts {
		if _, dup := ids[markdown.PackEntryID(pt.Key, "")]; dup || pt.Key == "" {
			return fmt.Errorf("pdf: part key %q is empty or used twice", pt.Key)
		}
		pt.Doc.number(b.f, off)
		for _, h := range pt.Doc.r.headings {
			switch {
			case h.isTitle:
				ids[markdown.PackEntryID(pt.Key, "")] = h
			case h.id != "":
				if _, dup := ids[markdown.PackEntryID(pt.Key, h.id)]; !dup {
					ids[markdown.PackEntryID(pt.Key, h.id)] = h
				}
			}
		}
		off += len(pt.Doc.pages)
	}
	// A link to another policy goes to the first page of its part; a
	// form's key ("forms/parent-agreement") is no policy id, so only
	// policies are reached this way.
	starts := map[string]int{}
	for _, pt := range parts {
		starts[pt.Key] = b.f.AddLink()
	}
	for _, p := range all {
		p.r.policyStarts = starts
	}
	for _, h := range cover.r.refs {
		t, ok := ids[h.ref]
		if !ok {
			return fmt.Errorf("pdf: %s: contents entry %q names no heading of the pack's documents", cover.r.doc.Meta.Title, h.ref)
		}
		h.link, h.abs = t.link, t.abs
	}
	off = 0
	for i, p := range all {
		n := len(p.pages)
		if i > 0 {
			b.f.SetLink(starts[parts[i-1].Key], 0, b.pages+1)
		}
		if err := b.draw(p, off, total); err != nil {
			return err
		}
		off += n
	}
	return nil
}

// usable checks that p can be drawn into the book.
func (b *Book) usable(p *Prepared) error {
	if b.err != nil {
		return b.err
	}
	if b.done {
		return fmt.Errorf("pdf: book already written")
	}
	if p == nil || p.r == nil {
		return fmt.Errorf("pdf: a prepared document is drawn once")
	}
	return nil
}

// number gives every heading of p a link and the page number its
// contents line prints: its page in the document plus first, the pages
// before the document when a book numbers continuously.
func (p *Prepared) number(f *fpdf.Fpdf, first int) {
	for _, h := range p.r.headings {
		h.link = f.AddLink()
		h.abs = first + h.page
	}
}

// draw draws a numbered document on new pages at the end of the book, its
// pages numbered from first+1 of total.
func (b *Book) draw(p *Prepared, first, total int) (err error) {
	r := p.r
	doc := r.doc
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("pdf: %s: %v", doc.Meta.Title, v)
		}
		if err != nil {
			b.err = err
		}
	}()
	if b.logo != nil && doc.Meta.Logo != nil && !bytes.Equal(b.logo, doc.Meta.Logo) {
		// The drawer registers the logo once per file under one name.
		return fmt.Errorf("pdf: %s: a book's documents must share one logo", doc.Meta.Title)
	}
	if doc.Meta.Logo != nil && b.logo == nil {
		b.logo = doc.Meta.Logo
	}
	d := b.d
	d.r = r
	for i, pg := range p.pages {
		b.f.AddPage()
		d.fontSet = false
		d.header(i == 0, first+i+1, total)
		for _, pl := range pg {
			d.gap = pl.gap
			pl.it.draw(d, pl.y)
		}
		if r.err != nil {
			return r.err
		}
	}
	for _, h := range r.headings {
		// paginate numbered the document's pages from 1.
		b.f.SetLink(h.link, h.y, b.pages+h.page)
	}
	b.pages += len(p.pages)
	b.docs++
	d.r = nil
	p.r, p.pages = nil, nil
	if err := b.f.Error(); err != nil {
		return fmt.Errorf("pdf: %s: %w", doc.Meta.Title, err)
	}
	return nil
}

// Pages is the number of pages so far, blank duplex pages included.
func (b *Book) Pages() int { return b.pages }

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
	tw := newTagWriter(w, &b.d.used)
	if err := b.f.Output(tw); err != nil {
		return tw.n, fmt.Errorf("pdf: writing %d documents: %w", b.docs, err)
	}
	err := tw.flush()
	return tw.n, err
}

// tagWriter gives every embedded font the subset tag PDF 32000-1 §9.6.4
// asks for ("ABCDEF+Name") as the file streams out. fpdf subsets UTF-8
// fonts but names them "utf8<family>"; each family here starts with "sub",
// so "utf8sub" is overwritten by a tag of the same length and no byte
// offset moves. The tag is derived from the face and the text drawn with
// it, so it is stable for the same document. A book of many megabytes is
// never copied whole: matches are rewritten in a small window that keeps
// the last few bytes back in case a name spans two writes.
type tagWriter struct {
	w    io.Writer
	pats [][2][]byte // from, to: same length
	keep int         // bytes held back: the longest pattern less one
	buf  []byte
	n    int64
	err  error
}

func newTagWriter(w io.Writer, used *[numStyles]uint64) *tagWriter {
	t := &tagWriter{w: w, buf: make([]byte, 0, 64<<10)}
	for st, fc := range faces {
		if used[st] == 0 {
			continue
		}
		old := "utf8" + fc.family
		nu := subsetTag(used[st]) + "+" + strings.TrimPrefix(fc.family, "sub")
		for _, key := range []string{"/BaseFont /", "/FontName /"} {
			for _, end := range []string{"\n", " "} {
				from, to := []byte(key+old+end), []byte(key+nu+end)
				if len(from) != len(to) {
					panic("pdf: subset tag changes the font name's length")
				}
				t.pats = append(t.pats, [2][]byte{from, to})
				t.keep = max(t.keep, len(from)-1)
			}
		}
	}
	return t
}

// Write implements io.Writer.
func (t *tagWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 && t.err == nil {
		k := min(len(p), max(cap(t.buf)-len(t.buf), 1))
		t.buf = append(t.buf, p[:k]...)
		p, written = p[k:], written+k
		if len(t.buf) < cap(t.buf) && len(p) > 0 {
			continue
		}
		t.replace()
		if len(t.buf) > t.keep {
			cut := len(t.buf) - t.keep
			t.out(t.buf[:cut])
			t.buf = t.buf[:copy(t.buf, t.buf[cut:])]
		}
	}
	return written, t.err
}

func (t *tagWriter) replace() {
	for _, pt := range t.pats {
		for from := 0; ; {
			i := bytes.Index(t.buf[from:], pt[0])
			if i < 0 {
				break
			}
			copy(t.buf[from+i:], pt[1])
			from += i + len(pt[0])
		}
	}
}

func (t *tagWriter) out(b []byte) {
	if t.err != nil {
		return
	}
	n, err := t.w.Write(b)
	t.n += int64(n)
	t.err = err
}

func (t *tagWriter) flush() error {
	t.replace()
	t.out(t.buf)
	t.buf = t.buf[:0]
	return t.err
}
