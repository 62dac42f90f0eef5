package compose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/policypack/policypack/internal/catalog"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/markdown"
	"github.com/policypack/policypack/internal/review"
	"github.com/policypack/policypack/templates"
)

// robertMiles composes Robert Miles Infant School's policy on 26 November
// 2026, with extra TOML appended to its config and a trust's templates
// (nil for none) over the built-ins.
func robertMiles(t *testing.T, extra string, trust fstest.MapFS) Output {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../schools")); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, "robert-miles-infant.toml")
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f, append(data, "\n"+extra...), 0o644); err != nil {
		t.Fatal(err)
	}
	layers := catalog.Overlay{templates.FS}
	if trust != nil {
		layers = catalog.Overlay{trust, templates.FS}
	}
	cat, err := catalog.New(layers, "trust")
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(cat, config.NewDate(2026, 11, 26))
	if err != nil {
		t.Fatal(err)
	}
	set, err := config.Load(dir, "robert-miles-infant")
	if err != nil {
		t.Fatal(err)
	}
	o, err := c.Policy(set.Schools[0], cat.Policy("online-safety"))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestPolicyFrontMatterIsData: the body is only body; the title block, the
// contents and the state travel beside it.
func TestPolicyFrontMatterIsData(t *testing.T) {
	o := robertMiles(t, "", nil)
	body := string(o.Markdown)
	for _, bad := range []string{"| Record |", "{#contents}", "Robert Miles Infant School**", "Review overdue"} {
		if strings.Contains(body, bad) {
			t.Errorf("the body holds front matter %q", bad)
		}
	}
	if !strings.HasPrefix(body, "## 1. About this policy {#about}\n") {
		t.Errorf("the body does not start with the first section:\n%.200s", body)
	}
	tb := string(o.Meta.Front.TitleBlock)
	for _, want := range []string{"# Online Safety Procedure\n", "**Robert Miles Infant School**", "| Approved by | TILT |",
		"| Approved on | not recorded |", "| Next review due | 24 May 2024 |",
		"> **Review overdue since 24 May 2024.** This policy must be reviewed and approved again."} {
		if !strings.Contains(tb, want) {
			t.Errorf("title block lacks %q:\n%s", want, tb)
		}
	}
	if o.Meta.State != markdown.StateOverdue {
		t.Errorf("state = %v, want overdue", o.Meta.State)
	}
}

// TestPolicyContents: sections are numbered in order, subsections within
// their section, appendices by the school's numbering and order, and each
// entry's heading is in the body with its id.
func TestPolicyContents(t *testing.T) {
	o := robertMiles(t, "", nil)
	es := o.Meta.Front.Contents
	want := []markdown.Entry{
		{ID: "about", Number: "1", Title: "About this policy", Level: 1},
		{ID: "aims", Number: "2", Title: "Aims", Level: 1},
		{ID: "risks", Number: "2.1", Title: "The four areas of risk", Level: 2},
		{ID: "scope", Number: "2.2", Title: "Scope", Level: 2},
		{ID: "legislation-and-guidance", Number: "3", Title: "Legislation and guidance", Level: 1},
	}
	if len(es) < len(want)+3 {
		t.Fatalf("%d contents entries", len(es))
	}
	for i, w := range want {
		if es[i] != w {
			t.Errorf("entry %d = %+v, want %+v", i, es[i], w)
		}
	}
	// _tilt.toml: numbers, pupils' and parents' agreements first.
	apps := es[len(es)-3:]
	for i, id := range []string{"appendix-pupil-code", "appendix-parent-agreement", "appendix-staff-code"} {
		if a := apps[i]; !a.Appendix || a.ID != id || a.Number != string(rune('1'+i)) {
			t.Errorf("appendix %d = %+v, want %s numbered %d", i, a, id, i+1)
		}
	}
	for _, e := range es {
		hashes := "## "
		if e.Level == 2 {
			hashes = "### "
		}
		if line := hashes + e.MarkdownLabel() + " {#" + e.ID + "}\n"; !strings.Contains(string(o.Markdown), line) {
			t.Errorf("the body has no heading %q", line)
		}
	}
	// The trust's title for a section is the entry's title.
	for _, e := range es {
		if e.ID == "roles-dsl" && e.Title != "The Senior Designated Safeguarding Lead" {
			t.Errorf("roles-dsl entry titled %q", e.Title)
		}
	}
}

