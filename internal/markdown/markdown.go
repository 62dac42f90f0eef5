// Package markdown turns a composed Markdown document into the one AST that
// every output format renders. It owns the Markdown dialect policypack speaks:
// CommonMark with GFM tables, heading attributes ({#id}), typographic quotes
// and dashes, a page-break marker and form fields, so the HTML and PDF renderers never parse text themselves.
package markdown

import (
	"bytes"
	"regexp"
	"strings"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Meta describes a document for title blocks, running headers and footers and
// file metadata. Every field is plain text (never Markdown) except Front's
// title block.
type Meta struct {
	School       string // display name of the school, e.g. "Robert Miles Infant School"
	Title        string // document title, e.g. "Online Safety Policy"
	Subject      string // one-line description for PDF metadata
	Version      string // "" when not recorded
	ApprovedBy   string // "" when not recorded
	ApprovedOn   string // en-GB date or "" when not recorded
	LastReviewed string // en-GB date or ""
	NextReview   string // en-GB date or ""
	// State is the policy's approval and review state; each output words
	// it (State.Notice).
	State State
	// Noun is the document's own word for itself ("policy", "procedure"),
	// for the sentences the renderers word from State.
	Noun string
	// Front is the front matter (title block, contents) compose hands the
	// renderers beside the body.
	Front   Front
	Lang    string // BCP 47 language tag, "en-GB"
	Creator string // producing program and version
	// Created is the document's fixed time for file metadata (PDF dates,
	// Word core properties); the zero time means 1 January 2000. Compose
	// sets it (SOURCE_DATE_EPOCH when the build was given one, else the
	// policy's last review or approval date), so no renderer reads the
	// environment or the clock.
	Created time.Time
	// Logo is the school logo as PNG or JPEG bytes (nil for none) and
	// LogoType is "png" or "jpg".
	Logo     []byte
	LogoType string
	// Form is true for a signature form: PDF renderers draw no table of
	// contents and keep the form on as few pages as it needs.
	Form bool
	// QR is an address (the school's online policy) that paged output prints
	// as a QR code on a form, or "" for none.
	QR string
	// Path is the document's path in its school's folder, without an
	// extension ("online-safety", "forms/parent-agreement"): a link to
	// another policy (PolicyScheme) is resolved relative to it. Empty when
	// the document has no place beside the school's policies (a form
	// printed for a roster): such a link is then plain text.
	Path string
	// Cover is true for the cover of a bound pack (several documents in
	// one file): it has no review record of its own, so paged output
	// draws its title block and footer without one, and its contents
	// entries name headings of the pack's other documents (see
	// PackEntryID) rather than of its own body.
	Cover bool
}

// PackEntryID is the id a pack cover's contents entry gives for a heading
// of one of the pack's documents: the document's key in the pack (its path
// in the school's folder, say), then "#" and the heading's id; an empty
// heading id names the document's title.
func PackEntryID(doc, heading string) string {
	if heading == "" {
		return doc
	}
	return doc + "#" + heading
}

// Document is a parsed document: its metadata, its Markdown source and the
// AST parsed from it. Text segments in the AST point into Source.
type Document struct {
	Meta   Meta
	Source []byte
	Root   ast.Node
}

// Text returns the text of a node's inline children, resolving segments
// against the document source.
func (d *Document) Text(n ast.Node) string {
	return string(nodeText(n, d.Source))
}

func nodeText(n ast.Node, src []byte) []byte {
	var out []byte
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch t := c.(type) {
		case *ast.Text:
			out = append(out, t.Value(src)...)
			if t.SoftLineBreak() || t.HardLineBreak() {
				out = append(out, ' ')
			}
		case *ast.String:
			out = append(out, t.Value...)
		default:
			out = append(out, nodeText(c, src)...)
		}
	}
	return out
}

// parser is safe for concurrent use once built; goldmark parsers hold no
// per-document state.
var md = goldmark.New(
	goldmark.WithExtensions(extension.Table),
	goldmark.WithParserOptions(
		parser.WithAttribute(),
		parser.WithAutoHeadingID(),
		parser.WithBlockParsers(util.Prioritized(pageBreakParser{}, 50)),
		// After every other inline parser, as goldmark's own extension
		// registers it, so code spans and links are parsed first.
		parser.WithInlineParsers(util.Prioritized(newTypographer(), 9999)),
		parser.WithASTTransformers(util.Prioritized(formTransformer{}, 100), util.Prioritized(pictureTransformer{}, 110),
			util.Prioritized(textMerger{}, 1000)),
	),
)

