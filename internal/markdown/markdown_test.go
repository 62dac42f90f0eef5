package markdown

import (
	"reflect"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
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
	if l := Parse([]byte(`Parent\/carer's name: ___`+"\n"), Meta{}).Root.FirstChild().(*FormBlock).Rows[0][0].Label; l != "Parent/carer’s name" {
		t.Errorf("label %q, want the typographer's apostrophe", l)
	}
	if len(fb.Rows) != 2 || len(fb.Rows[1]) != 2 {
		t.Errorf("consecutive form paragraphs not merged into one block: %+v", fb.Rows)
	}
}

// TestFrontMatterNodes: the front matter in Meta becomes a TitleBlock and a
// Contents node before the body, the .md file is written from the data, and
// a body heading never takes the contents' id.
func TestFrontMatterNodes(t *testing.T) {
	meta := Meta{Title: "Policy", Front: Front{
		TitleBlock: []byte("# Policy\n\n**Oak *School***\n"),
		Contents: []Entry{
			{ID: "aims", Number: "1", Title: "Aims & *ends*", Level: 1},
			{ID: "scope", Number: "1.1", Title: "Scope", Level: 2},
			{ID: "forms", Number: "A", Title: "Forms", Level: 1, Appendix: true},
		},
	}}
	body := "## 1. Aims \\& \\*ends\\* {#aims}\n\n### Contents\n\nText.\n"
	doc := Parse([]byte(body), meta)
	var kinds []ast.NodeKind
	for n := doc.Root.FirstChild(); n != nil; n = n.NextSibling() {
		kinds = append(kinds, n.Kind())
	}
	want := []ast.NodeKind{KindTitleBlock, KindContents, ast.KindHeading, ast.KindHeading, ast.KindParagraph}
	if !reflect.DeepEqual(kinds, want) {
		t.Fatalf("kinds = %v, want %v", kinds, want)
	}
	h := doc.Root.FirstChild().NextSibling().NextSibling().NextSibling().(*ast.Heading)
	if id, _ := h.AttributeString("id"); string(id.([]byte)) == ContentsID {
		t.Errorf("a body heading took the contents list's id")
	}
	wantMD := "# Policy\n\n**Oak *School***\n\n## Contents {#contents}\n\n- [1. Aims \\& \\*ends\\*](#aims)\n    - [1.1 Scope](#scope)\n- [Appendix A: Forms](#forms)\n\n" + body
	if got := string(doc.Markdown()); got != wantMD {
		t.Errorf("Markdown() =\n%s\nwant\n%s", got, wantMD)
	}
	if got := string(Parse([]byte("Text.\n"), Meta{}).Markdown()); got != "Text.\n" {
		t.Errorf("without front matter Markdown() = %q", got)
	}
}

func TestEntryLabel(t *testing.T) {
	for _, tt := range []struct {
		e    Entry
		want string
	}{
		{Entry{Number: "3", Title: "Roles"}, "3. Roles"},
		{Entry{Number: "3.2", Title: "Staff"}, "3.2 Staff"},
		{Entry{Title: "Notes"}, "Notes"},
		{Entry{Number: "B", Title: "Forms", Appendix: true}, "Appendix B: Forms"},
		{Entry{Number: "2", Title: "Forms", Appendix: true}, "Appendix 2: Forms"},
		// As the heading prints it: the typographer's apostrophe.
		{Entry{Number: "9", Title: "Referring to children's social care"}, "9. Referring to children’s social care"},
	} {
		if got := tt.e.Label(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.e, got, tt.want)
		}
	}
}

func TestStateNotice(t *testing.T) {
	for s, want := range map[State]string{StateDraft: "DRAFT: not yet approved", StateApproved: "", StateDueSoon: "",
		StateDueToday: "Review due today, 1 May 2026", StateOverdue: "Review overdue since 1 May 2026"} {
		if got := s.Notice("1 May 2026"); got != want {
			t.Errorf("%v: %q, want %q", s, got, want)
		}
		// A notice always comes with what to do about it, in the
		// document's own word for itself.
		if act := s.Action("procedure"); (act == "") != (want == "") || (act != "" && !strings.Contains(act, "This procedure ")) {
			t.Errorf("%v: action %q for notice %q", s, act, want)
		}
	}
}

