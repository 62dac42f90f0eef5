package pdf

import (
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"

	"github.com/policypack/policypack/internal/markdown"
)

// blockFunc lays out one block node (and its children) as items.
type blockFunc func(r *renderer, n ast.Node)

// blockFuncs holds the function that lays out each block node kind, as
// goldmark's renderers register one function per kind; a kind with no
// function has its children laid out. It is built once, here, and never
// changed: the functions refer back to it through block, so it is filled in
// by init rather than by its declaration.
var blockFuncs map[ast.NodeKind]blockFunc

func init() {
	blockFuncs = map[ast.NodeKind]blockFunc{
		ast.KindDocument:         (*renderer).document,
		ast.KindHeading:          (*renderer).heading,
		ast.KindParagraph:        (*renderer).paragraph,
		ast.KindTextBlock:        (*renderer).paragraph,
		ast.KindList:             (*renderer).list,
		ast.KindListItem:         (*renderer).listItem,
		ast.KindBlockquote:       (*renderer).blockquote,
		ast.KindThematicBreak:    (*renderer).thematicBreak,
		ast.KindFencedCodeBlock:  (*renderer).codeBlock,
		ast.KindCodeBlock:        (*renderer).codeBlock,
		ast.KindHTMLBlock:        func(*renderer, ast.Node) {}, // comments and markup are not text
		extast.KindTable:         (*renderer).table,
		markdown.KindPageBreak:   func(r *renderer, _ ast.Node) { r.add(&item{brk: true}) },
		markdown.KindFormBlock:   (*renderer).formBlock,
		markdown.KindPictureList: (*renderer).pictureList,
		markdown.KindTitleBlock:  (*renderer).titleBlockNode,
		markdown.KindContents:    (*renderer).contentsNode,
	}
}

// document lays out the whole document, then a form's QR code as a block of
// its own when its title block had no room for it (or it has none).
func (r *renderer) document(n ast.Node) {
	r.children(n)
	r.planQR(false)
}

func (r *renderer) block(n ast.Node) {
	if fn, ok := blockFuncs[n.Kind()]; ok {
		fn(r, n)
		return
	}
	r.children(n)
}

func (r *renderer) children(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		r.block(c)
	}
}

// headingStyle gives a heading level's type size, face, colour and the
// space above and below it (mm).
func headingStyle(level int) (size float64, st style, col rgb, above, below float64) {
	switch level {
	case 1:
		return 17, stBold, colHeading, 7, 2.5
	case 2:
		return 14, stBold, colHeading, 6, 2
	case 3:
		return 12, stBold, colText, 4.5, 1.5
	default:
		return bodySize, stBoldItalic, colText, 3.5, 1
	}
}

func (r *renderer) heading(n ast.Node) {
	hd := r.byNode[n]
	size, st, col, above, below := headingStyle(hd.level)
	lh := size * 1.2 * ptMM
	lines := r.breakLines(r.collect(n, st, size, col), r.w)
	x := r.x
	r.space(above)
	r.add(&item{hd: hd, h: lh * float64(len(lines)), keep: true, draw: func(d *drawer, y float64) {
		d.anchor(hd, y)
		for i, ln := range lines {
			d.line(ln, x, y+float64(i)*lh, lh)
		}
	}})
	r.gap = below
	r.afterHeading = true
}

func (r *renderer) paragraph(n ast.Node) {
	if n.Kind() == ast.KindParagraph {
		r.space(2.6)
	}
	r.textLines(r.collect(n, stRegular, bodySize, colText), r.x, r.w, lineHeight(bodySize))
	if (isPseudoHeading(n) || isLeadIn(r, n)) && len(r.items) > 0 {
		// "**Staff**" alone on a line titles what follows it, and "In this
		// school:" introduces it: neither may be stranded at a page foot.
		r.items[len(r.items)-1].keep = true
	}
}

// isLeadIn reports whether a paragraph ends with a colon, introducing the
// block after it (usually a list).
func isLeadIn(r *renderer, n ast.Node) bool {
	return n.NextSibling() != nil && strings.HasSuffix(strings.TrimSpace(plainText(r, n)), ":")
}

// isPseudoHeading reports whether a paragraph is only bold text: authors
// use it as a minor heading, so it must not be stranded at a page foot.
func isPseudoHeading(n ast.Node) bool {
	c := n.FirstChild()
	e, ok := c.(*ast.Emphasis)
	return ok && e.Level == 2 && c.NextSibling() == nil
}

type listState struct {
	ordered bool
	next    int
	indent  float64
	tight   bool
}

