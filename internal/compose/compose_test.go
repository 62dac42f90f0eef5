package compose

import (
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/policies"
)

// ucfirst of "" printed U+FFFD into the contacts table.
func TestUcfirst(t *testing.T) {
	ucfirst := baseFuncs()["ucfirst"].(func(string) string)
	for in, want := range map[string]string{
		"": "", "deputy DSL": "Deputy DSL", "ésta": "Ésta", "DSL": "DSL", "\xffx": "\xffx",
	} {
		if got := ucfirst(in); got != want {
			t.Errorf("ucfirst(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEscapeMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"St Mary's", "St Mary's"},
		{"A & B", `A \& B`},
		{"*bold* _it_", `\*bold\* \_it\_`},
		{"<b>x</b>", `\<b\>x\</b\>`},
		{"[a](b)", `\[a\](b)`},
		{"a | b", `a \| b`},
		{"# not a heading", `\# not a heading`},
		{"1. not a list", `1\. not a list`},
		{"- not a list", `\- not a list`},
		{"line\nbreak", "line break"},
		{"{#id}", `\{\#id\}`},
		{"  trimmed  ", "trimmed"},
		{"Ysgol Gymraeg Llandŵ – “quoted”", "Ysgol Gymraeg Llandŵ – “quoted”"},
	}
	for _, tt := range tests {
		if got := EscapeMarkdown(tt.in); got != tt.want {
			t.Errorf("EscapeMarkdown(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStageOfYear(t *testing.T) {
	tests := map[string]string{
		"Reception": "EYFS", "Nursery": "EYFS", "N1": "EYFS", "FS2": "EYFS", "F1": "EYFS", "Year 1": "KS1", "Year 2": "KS1",
		"Year 3": "KS2", "Year 6": "KS2", "Year 7": "KS3", "Year 10": "KS4", "Year 13": "KS5",
		"": "", "Year 14": "", "Staff": "",
	}
	for in, want := range tests {
		if got := StageOfYear(in); got != want {
			t.Errorf("StageOfYear(%q) = %q, want %q", in, got, want)
		}
	}
}

// A form pre-filled for a pupil prints only the version for their year group;
// a blank form prints every stage the school teaches.
func TestPupilFormVersionByYear(t *testing.T) {
	set, err := config.Load("../../schools", "hevingham-marsham")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := policies.Open("")
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(cat, config.NewDate(2026, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	s, p := set.Schools[0], cat.Policy("online-safety")
	tests := []struct {
		pupil    Pupil
		ks1, ks2 bool
	}{
		{Pupil{}, true, true},
		{Pupil{Name: "Zoë Example", Year: "Year 1", Class: "1 Ash"}, true, false},
		{Pupil{Name: "Siân Example", Year: "Year 5", Class: "5 Oak"}, false, true},
		{Pupil{Name: "Łukasz Example", Year: "Year 9", Class: "9X"}, true, true}, // not taught here: every version
	}
	for _, tt := range tests {
		o, err := c.Form(s, p, "pupil-code-of-conduct", tt.pupil)
		if err != nil {
			t.Fatal(err)
		}
		md := string(o.Markdown)
		if got := strings.Contains(md, "Key Stage 1"); got != tt.ks1 {
			t.Errorf("%+v: KS1 version present = %v, want %v", tt.pupil, got, tt.ks1)
		}
		if got := strings.Contains(md, "Key Stage 2"); got != tt.ks2 {
			t.Errorf("%+v: KS2 version present = %v, want %v", tt.pupil, got, tt.ks2)
		}
		if tt.pupil.Name != "" && !strings.Contains(md, EscapeMarkdown(tt.pupil.Name)) {
			t.Errorf("%+v: pupil's name not filled in", tt.pupil)
		}
	}
}

func TestLink(t *testing.T) {
	tests := []struct {
		text, addr, want string
		ok               bool
	}{
		{"CEOP", "https://www.ceop.police.uk/", "[CEOP](https://www.ceop.police.uk/)", true},
		{"Village", "https://en.wikipedia.org/wiki/Hevingham_(village)", "[Village](https://en.wikipedia.org/wiki/Hevingham_%28village%29)", true},
		{"*Office*", "mailto:office@example.sch.uk", `[\*Office\*](mailto:office@example.sch.uk)`, true},
		{"bad", "javascript:alert(1)", "", false},
		{"bad", "https://x.example/a b", "", false},
		{"bad", "ftp://x.example/", "", false},
	}
	for _, tt := range tests {
		got, err := link(tt.text, tt.addr)
		if (err == nil) != tt.ok || string(got) != tt.want {
			t.Errorf("link(%q, %q) = %q, %v; want %q, ok=%v", tt.text, tt.addr, got, err, tt.want, tt.ok)
		}
	}
}

func TestHeadingProblem(t *testing.T) {
	tests := map[string]bool{
		"Plain text.\n\n- a list":   false,
		"### A sub-heading\n\nText": false,
		"# Big heading":             true,
		"## Section":                true,
		"Setext\n======":            true,
		"### Sub {#contents}":       true,
	}
	for text, bad := range tests {
		if got := headingProblem(text) != ""; got != bad {
			t.Errorf("headingProblem(%q) = %q, want problem=%v", text, headingProblem(text), bad)
		}
	}
}
