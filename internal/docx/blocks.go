package docx

import (
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"

	"github.com/policypack/policypack/internal/markdown"
)

// blockFunc writes one block node (and its children).
type blockFunc func(r *renderer, n ast.Node)

// blockFuncs has one function per block node kind, as goldmark's renderers
// do. It is built once, in init (its functions reach it through block),
// and never changed. A kind with no function has its children written.
var blockFuncs map[ast.NodeKind]blockFunc

func init() {
	blockFuncs = map[ast.NodeKind]blockFunc{
		ast.KindDocument:         (*renderer).children,
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
		markdown.KindPageBreak:   func(r *renderer, _ ast.Node) { r.pageBreak() },
		markdown.KindFormBlock:   (*renderer).formBlock,
		markdown.KindPictureList: (*renderer).pictureList,
		markdown.KindTitleBlock:  (*renderer).titleBlockNode,
		markdown.KindContents:    (*renderer).contentsNode,
	}
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

// para writes one paragraph: its properties, adjusted for the context (a
// list item's number, a block quote, a table cell), then body's runs.
func (r *renderer) para(p pPr, body func()) {
	switch {
	case r.hasNext:
		p.numID, p.ilvl = r.nextPara.numID, r.nextPara.ilvl
		if p.style == "" {
			p.style = "ListParagraph"
		}
		r.hasNext = false
	case len(r.lists) > 0 && p.indLeft == 0:
		// A list item's second paragraph lines up with its first.
		p.indLeft = listIndent(len(r.lists) - 1)
		if p.style == "" {
			p.style = "ListParagraph"
		}
	}
	if p.style == "" {
		switch {
		case r.inCell:
			p.style = "TableText"
		case r.quote > 0:
			p.style = "Quote"
		}
	}
	if r.keepFirst {
		p.keepNext, r.keepFirst = true, false
	}
	r.b.WriteString(`<w:p>`)
	p.write(&r.b)
	body()
	r.b.WriteString(`</w:p>`)
}

// pageBreak starts a new page. The break is a paragraph of its own, so it
// never carries another paragraph's numbering or style.
func (r *renderer) pageBreak() {
	r.b.WriteString(`<w:p><w:pPr><w:spacing w:after="0"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>`)
}

func (r *renderer) heading(n ast.Node) {
	hd := r.byNode[n]
	r.hasNext = false
	r.para(pPr{style: "Heading" + strconv.Itoa(hd.word)}, func() {
		r.bookmarked(hd.bookmark, func() { r.inlines(n, runProps{}) })
	})
}

// bookmarked wraps body in a bookmark called name (none when name is "").
func (r *renderer) bookmarked(name string, body func()) {
	if name == "" {
		body()
		return
	}
	id := strconv.Itoa(r.bmID)
	r.bmID++
	r.b.WriteString(`<w:bookmarkStart w:id="` + id + `" w:name="` + esc(name) + `"/>`)
	body()
	r.b.WriteString(`<w:bookmarkEnd w:id="` + id + `"/>`)
}

func (r *renderer) paragraph(n ast.Node) {
	var p pPr
	// "**Staff**" alone on a line titles what follows it, and "In this
	// school:" introduces it: neither may be stranded at a page foot.
	if isPseudoHeading(n) || isLeadIn(r, n) {
		p.keepNext = true
	}
	if n.NextSibling() != nil && n.NextSibling().Kind() == markdown.KindFormBlock {
		p.keepNext = true // the sentence being signed stays with its signatures
	}
	if listEnd(n) {
		p = p.withAfter(160) // room after a list before the text that follows
	}
	r.para(p, func() { r.inlines(n, runProps{}) })
}

// isLeadIn reports whether a paragraph ends with a colon, introducing the
// block after it (usually a list).
func isLeadIn(r *renderer, n ast.Node) bool {
	return n.NextSibling() != nil && strings.HasSuffix(strings.TrimSpace(r.doc.Text(n)), ":")
}

// isPseudoHeading reports whether a paragraph is only bold text.
func isPseudoHeading(n ast.Node) bool {
	c := n.FirstChild()
	e, ok := c.(*ast.Emphasis)
	return ok && e.Level == 2 && c.NextSibling() == nil
}

// listEnd reports whether n is the last block of a top-level list.
func listEnd(n ast.Node) bool {
	for c := n; c.Parent() != nil; c = c.Parent() {
		if c.NextSibling() != nil {
			return false
		}
		if p := c.Parent(); p.Kind() == ast.KindList {
			if gp := p.Parent(); gp == nil || gp.Kind() != ast.KindListItem {
				return true
			}
		}
	}
	return false
}

// listCtx is an open list.
type listCtx struct {
	numID int
}

// listIndent is the left indent of list text at a nesting depth (twips).
func listIndent(depth int) int { return 454 * (depth + 1) }

func (r *renderer) list(n ast.Node) {
	l := n.(*ast.List)
	depth := len(r.lists)
	var id int
	if l.IsOrdered() {
		id = r.orderedNum(depth, l.Start)
	} else {
		id = r.bulletNum()
	}
	r.lists = append(r.lists, &listCtx{numID: id})
	r.children(n)
	r.lists = r.lists[:len(r.lists)-1]
}

func (r *renderer) listItem(n ast.Node) {
	lc := r.lists[len(r.lists)-1]
	// The item's first paragraph carries its number or bullet.
	r.nextPara, r.hasNext = pPr{numID: lc.numID, ilvl: len(r.lists) - 1}, true
	r.children(n)
	if r.hasNext { // an empty item still shows its marker
		r.para(pPr{}, func() {})
	}
}

// pictureList writes a young child's rules as a bulleted list in large
// type, kept on one page. Word gets the words without the pictures for
// now; the PDF and HTML draw them.
func (r *renderer) pictureList(n ast.Node) {
	pl := n.(*markdown.PictureList)
	id := r.bulletNum()
	for i, it := range pl.Items {
		text := it.Text
		r.para(pPr{numID: id, style: "ListParagraph", keepNext: i < len(pl.Items)-1}, func() {
			writeRun(&r.b, runProps{size: 32}, text)
		})
	}
}

func (r *renderer) blockquote(n ast.Node) {
	r.quote++
	r.children(n)
	r.quote--
}

func (r *renderer) thematicBreak(ast.Node) {
	r.para(pPr{border: `<w:bottom w:val="single" w:sz="4" w:space="1" w:color="A5A5A5"/>`}, func() {})
}

func (r *renderer) codeBlock(n ast.Node) {
	var text strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := strings.TrimRight(strings.ReplaceAll(string(seg.Value(r.src)), "\t", "    "), "\r\n")
		if i > 0 {
			text.WriteByte('\n')
		}
		text.WriteString(line)
	}
	r.para(pPr{style: "SourceCode", keepLines: true}, func() { writeRun(&r.b, runProps{}, text.String()) })
}
