// Package html renders a parsed document as one standalone, accessible HTML
// page: goldmark's own renderers for CommonMark and tables, plus renderer
// functions for policypack's page-break and form-field nodes, inside a page
// shell with print CSS for A4. The page makes no external requests.
package html

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/base64"
	"fmt"
	htmltemplate "html/template"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"

	"github.com/policypack/policypack/internal/markdown"
)

//go:embed page.css
var pageCSS string

// CSS is the stylesheet every page embeds (the dashboard reuses it).
func CSS() string { return pageCSS }

// bodyRenderer renders the AST. Raw HTML in the Markdown is never passed
// through (goldmark's default) and images print as their alt text, so
// school-written section text cannot inject markup or load anything.
var bodyRenderer = renderer.NewRenderer(renderer.WithNodeRenderers(
	util.Prioritized(gmhtml.NewRenderer(), 1000),
	util.Prioritized(extension.NewTableHTMLRenderer(), 500),
	util.Prioritized(nodeRenderer{}, 100),
))

// nodeRenderer registers a function per policypack node kind, as goldmark's
// own renderers do.
type nodeRenderer struct{}

func (nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(markdown.KindPageBreak, renderPageBreak)
	reg.Register(markdown.KindFormBlock, renderFormBlock)
	reg.Register(markdown.KindPictureList, renderPictureList)
	reg.Register(ast.KindImage, renderImage)
	reg.Register(ast.KindLink, renderLink)
	reg.Register(markdown.KindTitleBlock, renderTitleBlock)
	reg.Register(markdown.KindContents, renderContents)
}

// docWriter is the writer Render hands goldmark: goldmark passes it on to
// every node renderer, which is how a renderer learns where the document
// being rendered lives (renderers are shared by every document and
// goroutine, so they keep no state of their own).
type docWriter struct {
	*bufio.Writer
	path string // the document's Meta.Path
}

// registered captures the functions a goldmark node renderer registers.
type registered map[ast.NodeKind]renderer.NodeRendererFunc

func (r registered) Register(k ast.NodeKind, f renderer.NodeRendererFunc) { r[k] = f }

// goldmarkLink is goldmark's own link renderer, for every link that is not
// to another policy.
var goldmarkLink = func() renderer.NodeRendererFunc {
	r := registered{}
	gmhtml.NewRenderer().RegisterFuncs(r)
	return r[ast.KindLink]
}()

// renderLink resolves a link to another policy (markdown.PolicyScheme) to
// that policy's HTML file beside this one; any other link is goldmark's,
// which blanks javascript: and the like. A policy link in a document with
// no place beside its school's policies is plain text.
func renderLink(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	dest := string(n.(*ast.Link).Destination)
	if !strings.HasPrefix(dest, markdown.PolicyScheme) {
		return goldmarkLink(w, src, n, entering)
	}
	id, ok := markdown.PolicyLinkID(dest)
	dw, _ := w.(*docWriter)
	if !ok || dw == nil || dw.path == "" {
		return ast.WalkContinue, nil
	}
	if entering {
		fmt.Fprintf(w, "<a href=\"%s\">", htmltemplate.HTMLEscapeString(markdown.PolicyHref(dw.path, id, "html")))
	} else {
		_, _ = w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

// renderTitleBlock prints the title-block partial's Markdown as it was
// written, so a trust's rewording shows as it wrote it, in a header
// landmark.
func renderTitleBlock(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		tb := n.(*markdown.TitleBlock)
		_, _ = w.WriteString("<header class=\"title-block\">\n")
		if err := bodyRenderer.Render(w, tb.Doc.Source, tb.Doc.Root); err != nil {
			return ast.WalkStop, err
		}
		_, _ = w.WriteString("</header>\n")
	}
	return ast.WalkSkipChildren, nil
}

// renderContents prints the contents list written from its entries, in a
// navigation landmark named by its heading, so a screen reader can jump
// to it.
func renderContents(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		c := n.(*markdown.Contents)
		fmt.Fprintf(w, "<nav class=\"contents\" aria-labelledby=\"%s\">\n", markdown.ContentsID)
		if err := bodyRenderer.Render(w, c.Doc.Source, c.Doc.Root); err != nil {
			return ast.WalkStop, err
		}
		_, _ = w.WriteString("</nav>\n")
	}
	return ast.WalkSkipChildren, nil
}

// renderImage prints an image's alt text, as the PDF does: a page must make
// no external requests, and an image in a school's own section text could
// otherwise load from anywhere (a tracking pixel). The school logo comes
// from config and is embedded in the page instead.
func renderImage(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	var alt strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			alt.Write(t.Value(src))
		}
	}
	_, _ = w.WriteString(htmltemplate.HTMLEscapeString(alt.String()))
	return ast.WalkSkipChildren, nil
}

func renderPageBreak(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<div class=\"page-break\" role=\"presentation\"></div>\n")
	}
	return ast.WalkContinue, nil
}

