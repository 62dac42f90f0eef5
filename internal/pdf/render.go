// Package pdf draws a parsed policypack document (a goldmark AST from
// internal/markdown) as a printable A4 PDF with codeberg.org/go-pdf/fpdf, the
// maintained home of the archived github.com/go-pdf/fpdf.
//
// Rendering happens in three steps. Layout walks the AST with one function
// per node kind (blockFuncs, inlineFuncs) and turns every block into
// measured items: a line of text, a table row, a whole signature block.
// Pagination places the items on pages, keeping a heading with what follows
// it, a table row whole (repeating the header row on each new page) and a
// form block whole. Drawing then runs each item's draw function with fpdf,
// when every heading's page is known, so the table of contents, the outline
// and "Page X of Y" are exact in a single layout pass.
package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/yuin/goldmark/ast"

	"github.com/policypack/policypack/internal/markdown"
)

// item is one unit of vertical layout. Its height is measured before it is
// placed, so pagination never has to draw and hope.
type item struct {
	h      float64 // height in mm
	before float64 // space above it, dropped at the top of a page
	keep   bool    // keep on the same page as the next item
	brk    bool    // start a new page (a page break marker); draws nothing
	repeat *item   // table header row to draw first when this row starts a page
	draw   func(d *drawer, y float64)
	hd     *heading // the heading this item draws, if any
}

// heading is one heading of the document: it becomes an outline entry, a
// link target and, for levels up to tocDepth, a table of contents line.
type heading struct {
	level   int
	text    string
	id      string
	outline int  // outline level, 0-based, never more than one below the previous
	inTOC   bool // listed in the table of contents
	isTitle bool // the document's title, for its title block node
	// isContents marks the heading of the document's contents node, where
	// the PDF's table of contents, with page numbers, is drawn.
	isContents bool
	link       int // fpdf link id
	page       int
	y          float64

	// abs is the page number printed for it (in a table of contents):
	// page in a book whose documents number their own pages, the page in
	// the whole file in a bound one. The book sets it before drawing.
	abs int
	// ref names a heading of another document of a bound book (a pack
	// cover's contents entry, see markdown.PackEntryID); the book points
	// link and abs at that heading's before drawing.
	ref string
}

// tocDepth is the deepest heading level listed in the table of contents.
const tocDepth = 3

// renderer holds the state of one Render call. Nothing in it is shared, so
// concurrent Render calls never interfere.
type renderer struct {
	doc      *markdown.Document
	src      []byte
	items    []*item
	headings []*heading
	byNode   map[ast.Node]*heading
	byID     map[string]*heading
	title    *heading // the title block node's heading, nil without one
	contents *heading // the contents node's heading, nil without one
	qr       *qrPlan  // where a form's QR code goes, once planned
	err      error

	// refs are a pack cover's contents entries, headings of the book's
	// other documents, resolved by Book.Bind.
	refs []*heading
	// policyStarts are the fpdf links to the first page of each part of
	// a bound book, by part key: a link to a policy the book holds goes
	// there rather than to the policy's own file.
	policyStarts map[string]int

	// layout context
	x, w         float64 // left edge and width of the current column
	gap          float64 // pending space before the next item
	afterHeading bool    // the next block follows a heading: keep the gap small
	marker       func(d *drawer, y float64)
	decos        []func(d *drawer, y, h float64)
	decoFirst    bool // the next item is the first of a block quote
	lists        []*listState
	logo         *logoInfo
}