// TestPolicyOmitRenumbers: an omitted section takes its subsections with
// it, the rest are numbered without a gap, and a reference to it reads as
// prose rather than a dead link.
func TestPolicyOmitRenumbers(t *testing.T) {
	o := robertMiles(t, "[policies.online-safety.sections.aims]\nomit = true\n", nil)
	byID := map[string]markdown.Entry{}
	for _, e := range o.Meta.Front.Contents {
		byID[e.ID] = e
	}
	for _, id := range []string{"aims", "risks", "scope"} {
		if _, ok := byID[id]; ok {
			t.Errorf("omitted section %s is in the contents", id)
		}
		if strings.Contains(string(o.Markdown), "{#"+id+"}") {
			t.Errorf("omitted section %s is in the body", id)
		}
	}
	if got := byID["legislation-and-guidance"].Number; got != "2" {
		t.Errorf("legislation-and-guidance numbered %q, want 2", got)
	}
	for _, b := range o.Sections {
		if b.ID == "risks" && (!b.Omitted || !b.ByParent) {
			t.Errorf("risks: %+v, want omitted by its parent", b)
		}
	}
}

// TestPolicyReplaceAndAppend: a school's text replaces or follows the
// template's, and a trust's title block partial is used for every policy.
func TestPolicyReplaceAndAppend(t *testing.T) {
	trust := fstest.MapFS{"partials/title-block.md.tmpl": {Data: []byte("# {{ .Policy.Title }}\n\nOwned by {{ .School.Name }}.\n")}}
	o := robertMiles(t, `[policies.online-safety.sections.scope]
replace = "Everyone *here*."
[policies.online-safety.sections.about]
append = "Also this."
`, trust)
	body := string(o.Markdown)
	if !strings.Contains(body, "### 2.2 Scope {#scope}\n\nEveryone *here*.\n") {
		t.Errorf("replaced section text missing:\n%s", body[:min(len(body), 600)])
	}
	if !strings.Contains(body, "\n\nAlso this.\n") {
		t.Errorf("appended text missing")
	}
	if got := string(o.Meta.Front.TitleBlock); got != "# Online Safety Procedure\n\nOwned by Robert Miles Infant School.\n" {
		t.Errorf("title block = %q, want the trust's partial", got)
	}
	for _, b := range o.Sections {
		if b.ID == "scope" && !b.Replaced || b.ID == "about" && !b.Appended {
			t.Errorf("%s: %+v", b.ID, b)
		}
	}
}

// TestTitleBlockErrorNamesThePartial: a mistake in the shared partial is
// reported against the trust's file, with its line.
func TestTitleBlockErrorNamesThePartial(t *testing.T) {
	trust := fstest.MapFS{"partials/title-block.md.tmpl": {Data: []byte("# {{ .Policy.Title }}\n\n{{ .Policy.Nope }}\n")}}
	cat, err := catalog.New(catalog.Overlay{trust, templates.FS}, "trust")
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(cat, config.NewDate(2026, 11, 26))
	if err != nil {
		t.Fatal(err)
	}
	set, err := config.Load("../../schools", "robert-miles-infant")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Policy(set.Schools[0], cat.Policy("online-safety"))
	if err == nil || !strings.Contains(err.Error(), "trust/partials/title-block.md.tmpl:3") {
		t.Errorf("err = %v, want it to name trust/partials/title-block.md.tmpl:3", err)
	}
}

func TestStateOf(t *testing.T) {
	d := config.NewDate(2026, 1, 10)
	tests := []struct {
		name string
		pc   config.PolicyConfig
		st   review.State
		want markdown.State
	}{
		{"nothing recorded", config.PolicyConfig{}, review.Unknown, markdown.StateDraft},
		{"approved", config.PolicyConfig{ApprovedOn: d}, review.OK, markdown.StateApproved},
		{"approver only", config.PolicyConfig{ApprovedBy: "Governors"}, review.Unknown, markdown.StateApproved},
		{"due soon", config.PolicyConfig{ApprovedOn: d}, review.DueSoon, markdown.StateDueSoon},
		{"due today", config.PolicyConfig{ApprovedOn: d}, review.Due, markdown.StateDueToday},
		{"overdue draft", config.PolicyConfig{}, review.Overdue, markdown.StateOverdue},
	}
	for _, tt := range tests {
		if got := stateOf(tt.pc, review.Status{State: tt.st}); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