func (r *renderer) list(n ast.Node) {
	l := n.(*ast.List)
	ls := &listState{ordered: l.IsOrdered(), next: l.Start, tight: l.IsTight, indent: 6}
	if ls.ordered {
		last := strconv.Itoa(l.Start+l.ChildCount()-1) + "."
		ls.indent = max(6, r.textWidth(last, stRegular, bodySize)+2.2)
	}
	if len(r.lists) == 0 {
		r.space(2.6)
	} else {
		r.space(1)
	}
	r.lists = append(r.lists, ls)
	x, w := r.x, r.w
	r.x, r.w = r.x+ls.indent, r.w-ls.indent
	lastStart, first, third := -1, len(r.items), -1
	k := 0
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c.NextSibling() == nil {
			lastStart = len(r.items)
		}
		if k == 2 {
			third = len(r.items)
		}
		k++
		r.block(c)
	}
	if lastStart > 0 && n.ChildCount() > 1 && len(r.items)-lastStart <= 2 {
		// Widow control for lists: a short last item does not start a
		// page alone; the line before it goes with it.
		r.items[lastStart-1].keep = true
	}
	if len(r.lists) == 1 {
		// A short list (few lines, or three items or fewer) is read as
		// one unit: keep it whole rather than leave a line or two
		// overleaf. A longer one may break, but only after its second
		// item, so its lead-in never stands at a page foot with one item
		// under it, and the lead-in with two items is still small enough
		// never to leave a large blank by moving.
		end := len(r.items) - 1
		if third >= 0 && len(r.items)-first > shortList && n.ChildCount() > shortItems {
			end = third - 1
		}
		for i := first; i < end; i++ {
			r.items[i].keep = true
		}
	}
	r.x, r.w = x, w
	r.lists = r.lists[:len(r.lists)-1]
}

// shortList is the most lines a top-level list may have and still be kept
// whole on one page.
const shortList = 4

// shortItems is the most items a top-level list may have and still be kept
// whole, however many lines they take.
const shortItems = 3

// bullets are the list markers by nesting depth.
var bullets = []string{"•", "◦", "▪"}

func (r *renderer) listItem(n ast.Node) {
	ls := r.lists[len(r.lists)-1]
	depth := len(r.lists) - 1
	var mark string
	if ls.ordered {
		mark = strconv.Itoa(ls.next) + "."
		ls.next++
	} else {
		mark = bullets[depth%len(bullets)]
	}
	if n.PreviousSibling() != nil {
		if ls.tight {
			r.space(1.2)
		} else {
			r.space(2.6)
		}
	}
	mw := r.textWidth(mark, stRegular, bodySize)
	mx := r.x - 2.2 - mw // markers end just left of the text: "9." and "10." align
	if !ls.ordered {
		mx = r.x - ls.indent + 1.2
	}
	lh := lineHeight(bodySize)
	r.marker = func(d *drawer, y float64) {
		d.text(mx, y+baseline(stRegular, bodySize, lh), mark, stRegular, bodySize, colText)
	}
	// The item's first block starts at the item's top, beside its marker.
	r.afterHeading = false
	r.children(n)
	if r.marker != nil { // an empty item still shows its marker
		r.add(&item{h: lh, draw: func(*drawer, float64) {}})
	}
}

func (r *renderer) blockquote(n ast.Node) { r.quote(n, colRule) }

// quote lays out a block quote with a bar of colour bar beside it.
func (r *renderer) quote(n ast.Node, bar rgb) {
	r.space(2.6)
	const indent = 6
	bx := r.x + 1
	r.decoFirst = true
	r.decos = append(r.decos, func(d *drawer, y, h float64) {
		d.fillRect(bx, y, 0.9, h, bar)
	})
	x, w := r.x, r.w
	r.x, r.w = r.x+indent, r.w-indent
	r.children(n)
	r.x, r.w = x, w
	r.decos = r.decos[:len(r.decos)-1]
	r.space(2.6)
}

func (r *renderer) thematicBreak(ast.Node) {
	r.space(2)
	x, w := r.x, r.w
	r.add(&item{h: 4, draw: func(d *drawer, y float64) { d.hline(x, x+w, y+2, 0.3, colRule) }})
	r.space(2)
}

func (r *renderer) codeBlock(n ast.Node) {
	r.space(2.6)
	const size = 9.0
	lh := size * 1.3 * ptMM
	var spans []span
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		text := strings.TrimRight(strings.ReplaceAll(string(seg.Value(r.src)), "\t", "    "), "\r\n")
		// Leading spaces matter in code: keep them as no-break spaces.
		trimmed := strings.TrimLeft(text, " ")
		text = strings.Repeat("\u00a0", len(text)-len(trimmed)) + trimmed
		spans = append(spans, span{text: text, a: attrs{st: stMono, size: size, col: colText}})
		if i < lines.Len()-1 {
			spans = append(spans, span{text: "\n", a: attrs{st: stMono, size: size}})
		}
	}
	x, w := r.x, r.w
	all := r.breakLines(spans, w-4)
	for i, ln := range all {
		ln := ln
		top, bottom := 0.0, 0.0
		if i == 0 {
			top = 1.5
		}
		if i == len(all)-1 {
			bottom = 1.5
		}
		r.add(&item{h: lh + top + bottom, keep: i == 0 && len(all) > 1, draw: func(d *drawer, y float64) {
			d.fillRect(x, y, w, lh+top+bottom, colCodeBg)
			d.line(ln, x+2, y+top, lh)
		}})
	}
	r.space(2.6)
}