// Render draws doc as an A4 PDF and returns the file's bytes: a book of one
// document, so a page looks the same in its own file as in a book. The
// same document always gives the same bytes. Render is safe for concurrent
// use. It returns an error, never a panic, for a character the fonts
// cannot print or a logo it cannot read.
func Render(doc *markdown.Document) ([]byte, error) {
	b, err := NewBook(BookOptions{Meta: doc.Meta})
	if err != nil {
		return nil, err
	}
	p, err := Prepare(doc, "")
	if err != nil {
		return nil, err
	}
	if err := b.AddPrepared(p); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := b.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func newRenderer(doc *markdown.Document) *renderer {
	return &renderer{doc: doc, src: doc.Source, x: marginL, w: contentW,
		byNode: map[ast.Node]*heading{}, byID: map[string]*heading{}}
}

// creationDate is the document's fixed time, or 1 January 2000 when it
// has none: compose decides it, so the renderer reads no environment.
func creationDate(t time.Time) time.Time {
	if t.IsZero() {
		return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return t.UTC()
}

// fail records the first layout error; layout carries on so the caller
// gets one clear message rather than a half-drawn document.
func (r *renderer) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *renderer) missing(c rune, st style, context string) {
	if r.err != nil {
		return
	}
	ctx := strings.TrimSpace(context)
	if len([]rune(ctx)) > 40 {
		ctx = string([]rune(ctx)[:40]) + "…"
	}
	r.err = fmt.Errorf("pdf: %s: character U+%04X %q cannot be printed in font %s (in %q)",
		r.doc.Meta.Title, c, c, faces[st].name, ctx)
}

// layout turns the document into items.
func (r *renderer) layout() error {
	r.collectHeadings()
	if err := r.loadLogo(); err != nil {
		return err
	}
	r.block(r.doc.Root)
	return r.err
}

// collectHeadings lists every heading before layout, so the table of
// contents (drawn first) knows its entries and internal links know their
// targets. The title block and contents nodes contribute headings of their
// own, from the document's data: the title, and "Contents".
func (r *renderer) collectHeadings() {
	type found struct {
		n     ast.Node
		level int
	}
	var all []found
	minLevel := 7
	_ = ast.Walk(r.doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch h := n.(type) {
		case *ast.Heading:
			all = append(all, found{n, h.Level})
		case *markdown.TitleBlock:
			all = append(all, found{n, 1})
		case *markdown.Contents:
			all = append(all, found{n, 2})
		default:
			return ast.WalkContinue, nil
		}
		minLevel = min(minLevel, all[len(all)-1].level)
		return ast.WalkSkipChildren, nil
	})
	prev := -1
	for _, f := range all {
		hd := &heading{level: f.level}
		switch n := f.n.(type) {
		case *ast.Heading:
			hd.text = strings.TrimSpace(plainText(r, n))
			if v, ok := n.AttributeString("id"); ok {
				if b, ok := v.([]byte); ok {
					hd.id = string(b)
				}
			}
			hd.inTOC = f.level <= tocDepth && !r.doc.Meta.Form && !r.doc.Meta.Cover
		case *markdown.TitleBlock:
			hd.text, hd.isTitle = strings.TrimSpace(r.doc.Meta.Title), true
			if r.title == nil {
				r.title = hd
			}
		case *markdown.Contents:
			hd.text, hd.id, hd.isContents = markdown.ContentsTitle, markdown.ContentsID, true
			if r.contents == nil {
				r.contents = hd
			}
		}
		// The outline must not skip levels (a level-3 heading straight
		// under a level-1 one would break the outline tree).
		hd.outline = min(f.level-minLevel, prev+1)
		prev = hd.outline
		r.headings = append(r.headings, hd)
		r.byNode[f.n] = hd
		if hd.id != "" {
			if _, dup := r.byID[hd.id]; !dup {
				r.byID[hd.id] = hd
			}
		}
	}
}

// titleBlockNode lays out the title block from the document's record (the
// PDF's own title page layout), then places a form's QR code beside it when
// there is room.
func (r *renderer) titleBlockNode(n ast.Node) {
	// The outline entry and link target of the title are the top of
	// the title block.
	hd := r.byNode[n]
	r.add(&item{hd: hd, draw: func(d *drawer, y float64) { d.anchor(hd, y) }})
	r.titleBlock()
	r.planQR(true)
	r.stateNotice()
}

