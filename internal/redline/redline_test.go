package redline

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/markdown"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// doc stands in for compose: src is a title block (up to the first "## ")
// and then the body, and each numbered heading becomes a contents entry,
// the data compose hands on beside the body.
func doc(src string) *markdown.Document {
	tb, body := src, ""
	if i := strings.Index(src, "\n## "); i >= 0 {
		tb, body = src[:i+1], src[i+1:]
	}
	meta := markdown.Meta{Title: "Online Safety Policy", School: "Oak School"}
	meta.Front.TitleBlock = []byte(tb)
	for _, m := range headingRe.FindAllStringSubmatch(body, -1) {
		meta.Front.Contents = append(meta.Front.Contents, markdown.Entry{ID: m[4], Number: m[2], Title: m[3], Level: len(m[1]) - 1})
	}
	return markdown.Parse([]byte(body), meta)
}

var headingRe = regexp.MustCompile(`(?m)^(#+) (?:(\d+(?:\.\d+)*)\.? )?(.*?) \{#([a-z-]+)\}$`)

// changes lists every non-equal segment as "+text" or "-text".
func changes(r *Redline) []string {
	var out []string
	for _, s := range r.Sections {
		for _, p := range s.Paras {
			for _, seg := range p {
				switch seg.Op {
				case Insert:
					out = append(out, "+"+seg.Text)
				case Delete:
					out = append(out, "-"+seg.Text)
				}
			}
		}
	}
	return out
}

const base = `# Online Safety Policy

**Oak School**

## 1. Aims {#aims}

We keep pupils safe online.

We teach pupils to use technology well.

## 2. Scope {#scope}

This policy applies to all staff.

### 2.1 Visitors {#visitors}

Visitors sign the code of conduct.
`

func TestCompare(t *testing.T) {
	tests := []struct {
		name     string
		newer    string
		changes  []string
		statuses map[string]Status
		summary  string
	}{
		{name: "identical", newer: base, summary: "No changes",
			statuses: map[string]Status{"aims": Unchanged, "scope": Unchanged, "visitors": Unchanged}},
		{name: "one word", newer: strings.Replace(base, "all staff", "all adults", 1),
			changes: []string{"-staff", "+adults"}, summary: "1 section changed",
			statuses: map[string]Status{"aims": Unchanged, "scope": Changed}},
		{name: "words in two sections", newer: strings.NewReplacer("pupils safe", "children safe", "sign the", "read and sign the").Replace(base),
			changes: []string{"-pupils", "+children", "+read and "}, summary: "2 sections changed",
			statuses: map[string]Status{"aims": Changed, "visitors": Changed, "scope": Unchanged}},
		{name: "section added renumbers without changing", newer: strings.Replace(strings.Replace(base, "## 2. Scope", "## 3. Scope", 1),
			"## 1. Aims {#aims}", "## 1. About {#about}\n\nWho we are.\n\n## 2. Aims {#aims}", 1),
			changes: []string{"+Who we are."}, summary: "1 section added",
			statuses: map[string]Status{"about": Added, "aims": Unchanged, "scope": Unchanged}},
		{name: "section removed", newer: strings.Replace(base, "### 2.1 Visitors {#visitors}\n\nVisitors sign the code of conduct.\n", "", 1),
			changes: []string{"-Visitors sign the code of conduct."}, summary: "1 section removed",
			statuses: map[string]Status{"visitors": Removed, "scope": Unchanged}},
		{name: "paragraph added", newer: strings.Replace(base, "We teach pupils", "We train staff every year.\n\nWe teach pupils", 1),
			changes: []string{"+We train staff every year."}, summary: "1 section changed",
			statuses: map[string]Status{"aims": Changed}},
		{name: "title page", newer: strings.Replace(base, "**Oak School**", "**Oak Academy**", 1),
			changes: []string{"-School", "+Academy"}, summary: "1 section changed",
			statuses: map[string]Status{titlePage: Changed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Compare(doc(base), doc(tt.newer))
			if got := changes(r); !slices.Equal(got, tt.changes) {
				t.Errorf("changes = %q, want %q", got, tt.changes)
			}
			if got := r.Summary(); got != tt.summary {
				t.Errorf("summary = %q, want %q", got, tt.summary)
			}
			got := map[string]Status{}
			for _, s := range r.Sections {
				if s.ID == "contents" {
					t.Error("the contents list is compared; it only repeats the headings")
				}
				got[s.ID] = s.Status
			}
			for id, want := range tt.statuses {
				if got[id] != want {
					t.Errorf("section %s: %v, want %v", id, got[id], want)
				}
			}
		})
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		st   []Status
		want string
	}{
		{nil, "No changes"},
		{[]Status{Changed, Changed, Changed, Added, Unchanged}, "3 sections changed, 1 added"},
		{[]Status{Added, Added}, "2 sections added"},
		{[]Status{Changed, Removed, Added}, "1 section changed, 1 added, 1 removed"},
	}
	for _, tt := range tests {
		r := &Redline{}
		for _, s := range tt.st {
			r.Sections = append(r.Sections, Section{Status: s})
		}
		if got := r.Summary(); got != tt.want {
			t.Errorf("%v: %q, want %q", tt.st, got, tt.want)
		}
	}
}

