package markdown

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// PageBreakMarker is the line templates write to start a new page. It is an
// HTML comment so that Markdown viewers show nothing for it.
const PageBreakMarker = "<!-- pagebreak -->"

// KindPageBreak is the node kind of a page break.
var KindPageBreak = ast.NewNodeKind("PageBreak")

// PageBreak forces the following content onto a new page in paged output.
type PageBreak struct{ ast.BaseBlock }

// Kind implements ast.Node.
func (n *PageBreak) Kind() ast.NodeKind { return KindPageBreak }

// Dump implements ast.Node.
func (n *PageBreak) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

type pageBreakParser struct{}

func (pageBreakParser) Trigger() []byte { return []byte{'<'} }

func (pageBreakParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, _ := reader.PeekLine()
	if !bytes.Equal(bytes.TrimSpace(line), []byte(PageBreakMarker)) {
		return nil, parser.NoChildren
	}
	reader.AdvanceLine()
	return &PageBreak{}, parser.NoChildren | parser.Close
}

func (pageBreakParser) Continue(ast.Node, text.Reader, parser.Context) parser.State {
	return parser.Close
}
func (pageBreakParser) Close(ast.Node, text.Reader, parser.Context) {}
func (pageBreakParser) CanInterruptParagraph() bool                 { return true }
func (pageBreakParser) CanAcceptIndentedLine() bool                 { return false }

// FieldKind says what a form field asks for.
type FieldKind int

const (
	// FieldBlank is a labelled blank line to write on.
	FieldBlank FieldKind = iota
	// FieldYesNo is a yes/no choice with two tick boxes.
	FieldYesNo
)

// Field is one labelled field of a form row.
type Field struct {
	Kind  FieldKind
	Label string // plain text, backslash escapes removed
	Width int    // width of a blank in characters (number of underscores)
	Value string // pre-filled value ("" for a blank field)
}

// KindFormBlock is the node kind of a block of form fields.
var KindFormBlock = ast.NewNodeKind("FormBlock")

// FormBlock is a group of consecutive form rows that paged output keeps
// together on one page (a signature block is never split).
type FormBlock struct {
	ast.BaseBlock
	Rows [][]Field
}

// Kind implements ast.Node.
func (n *FormBlock) Kind() ast.NodeKind { return KindFormBlock }

// Dump implements ast.Node.
func (n *FormBlock) Dump(src []byte, level int) {
	m := map[string]string{}
	for i, r := range n.Rows {
		var parts []string
		for _, f := range r {
			parts = append(parts, f.Label+"/"+strconv.Itoa(int(f.Kind))+"/"+strconv.Itoa(f.Width))
		}
		m["row"+strconv.Itoa(i)] = strings.Join(parts, ", ")
	}
	ast.DumpHelper(n, src, level, m, nil)
}

// A form row is a line made only of fields: "Label: ____" (three or more
// underscores, optionally with a pre-filled value written as "Label: __Value__"
// is not supported; values come through FieldValue instead) or
// "Label: [ ] Yes [ ] No". Labels cannot contain a colon.
var (
	fieldRe = regexp.MustCompile(`^\s*([^:\n]*?[^:\s\\])\s*:\s+(?:(_{3,})|(\[ \] Yes\s+\[ \] No))`)
	// valueRe matches a pre-filled blank: "Label: ___ Value ___".
	valueRe = regexp.MustCompile(`^\s*([^:\n]*?[^:\s\\])\s*:\s+_{3}\s(.+?)\s(_{3,})(?:\s|$)`)
)

// ParseRow parses one line as a form row; ok is false when the line holds
// anything that is not a field.
func ParseRow(line string) (row []Field, ok bool) {
	// Most paragraphs are prose: rule them out before any regexp runs.
	if !strings.Contains(line, ":") || !strings.Contains(line, "___") && !strings.Contains(line, "[ ] Yes") {
		return nil, false
	}
	rest := strings.TrimRight(line, " \t\\\r\n")
	for strings.TrimSpace(rest) != "" {
		if m := valueRe.FindStringSubmatchIndex(rest); m != nil {
			value := unescape(rest[m[4]:m[5]])
			row = append(row, Field{Kind: FieldBlank, Label: unescape(rest[m[2]:m[3]]),
				Value: value, Width: m[7] - m[6] + 4 + utf8.RuneCountInString(value)})
			rest = rest[m[7]:]
			continue
		}
		m := fieldRe.FindStringSubmatchIndex(rest)
		if m == nil {
			return nil, false
		}
		f := Field{Label: unescape(rest[m[2]:m[3]])}
		if m[4] >= 0 {
			f.Kind, f.Width = FieldBlank, m[5]-m[4]
		} else {
			f.Kind = FieldYesNo
		}
		row = append(row, f)
		rest = rest[m[1]:]
	}
	return row, len(row) > 0
}

// unescape removes Markdown backslash escapes from a label.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// formTransformer replaces paragraphs made only of form rows with FormBlock
// nodes, merging consecutive ones so a signature block stays one unit.
type formTransformer struct{}

func (formTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var paras []*ast.Paragraph
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if p, ok := n.(*ast.Paragraph); ok && entering {
			paras = append(paras, p)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, p := range paras {
		var rows [][]Field
		lines := p.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			row, ok := ParseRow(string(seg.Value(src)))
			if !ok {
				rows = nil
				break
			}
			// A label prints as the sentence around it does:
			// "Parent/carer’s signature".
			for i := range row {
				row[i].Label = Typographic(row[i].Label)
			}
			rows = append(rows, row)
		}
		if rows == nil {
			continue
		}
		parent := p.Parent()
		if prev, ok := p.PreviousSibling().(*FormBlock); ok {
			prev.Rows = append(prev.Rows, rows...)
			parent.RemoveChild(parent, p)
			continue
		}
		fb := &FormBlock{Rows: rows}
		parent.ReplaceChild(parent, p, fb)
	}
}