// Parse parses the body src into a Document. The front matter in meta
// becomes a TitleBlock and a Contents node at the top of the tree (a
// cover's contents at the end), each parsed on its own, so the body holds
// only body. Parsing never fails: any
// text is valid Markdown.
func Parse(src []byte, meta Meta) *Document {
	// The plain-text fields print as the body does.
	meta.School, meta.Title, meta.Subject = Typographic(meta.School), Typographic(meta.Title), Typographic(meta.Subject)
	// One parser context for the front matter and the body, so heading ids
	// made up from heading text never repeat the title's or the contents'.
	pc := parser.NewContext()
	var front []ast.Node
	if tb := meta.Front.TitleBlock; tb != nil {
		front = append(front, &TitleBlock{Doc: parseWith(tb, meta, pc)})
	}
	var back ast.Node
	if es := meta.Front.Contents; len(es) > 0 {
		c := &Contents{Entries: es, Doc: parseWith(ContentsMarkdown(es), meta, pc)}
		if meta.Cover {
			// A pack's cover lists its policies first, then the
			// contents of the whole pack.
			back = c
		} else {
			front = append(front, c)
		}
	}
	pc.IDs().Put([]byte(ContentsID))
	doc := parseWith(src, meta, pc)
	if back != nil {
		doc.Root.AppendChild(doc.Root, back)
	}
	for i := len(front) - 1; i >= 0; i-- {
		if first := doc.Root.FirstChild(); first != nil {
			doc.Root.InsertBefore(doc.Root, first, front[i])
		} else {
			doc.Root.AppendChild(doc.Root, front[i])
		}
	}
	return doc
}

func parseWith(src []byte, meta Meta, pc parser.Context) *Document {
	root := md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	return &Document{Meta: meta, Source: src, Root: root}
}

// Markdown is the document as one Markdown file: the title block, the
// contents list written from its entries, then the body.
func (d *Document) Markdown() []byte {
	var out []byte
	add := func(b []byte) {
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			return
		}
		if len(out) > 0 {
			out = append(out, "\n\n"...)
		}
		out = append(out, b...)
	}
	// A link to another policy names the Markdown file beside this one.
	add(resolvePolicyLinks(d.Meta.Front.TitleBlock, d.Meta.Path, "md"))
	add(ContentsMarkdown(d.Meta.Front.Contents))
	add(resolvePolicyLinks(d.Source, d.Meta.Path, "md"))
	if len(out) > 0 {
		out = append(out, '\n')
	}
	return out
}

// PolicyScheme begins a link to another policy of the same school:
// compose writes "[Child Protection Policy](policy:child-protection)", naming
// the policy, never a file of one format, and each output resolves it: the
// Markdown file to child-protection.md, the HTML to .html, the PDF to .pdf
// and Word to .docx beside it (PolicyHref), the bound pack to the policy's
// first page in the same file.
const PolicyScheme = "policy:"

// PolicyLinkID returns the policy id a link destination names, if it is a
// link to a policy (PolicyScheme and an id: lowercase letters, digits and
// single hyphens).
func PolicyLinkID(dest string) (string, bool) {
	id, ok := strings.CutPrefix(dest, PolicyScheme)
	if !ok || !validID(id) {
		return "", false
	}
	return id, true
}

func validID(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// PolicyHref is the relative address, from the document at path (Meta.Path),
// of policy id's file with extension ext: "child-protection.html" from a
// policy, "../child-protection.html" from a form in forms/. Both are
// generated from ids, so the address holds no character that needs escaping.
func PolicyHref(path, id, ext string) string {
	return strings.Repeat("../", strings.Count(path, "/")) + id + "." + ext
}

// policyLinkRe finds a policy link's destination in Markdown source; the
// character before "]" is checked separately (an escaped "\]" is text).
var policyLinkRe = regexp.MustCompile(`\]\(` + PolicyScheme + `([a-z0-9]+(?:-[a-z0-9]+)*)\)`)

// resolvePolicyLinks rewrites each policy link's destination in src to
// the file with extension ext beside the document at path.
func resolvePolicyLinks(src []byte, path, ext string) []byte {
	if !bytes.Contains(src, []byte("]("+PolicyScheme)) {
		return src
	}
	var out []byte
	last := 0
	for _, m := range policyLinkRe.FindAllSubmatchIndex(src, -1) {
		bs := 0
		for i := m[0] - 1; i >= 0 && src[i] == '\\'; i-- {
			bs++
		}
		if bs%2 == 1 {
			continue
		}
		out = append(out, src[last:m[0]]...)
		out = append(out, "]("+PolicyHref(path, string(src[m[2]:m[3]]), ext)+")"...)
		last = m[1]
	}
	return append(out, src[last:]...)
}

// SafeURL reports whether a link target may become a live link in an
// output: web and mail addresses only. javascript:, data: and the like in
// a school's text stay text, as goldmark's HTML renderer blanks them.
func SafeURL(dest string) bool {
	d := strings.ToLower(strings.TrimSpace(dest))
	return strings.HasPrefix(d, "https://") || strings.HasPrefix(d, "http://") || strings.HasPrefix(d, "mailto:")
}

// Unescape is a text segment's characters as a reader sees them: Markdown's
// backslash escapes and character references resolved (compose escapes
// every config value, so "O\'Brien" and "&amp;" reach the renderers).
func Unescape(v []byte) []byte {
	if bytes.IndexByte(v, '\\') >= 0 {
		v = util.UnescapePunctuations(v)
	}
	if bytes.IndexByte(v, '&') >= 0 {
		v = util.ResolveNumericReferences(v)
		v = util.ResolveEntityNames(v)
	}
	return v
}
