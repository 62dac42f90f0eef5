package markdown

import (
	"reflect"
	"testing"

	"github.com/yuin/goldmark/ast"
)

func TestParseRow(t *testing.T) {
	tests := []struct {
		line string
		want []Field
		ok   bool
	}{
		{"Full name: ________", []Field{{Kind: FieldBlank, Label: "Full name", Width: 8}}, true},
		{"Signature: ______ Date: ____", []Field{{Label: "Signature", Width: 6}, {Label: "Date", Width: 4}}, true},
		{"Photos on the website: [ ] Yes [ ] No", []Field{{Kind: FieldYesNo, Label: "Photos on the website"}}, true},
		{`Parent\/carer name: ___`, []Field{{Label: "Parent/carer name", Width: 3}}, true},
		{"Pupil name: ___ Zoë Example ______", []Field{{Label: "Pupil name", Value: "Zoë Example", Width: 21}}, true},
		{"Note: read this carefully", nil, false},
		{"Full name: ____ and some prose", nil, false},
		{"Just prose with ___ underscores", nil, false},
	}
	for _, tt := range tests {
		got, ok := ParseRow(tt.line)
		if ok != tt.ok || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseRow(%q) = %+v, %v; want %+v, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseNodes(t *testing.T) {
	src := "# T\n\nIntro\n\n<!-- pagebreak -->\n\nName: ______\n\nSignature: ____ Date: ____\n\nNot a form: text\n"
	doc := Parse([]byte(src), Meta{})
	var kinds []ast.NodeKind
	for n := doc.Root.FirstChild(); n != nil; n = n.NextSibling() {
		kinds = append(kinds, n.Kind())
	}
	want := []ast.NodeKind{ast.KindHeading, ast.KindParagraph, KindPageBreak, KindFormBlock, ast.KindParagraph}
	if !reflect.DeepEqual(kinds, want) {
		t.Fatalf("kinds = %v, want %v", kinds, want)
	}
	fb := doc.Root.FirstChild().NextSibling().NextSibling().NextSibling().(*FormBlock)
	if len(fb.Rows) != 2 || len(fb.Rows[1]) != 2 {
		t.Errorf("consecutive form paragraphs not merged into one block: %+v", fb.Rows)
	}
}