func TestCollapse(t *testing.T) {
	eq := func(s string) []Seg { return []Seg{{Equal, s}} }
	ch := []Seg{{Equal, "a "}, {Insert, "b"}}
	got := collapse([][]Seg{eq("1"), eq("2"), eq("3"), eq("intro:"), ch, eq("4"), eq("5")})
	want := [][]Seg{{{Skip, "3 unchanged paragraphs"}}, eq("intro:"), ch, {{Skip, "2 unchanged paragraphs"}}}
	if len(got) != len(want) {
		t.Fatalf("collapse = %v, want %v", got, want)
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("paragraph %d = %v, want %v", i, got[i], want[i])
		}
	}
}

// TestRunesRoundTrip: many distinct words survive the word-to-rune mapping,
// including past the surrogate range.
func TestRunesRoundTrip(t *testing.T) {
	for _, i := range []int{0, 1, 0xD7FE, 0xD7FF, 0xD800, 0xE000, 70000} {
		if got := indexFor(runeFor(i)); got != i {
			t.Errorf("indexFor(runeFor(%d)) = %d", i, got)
		}
		if r := runeFor(i); r >= 0xD800 && r <= 0xDFFF {
			t.Errorf("runeFor(%d) = %U, a surrogate", i, r)
		}
	}
}

func TestEscaping(t *testing.T) {
	older := doc("# T\n\n## 1. Aims {#aims}\n\nUse <b>care</b> & *tact*.\n")
	newer := doc("# T\n\n## 1. Aims {#aims}\n\nUse <i>caution</i> & *tact*.\n")
	r := Compare(older, newer)
	h := string(r.HTML())
	if strings.Contains(h, "<i>") || strings.Contains(h, "<b>") {
		t.Errorf("document text reached the HTML unescaped:\n%s", h)
	}
	md := string(r.Markdown())
	if strings.Contains(md, "<i>") {
		t.Errorf("document text reached the Markdown unescaped:\n%s", md)
	}
}

// TestGolden pins the three formats' output for a small change; PDF bytes
// are pinned too, since fpdf output is deterministic with fixed dates.
func TestGolden(t *testing.T) {
	newer := strings.NewReplacer("all staff", "all staff and governors", "We teach pupils to use technology well.\n\n", "").Replace(base)
	r := Compare(doc(base), doc(newer))
	r.From, r.To = "approved 24 May 2025 (abc1234)", "working tree"
	pdfData, err := r.PDF()
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []struct {
		file string
		data []byte
	}{{"redline.html", r.HTML()}, {"redline.md", r.Markdown()}} {
		path := filepath.Join("testdata", g.file)
		if *update {
			if err := os.WriteFile(path, g.data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/redline -update)", err)
		}
		if !bytes.Equal(g.data, want) {
			t.Errorf("%s differs from the golden file (run go test ./internal/redline -update and review the diff):\n%s", g.file, lineDiff(string(want), string(g.data)))
		}
	}
	again, _ := r.PDF()
	if !bytes.Equal(pdfData, again) || !bytes.HasPrefix(pdfData, []byte("%PDF-")) {
		t.Error("PDF is not deterministic or not a PDF")
	}
}

// lineDiff shows where got first departs from want: the line number and a
// few lines of each around it, so a failure can be read without a diff tool.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	from := max(0, i-2)
	var b strings.Builder
	fmt.Fprintf(&b, "first difference at line %d\n", i+1)
	for j := from; j < min(len(w), i+3); j++ {
		fmt.Fprintf(&b, "  want %4d | %s\n", j+1, w[j])
	}
	for j := from; j < min(len(g), i+3); j++ {
		fmt.Fprintf(&b, "  got  %4d | %s\n", j+1, g[j])
	}
	return b.String()
}

func TestLineDiff(t *testing.T) {
	d := lineDiff("a\nb\nc\nd\n", "a\nb\nX\nd\n")
	for _, want := range []string{"first difference at line 3", "want    3 | c", "got     3 | X"} {
		if !strings.Contains(d, want) {
			t.Errorf("lineDiff lacks %q:\n%s", want, d)
		}
	}
}

// TestPictureListText: a young child's rules are compared as the words they
// print, one line each, so a changed rule shows in the redline.
func TestPictureListText(t *testing.T) {
	doc := markdown.Parse([]byte("- [picture: ask] I ask a grown-up first.\n- [picture: kind] I am kind online.\n"), markdown.Meta{})
	got := strings.Join(blockTexts(doc, doc.Root, ""), "\n")
	if got != "• I ask a grown-up first.\n• I am kind online." {
		t.Errorf("picture list compared as %q", got)
	}
}