// TestTypographer: quotes, apostrophes and dashes print typographically in
// the AST every renderer reads, and escaped config text agrees with it; an
// address, a code span and a link destination print as typed.
func TestTypographer(t *testing.T) {
	tests := []struct{ src, want string }{
		{Escape("Mrs O'Brien"), "Mrs O’Brien"},
		{Escape(`the "Safer Internet" day`), "the “Safer Internet” day"},
		{"the 'one size fits all' approach", "the ‘one size fits all’ approach"},
		{"pupils' work and the school's rules", "pupils’ work and the school’s rules"},
		{"2024--25 and a pause --- then... more", "2024–25 and a pause — then… more"},
		{"a << b >> c", "a << b >> c"},
		{"self-harm stays a hyphen", "self-harm stays a hyphen"},
		{"code `it's \"x\" -- y` stays", "code it's \"x\" -- y stays"},
		{Escape("write to o'brien@school.example or see https://example.org/it's--here"), "write to o'brien@school.example or see https://example.org/it's--here"},
		{"[https://example.org/a--b](https://example.org/a--b) and [www.example.org/it's](https://www.example.org/it's)", "https://example.org/a--b and www.example.org/it's"},
	}
	for _, tt := range tests {
		doc := Parse([]byte(tt.src+"\n"), Meta{})
		p := doc.Root.FirstChild()
		if got := doc.Text(p); got != tt.want {
			t.Errorf("%q prints %q, want %q", tt.src, got, tt.want)
		}
	}
	// The link's destination is never touched.
	doc := Parse([]byte("[it's](https://example.org/it's--here)\n"), Meta{})
	l := doc.Root.FirstChild().FirstChild().(*ast.Link)
	if string(l.Destination) != "https://example.org/it's--here" {
		t.Errorf("link destination %q changed", l.Destination)
	}
}

// TestTypographicMeta: a school's name prints in a running header as compose
// writes it, escaped, in the body.
func TestTypographicMeta(t *testing.T) {
	for _, name := range []string{"St Mary's <b> & O'Brien's -- 1", "-- 1. * not a list", "Oak \\ Ash"} {
		doc := Parse([]byte(Escape(name)+"\n"), Meta{School: name})
		if body := doc.Text(doc.Root.FirstChild()); doc.Meta.School != string(util.UnescapePunctuations([]byte(body))) {
			t.Errorf("%q: header %q, body %q", name, doc.Meta.School, body)
		}
	}
	doc := Parse(nil, Meta{School: "St Mary's", Title: `The "Online" Policy`})
	if doc.Meta.School != "St Mary’s" || doc.Meta.Title != "The “Online” Policy" {
		t.Errorf("school %q, title %q", doc.Meta.School, doc.Meta.Title)
	}
}

// TestPictureList: a bullet list whose every item names a known picture is a
// picture list; a list naming an unknown picture, a list with an ordinary
// item and config text (escaped) stay ordinary lists.
func TestPictureList(t *testing.T) {
	doc := Parse([]byte("- [picture: ask] I ask a grown-up first.\n- [picture: kind] I'm kind online.\n"), Meta{})
	pl, ok := doc.Root.FirstChild().(*PictureList)
	if !ok {
		t.Fatalf("first block is %v, want a picture list", doc.Root.FirstChild().Kind())
	}
	if len(pl.Items) != 2 || pl.Items[0].Picture.Name != "ask" || pl.Items[1].Text != "I’m kind online." {
		t.Errorf("items %+v", pl.Items)
	}
	for _, src := range []string{
		"- [picture: unicorn] I ride it.\n",
		"- [picture: ask] I ask first.\n- and then this\n",
		"- " + Escape("[picture: ask] from a config") + "\n",
		"1. [picture: ask] numbered\n",
	} {
		if k := Parse([]byte(src), Meta{}).Root.FirstChild().Kind(); k != ast.KindList {
			t.Errorf("%q parsed as %v, want an ordinary list", src, k)
		}
	}
	for _, name := range PictureNames() {
		p := Pictures[name]
		if p.Alt == "" || len(p.Shapes) == 0 {
			t.Errorf("picture %s has no description or no shapes", name)
		}
		for _, s := range p.Shapes {
			for _, v := range s.Pts {
				if v < 0 || v > 100 {
					t.Errorf("picture %s draws outside its box: %v", name, s.Pts)
				}
			}
		}
	}
}

// TestTextNotSplit: text the typographer leaves alone stays one text node,
// so renderers that write a run per node (Word) do not split sentences.
func TestTextNotSplit(t *testing.T) {
	doc := Parse([]byte("Text before, a-b, 3 > 2 and [the] end.\n"), Meta{})
	p := doc.Root.FirstChild()
	if p.ChildCount() != 1 {
		var parts []string
		for c := p.FirstChild(); c != nil; c = c.NextSibling() {
			if tx, ok := c.(*ast.Text); ok {
				parts = append(parts, string(tx.Value(doc.Source)))
			}
		}
		t.Errorf("one sentence parsed as %d nodes: %q", p.ChildCount(), parts)
	}
}