func renderFormBlock(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	fb := n.(*markdown.FormBlock)
	_, _ = w.WriteString("<div class=\"form-block\">\n")
	for _, row := range fb.Rows {
		_, _ = w.WriteString("<p class=\"form-row\">")
		for _, f := range row {
			label := htmltemplate.HTMLEscapeString(f.Label)
			switch f.Kind {
			case markdown.FieldYesNo:
				fmt.Fprintf(w, "<span class=\"field yesno\" role=\"group\" aria-label=\"%s\"><span class=\"label\">%s:</span> "+
					"<span class=\"choices\"><label><input type=\"checkbox\"> Yes</label> <label><input type=\"checkbox\"> No</label></span></span>", label, label)
			default:
				width := min(max(f.Width, 6), 60)
				val := ""
				if f.Value != "" {
					val = fmt.Sprintf(" value=\"%s\"", htmltemplate.HTMLEscapeString(f.Value))
				}
				fmt.Fprintf(w, "<label class=\"field\"><span class=\"label\">%s:</span> <input type=\"text\" class=\"blank\" style=\"width:%dch\"%s></label>", label, width, val)
			}
			_, _ = w.WriteString(" ")
		}
		_, _ = w.WriteString("</p>\n")
	}
	_, _ = w.WriteString("</div>\n")
	return ast.WalkSkipChildren, nil
}

var page = htmltemplate.Must(htmltemplate.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{.Creator}}">
{{- if .Meta.School}}
<meta name="author" content="{{.Meta.School}}">{{end}}
{{- if .Meta.Subject}}
<meta name="description" content="{{.Meta.Subject}}">{{end}}
<title>{{.Meta.Title}}{{if .Meta.School}} – {{.Meta.School}}{{end}}</title>
<style>{{.CSS}}</style>
</head>
<body{{if .Meta.Form}} class="form"{{end}}>
<header class="running">{{.Meta.School}} · {{.Meta.Title}}</header>
{{- if .Logo}}
<img class="logo" src="{{.Logo}}" alt="{{.Meta.School}} logo">{{end}}
<main>
{{.Body}}</main>
{{- if .Footer}}
<footer class="running">{{.Footer}}</footer>{{end}}
</body>
</html>
`))

// Render renders the document as a complete HTML page.
func Render(doc *markdown.Document) ([]byte, error) {
	var body bytes.Buffer
	if err := bodyRenderer.Render(&docWriter{Writer: bufio.NewWriter(&body), path: doc.Meta.Path}, doc.Source, doc.Root); err != nil {
		return nil, fmt.Errorf("rendering HTML: %w", err)
	}
	var logo htmltemplate.URL
	if len(doc.Meta.Logo) > 0 {
		mime := "image/png"
		if strings.HasPrefix(doc.Meta.LogoType, "jp") {
			mime = "image/jpeg"
		}
		logo = htmltemplate.URL("data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(doc.Meta.Logo))
	}
	lang := doc.Meta.Lang
	if lang == "" {
		lang = "en-GB"
	}
	creator := doc.Meta.Creator
	if creator == "" {
		creator = "policypack"
	}
	var out bytes.Buffer
	err := page.Execute(&out, map[string]any{
		"Meta": doc.Meta, "Lang": lang, "Creator": creator,
		"CSS":  htmltemplate.CSS(pageCSS),
		"Logo": logo,
		// Forms never carry a review notice or date; a draft says so.
		"Footer": markdown.Footer(doc.Meta),
		// The body comes from goldmark's renderer, which escapes all text
		// and drops raw HTML.
		"Body": htmltemplate.HTML(body.String()),
	})
	if err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// renderPictureList prints a young child's rules as a list, each picture as
// inline SVG drawn from the same shapes as the PDF (the page makes no
// request for an image). The pictures illustrate words that say the same,
// so screen readers skip them.
func renderPictureList(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	pl := n.(*markdown.PictureList)
	_, _ = w.WriteString("<ul class=\"picture-list\">\n")
	for _, it := range pl.Items {
		_, _ = w.WriteString("<li>")
		writeSVG(w, it.Picture)
		fmt.Fprintf(w, "<span>%s</span></li>\n", htmltemplate.HTMLEscapeString(it.Text))
	}
	_, _ = w.WriteString("</ul>\n")
	return ast.WalkSkipChildren, nil
}

func writeSVG(w util.BufWriter, p *markdown.Picture) {
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	fmt.Fprintf(w, "<svg class=\"picture\" viewBox=\"0 0 100 100\" aria-hidden=\"true\" focusable=\"false\" "+
		"fill=\"none\" stroke=\"currentColor\" stroke-width=\"%s\" stroke-linecap=\"round\" stroke-linejoin=\"round\">", num(p.Stroke))
	for _, s := range p.Shapes {
		fill := ""
		if s.Fill {
			fill = " fill=\"currentColor\""
		}
		pts := s.Pts
		switch s.Kind {
		case markdown.ShapeCircle:
			fmt.Fprintf(w, "<circle cx=\"%s\" cy=\"%s\" r=\"%s\"%s/>", num(pts[0]), num(pts[1]), num(pts[2]), fill)
		case markdown.ShapeRect:
			fmt.Fprintf(w, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" rx=\"%s\"%s/>", num(pts[0]), num(pts[1]), num(pts[2]), num(pts[3]), num(pts[4]), fill)
		case markdown.ShapeLine, markdown.ShapePolygon:
			var b strings.Builder
			for i := 0; i+1 < len(pts); i += 2 {
				if i > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(num(pts[i]) + "," + num(pts[i+1]))
			}
			el := "polyline"
			if s.Kind == markdown.ShapePolygon {
				el = "polygon"
			}
			fmt.Fprintf(w, "<%s points=\"%s\"%s/>", el, b.String(), fill)
		}
	}
	_, _ = w.WriteString("</svg>")
}
