package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The typographer prints ' and " as ’ ‘ “ ”, -- and --- as – and —, and ...
// as …, in every output, because it runs where the AST is made. Its
// substitutions are the characters themselves, not HTML entities (goldmark's
// default), so every renderer prints them as text: the PDF fonts have them
// and the HTML writes them as UTF-8. << and >> are left alone: a school
// writes them as themselves, never as guillemets.
var typographerSubs = map[extension.TypographicPunctuation][]byte{
	extension.LeftSingleQuote:  []byte("‘"),
	extension.RightSingleQuote: []byte("’"),
	extension.LeftDoubleQuote:  []byte("“"),
	extension.RightDoubleQuote: []byte("”"),
	extension.EnDash:           []byte("–"),
	extension.EmDash:           []byte("—"),
	extension.Ellipsis:         []byte("…"),
	extension.Apostrophe:       []byte("’"),
	// nil turns a substitution off (the defaults would make guillemets).
	extension.LeftAngleQuote:  nil,
	extension.RightAngleQuote: nil,
}

// typographer is goldmark's typographer parser, except inside a word that is
// an address (a URL or an email address, which may hold an apostrophe or two
// hyphens): an address must print exactly as it is typed. Code spans,
// autolinks and link destinations never reach it.
type typographer struct{ parser.InlineParser }

func newTypographer() parser.InlineParser {
	subs := extension.WithTypographicSubstitutions(typographerSubs)
	return typographer{extension.NewTypographerParser(subs)}
}

// Parse implements parser.InlineParser.
func (t typographer) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	if inAddress(block) {
		return nil
	}
	return t.InlineParser.Parse(parent, block, pc)
}

// inAddress reports whether the reader's position is inside a word (text
// between spaces, brackets or parentheses) that looks like a URL or an
// email address.
func inAddress(block text.Reader) bool {
	src := block.Source()
	_, pos := block.Position()
	at := pos.Start
	start, end := at, at
	for start > 0 && !wordEnd(src[start-1]) {
		start--
	}
	for end < len(src) && !wordEnd(src[end]) {
		end++
	}
	w := src[start:end]
	return bytes.Contains(w, []byte("://")) || bytes.HasPrefix(w, []byte("www.")) || bytes.IndexByte(w, '@') > 0
}

func wordEnd(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '(', ')', '[', ']', '<', '>':
		return true
	}
	return false
}

// Typographic is plain text s as the typographer prints it in a document
// body, so that a school's name or a title in a running header or the
// file's metadata ("St Mary’s") matches the same words in the text.
func Typographic(s string) string {
	if !strings.ContainsAny(s, `'"-.`) {
		return s
	}
	src := []byte(Escape(s))
	root := md.Parser().Parse(text.NewReader(src))
	var b strings.Builder
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.Text:
			b.Write(util.UnescapePunctuations(t.Value(src)))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// textMerger joins text nodes that follow each other in the source. The
// typographer's parser is offered every ' " - . < > , * [ and, when it
// declines one, goldmark ends the text node there: "Text before." would
// reach the renderers as "Text before" and ".", which a Word file writes
// as two runs.
type textMerger struct{}

func (textMerger) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		t, ok := n.(*ast.Text)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		for {
			next, ok := t.NextSibling().(*ast.Text)
			if !ok || t.SoftLineBreak() || t.HardLineBreak() || t.IsRaw() != next.IsRaw() ||
				t.Segment.Stop != next.Segment.Start || t.Segment.Padding != 0 || next.Segment.Padding != 0 {
				break
			}
			t.Segment = t.Segment.WithStop(next.Segment.Stop)
			t.SetSoftLineBreak(next.SoftLineBreak())
			t.SetHardLineBreak(next.HardLineBreak())
			t.Parent().RemoveChild(t.Parent(), next)
		}
		return ast.WalkContinue, nil
	})
}
