package docx

import (
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/policypack/policypack/internal/markdown"
)

// inliner writes the inline children of a block as runs. Each inline node
// kind has its own function in inlineFuncs.
type inliner struct {
	r *renderer
	p runProps
}

type inlineFunc func(in *inliner, n ast.Node)

// inlineFuncs has one function per inline node kind. It is built once, in
// init (its functions reach it through children), and never changed.
var inlineFuncs map[ast.NodeKind]inlineFunc

func init() {
	inlineFuncs = map[ast.NodeKind]inlineFunc{
		ast.KindText:     inlineText,
		ast.KindString:   inlineString,
		ast.KindEmphasis: inlineEmphasis,
		ast.KindCodeSpan: inlineCode,
		ast.KindLink: func(in *inliner, n ast.Node) {
			in.link(string(n.(*ast.Link).Destination), func() { in.children(n) })
		},
		ast.KindAutoLink: inlineAutoLink,
		ast.KindImage:    inlineImage,
		ast.KindRawHTML:  inlineRawHTML,
	}
}

func inlineString(in *inliner, n ast.Node) {
	s := n.(*ast.String)
	v := s.Value
	if !s.IsRaw() && !s.IsCode() {
		v = markdown.Unescape(v)
	}
	in.text(string(v))
}

func inlineEmphasis(in *inliner, n ast.Node) {
	saved := in.p
	if n.(*ast.Emphasis).Level >= 2 {
		in.p.bold = true
	} else {
		in.p.italic = true
	}
	in.children(n)
	in.p = saved
}

func inlineCode(in *inliner, n ast.Node) {
	saved := in.p
	in.p.code = true
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch t := c.(type) {
		case *ast.Text:
			in.text(strings.ReplaceAll(string(t.Value(in.r.src)), "\n", " "))
		case *ast.String:
			in.text(string(t.Value))
		}
	}
	in.p = saved
}

func inlineAutoLink(in *inliner, n ast.Node) {
	l := n.(*ast.AutoLink)
	url := string(l.URL(in.r.src))
	if l.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(url), "mailto:") {
		url = "mailto:" + url
	}
	in.link(url, func() { in.text(string(l.Label(in.r.src))) })
}

func inlineImage(in *inliner, n ast.Node) {
	// Only the school logo (from config) is an image; an image in
	// the text shows its description, as in the PDF and HTML, so
	// school text loads nothing and no words are lost.
	saved := in.p
	in.p.italic = true
	in.children(n)
	in.p = saved
}

func inlineRawHTML(in *inliner, n ast.Node) {
	h := n.(*ast.RawHTML)
	var b []byte
	for i := 0; i < h.Segments.Len(); i++ {
		s := h.Segments.At(i)
		b = append(b, s.Value(in.r.src)...)
	}
	switch strings.ToLower(strings.ReplaceAll(string(b), " ", "")) {
	case "<br>", "<br/>":
		in.r.b.WriteString(`<w:r><w:br/></w:r>`)
	}
	// Other inline HTML (comments) is not text and writes nothing.
}

// inlines writes n's inline children with the run properties p.
func (r *renderer) inlines(n ast.Node, p runProps) {
	in := &inliner{r: r, p: p}
	in.children(n)
}

// inlineText writes a text node, resolving backslash escapes and entities
// as goldmark's HTML writer does, and its soft or hard line break.
func inlineText(in *inliner, n ast.Node) {
	t := n.(*ast.Text)
	v := t.Value(in.r.src)
	if !t.IsRaw() {
		v = markdown.Unescape(v)
	}
	in.text(string(v))
	switch {
	case t.HardLineBreak():
		in.r.b.WriteString(`<w:r><w:br/></w:r>`)
	case t.SoftLineBreak():
		in.text(" ")
	}
}

// text writes s as a run. Newlines inside inline text are spaces (Markdown
// joins the lines of a paragraph).
func (in *inliner) text(s string) {
	writeRun(&in.r.b, in.p, strings.ReplaceAll(s, "\n", " "))
}

// link writes body as a hyperlink: to a heading's bookmark for "#id", to
// the address for a web or mail address. Any other target (javascript:,
// data:, a missing heading) is plain text, as in the PDF.
func (in *inliner) link(dest string, body func()) {
	var open string
	switch {
	case strings.HasPrefix(dest, "#"):
		hd, ok := in.r.byID[dest[1:]]
		if !ok || hd.bookmark == "" {
			body()
			return
		}
		open = `<w:hyperlink w:anchor="` + esc(hd.bookmark) + `" w:history="1">`
	case strings.HasPrefix(dest, markdown.PolicyScheme):
		// Another policy: its Word file beside this one, a relative
		// external target that Word resolves against the document's
		// folder; plain text where the document has none.
		id, ok := markdown.PolicyLinkID(dest)
		if !ok || in.r.meta.Path == "" {
			body()
			return
		}
		open = `<w:hyperlink r:id="` + in.r.linkRel(markdown.PolicyHref(in.r.meta.Path, id, "docx")) + `" w:history="1">`
	case markdown.SafeURL(dest):
		open = `<w:hyperlink r:id="` + in.r.linkRel(strings.TrimSpace(dest)) + `" w:history="1">`
	default:
		body()
		return
	}
	saved := in.p
	in.p.link = true
	in.r.b.WriteString(open)
	body()
	in.r.b.WriteString(`</w:hyperlink>`)
	in.p = saved
}

func (in *inliner) children(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if fn, ok := inlineFuncs[c.Kind()]; ok {
			fn(in, c)
		} else {
			// An inline kind with no function of its own still shows
			// its text.
			in.children(c)
		}
	}
}
