package pdf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/html"
	"github.com/policypack/policypack/internal/markdown"
	"github.com/policypack/policypack/internal/policies"
	"github.com/policypack/policypack/templates"
)

// copySchools copies the example schools to a temporary folder and appends
// extra TOML to robert-miles-infant.toml.
func copySchools(t *testing.T, extra string) string {
	t.Helper()
	dir := t.TempDir()
	err := os.CopyFS(dir, os.DirFS("../../schools"))
	if err != nil {
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
	return dir
}

// composeTrust composes Robert Miles Infant School's policy and its parent
// agreement with a trust's template files laid over the built-ins.
func composeTrust(t *testing.T, trust fstest.MapFS, extra string) (policy, form compose.Output) {
	t.Helper()
	cat, err := policies.New(policies.Overlay{trust, templates.FS}, "trust-templates")
	if err != nil {
		t.Fatal(err)
	}
	c, err := compose.New(cat, config.NewDate(2026, 11, 26))
	if err != nil {
		t.Fatal(err)
	}
	set, err := config.Load(copySchools(t, extra), "robert-miles-infant")
	if err != nil {
		t.Fatal(err)
	}
	s, p := set.Schools[0], cat.Policy("online-safety")
	if policy, err = c.Policy(s, p); err != nil {
		t.Fatal(err)
	}
	if form, err = c.Form(s, p, "parent-agreement", compose.Pupil{}); err != nil {
		t.Fatal(err)
	}
	return policy, form
}

func renderText(t *testing.T, o compose.Output) (pages []string, page string) {
	t.Helper()
	b, err := Render(markdown.Parse(o.Markdown, o.Meta))
	if err != nil {
		t.Fatal(err)
	}
	p := writeTemp(t, b)
	pages = pagesText(t, p)
	return pages, strings.Join(strings.Fields(strings.Join(pages, "\n")), " ")
}

func renderHTML(t *testing.T, o compose.Output) string {
	t.Helper()
	b, err := html.Render(markdown.Parse(o.Markdown, o.Meta))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFrontMatterIsNotRecognisedByText: a trust that rewords the title
// blocks, and school text that reads like compose's front matter ("###
// Contents", "Policy approved by ..."), change nothing in how the PDF
// finds its title page, contents and form header: those come from data.
func TestFrontMatterIsNotRecognisedByText(t *testing.T) {
	trust := fstest.MapFS{
		"partials/title-block.md.tmpl": {Data: []byte(
			"# {{ .Policy.Title }} for {{ .School.Name }}\n\nSigned off by {{ .Policy.ApprovedBy }}; look again by {{ .Policy.NextReview }}.\n")},
		"partials/form-title-block.md.tmpl": {Data: []byte(
			"# {{ .Form.Title }}\n\nFrom {{ .School.Name }}, under the policy signed off by {{ .Policy.ApprovedBy }}.\n")},
		// A form whose first line is what the PDF used to take for the
		// form's review record, and drop.
		"online-safety/forms/parent-agreement.md.tmpl": {Data: []byte(
			"Policy approved by the head is attached to this form.\n\nParent/carer name: ________\n")},
	}
	extra := `[policies.online-safety.sections.about]
append = """
### Contents

Policy approved by the governors is kept in the office."""
`
	policy, form := composeTrust(t, trust, extra)

	pages, text := renderText(t, policy)
	for _, want := range []string{
		// The title page, laid out from the record.
		"Robert Miles Infant School", "Online Safety Procedure", "To be approved by TILT",
		"DRAFT: not yet approved. This procedure is a proposal",
		// The school's own text, printed as written.
		"Policy approved by the governors is kept in the office.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("policy PDF lacks %q", want)
		}
	}
	if n := strings.Count(pages[0], "1. About this procedure"); n != 1 {
		t.Errorf("page 1 lists \"1. About this procedure\" %d times, want once in the contents", n)
	}
	if strings.Contains(text, "not recorded") || strings.Contains(text, "Approved on") {
		t.Errorf("a draft's PDF claims or denies an approval record:\n%s", pages[0])
	}
	// One table of contents: the school's "Contents" sub-heading is an
	// ordinary heading of section 1.
	tocPages := 0
	for _, p := range pages {
		if strings.Contains(p, "2.1 The four areas of risk") && strings.Contains(p, "4. Roles and responsibilities") {
			tocPages++
		}
	}
	if tocPages != 1 {
		t.Errorf("%d pages look like a table of contents, want 1", tocPages)
	}
	h := renderHTML(t, policy)
	for _, want := range []string{"Online Safety Procedure for Robert Miles Infant School", "Signed off by TILT; look again by 24 May 2024.",
		`<h2 id="contents">Contents</h2>`, `<h3 id="contents-1">Contents</h3>`, "Policy approved by the governors is kept in the office."} {
		if !strings.Contains(h, want) {
			t.Errorf("policy HTML lacks %q", want)
		}
	}

	_, text = renderText(t, form)
	for _, want := range []string{"Parent/carer acceptable use agreement and consent form", "Robert Miles Infant School",
		"DRAFT: the procedure is not yet approved", "Policy approved by the head is attached to this form."} {
		if !strings.Contains(text, want) {
			t.Errorf("form PDF lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Contents") {
		t.Errorf("form PDF has a table of contents")
	}
	if strings.Contains(text, "review") {
		t.Errorf("form PDF carries a review date or notice:\n%s", text)
	}
	h = renderHTML(t, form)
	for _, want := range []string{"From Robert Miles Infant School, under the policy signed off by TILT.", "Policy approved by the head is attached to this form."} {
		if !strings.Contains(h, want) {
			t.Errorf("form HTML lacks %q", want)
		}
	}
}