// contentsNode draws the table of contents, with page numbers, and starts
// the body on a new page. A form has none.
func (r *renderer) contentsNode(n ast.Node) {
	if r.doc.Meta.Form || !r.hasTOC() {
		return
	}
	if r.doc.Meta.Cover {
		// A cover's contents follow its list of policies, on a page
		// of their own.
		r.add(&item{brk: true})
		r.packTOC(r.byNode[n], n.(*markdown.Contents).Entries)
		return
	}
	r.toc(r.byNode[n])
	r.add(&item{brk: true})
}

func (r *renderer) hasTOC() bool {
	if r.doc.Meta.Cover {
		return len(r.doc.Meta.Front.Contents) > 0
	}
	for _, h := range r.headings {
		if h.inTOC {
			return true
		}
	}
	return false
}

// plainText is the text of n's inline children as it will print.
func plainText(r *renderer, n ast.Node) string {
	var b strings.Builder
	for _, s := range r.collect(n, stRegular, bodySize, colText) {
		if s.text == "\n" {
			b.WriteByte(' ')
		} else {
			b.WriteString(s.text)
		}
	}
	return b.String()
}

// add appends an item, giving it the pending gap, the pending list marker
// and the decorations (block quote bars) of the current context.
func (r *renderer) add(it *item) {
	if it.brk {
		r.gap, r.afterHeading, r.marker = 0, false, nil
		r.items = append(r.items, it)
		return
	}
	it.before = r.gap
	r.gap = 0
	r.afterHeading = false
	if m := r.marker; m != nil {
		r.marker = nil
		draw := it.draw
		it.draw = func(d *drawer, y float64) { m(d, y); draw(d, y) }
	}
	if len(r.decos) > 0 {
		decos := append([]func(*drawer, float64, float64){}, r.decos...)
		draw, h := it.draw, it.h
		// The bar of a block quote spans the gaps between its items but
		// not the gap above its first one.
		first := r.decoFirst
		r.decoFirst = false
		it.draw = func(d *drawer, y float64) {
			gap := d.gap
			if first {
				gap = 0
			}
			for _, deco := range decos {
				deco(d, y-gap, h+gap)
			}
			draw(d, y)
		}
	}
	r.items = append(r.items, it)
}

// space asks for at least g mm before the next item. Directly after a
// heading the heading's own (smaller) gap wins.
func (r *renderer) space(g float64) {
	if r.afterHeading {
		return
	}
	r.gap = max(r.gap, g)
}

// lineHeight is the height of a line of text set at size points.
func lineHeight(size float64) float64 { return size * leading * ptMM }

// baseline is the distance from the top of a line box to the baseline.
func baseline(st style, size, lh float64) float64 {
	fc := faces[st]
	em := size * ptMM / 1000
	return (lh-(fc.ascent+fc.descent)*em)/2 + fc.ascent*em
}

// textLines adds one item per line of spans, with widow and orphan
// control: the first two and the last two lines of a block stay together.
func (r *renderer) textLines(spans []span, x, w float64, lh float64) {
	lines := r.breakLines(spans, w)
	n := len(lines)
	for i, ln := range lines {
		ln := ln
		it := &item{h: lh, draw: func(d *drawer, y float64) { d.line(ln, x, y, lh) }}
		it.keep = n > 1 && (i == 0 || i == n-2)
		r.add(it)
	}
}

func subsetTag(h uint64) string {
	var b [6]byte
	for i := range b {
		b[i] = byte('A' + h%26)
		h /= 26
	}
	return string(b[:])
}

// fnvAdd folds s into an FNV-1a hash; h == 0 starts a new hash.
func fnvAdd(h uint64, s string) uint64 {
	if h == 0 {
		h = 14695981039346656037
	}
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h | 1 // never 0: 0 means "face not used"
}
