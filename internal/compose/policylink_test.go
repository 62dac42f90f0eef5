package compose

import (
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/policies"
	"github.com/policypack/policypack/templates"
)

// visitorsPolicy is a trust's policy that refers to the online safety
// policy in a section and in a form, and is known by another name.
var visitorsPolicy = fstest.MapFS{
	"visitors/policy.toml": {Data: []byte(`id = "visitors"
title = "Visitors Policy"
names = ["Visitor policy"]

[[sections]]
id = "online"
title = "Online"
level = 1

[[forms]]
id = "visitor-agreement"
title = "Visitor agreement"
`)},
	"visitors/sections/online.md.tmpl":         {Data: []byte(`Visitors' use of the school's network follows our {{ policy "online-safety" }}.`)},
	"visitors/forms/visitor-agreement.md.tmpl": {Data: []byte(`I have read the {{ policy "online-safety" }}.`)},
}

// linkSchool loads Robert Miles with its linked_policies replaced by list
// (a TOML array) and extra TOML appended, with the trust's visitors policy.
func linkSchool(t *testing.T, list, extra string) (*Composer, *policies.Set, *config.School, error) {
	t.Helper()
	dir := exampleSchools(t, "robert-miles-infant", func(data []byte) []byte {
		data = regexp.MustCompile(`(?s)\nlinked_policies = \[.*?\]\n`).ReplaceAll(data, []byte("\nlinked_policies = "+list+"\n"))
		return append(data, "\n"+extra...)
	})
	cat, err := policies.New(policies.Overlay{visitorsPolicy, templates.FS}, "trust")
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(cat, config.NewDate(2026, 11, 26))
	if err != nil {
		t.Fatal(err)
	}
	set, err := config.LoadPolicies(dir, cat.Facts(), "robert-miles-infant")
	if err != nil {
		return nil, nil, nil, err
	}
	return c, cat, set.Schools[0], nil
}

// linkedSection is the online safety policy's linked-policies list.
func linkedSection(t *testing.T, c *Composer, cat *policies.Set, s *config.School) string {
	t.Helper()
	o, err := c.Policy(s, cat.Policy("online-safety"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(o.Markdown)
	i := strings.Index(text, "{#linked-policies}")
	if i < 0 {
		t.Fatal("no linked-policies section")
	}
	text = text[i:]
	if j := strings.Index(text[1:], "\n#"); j >= 0 {
		text = text[:j+1]
	}
	return text
}

// TestLinkedPoliciesOneLineEach: an entry naming a policy the school has
// (by id, by its title, by a name its policy.toml lists, in any case) is
// one linked line however many entries name it; the school's own words
// stay; other entries print as written.
func TestLinkedPoliciesOneLineEach(t *testing.T) {
	c, cat, s, err := linkSchool(t, `["Child protection and safeguarding policy", "Visitor Policy", "Behaviour policy", "visitors", "the visitors policy", "Behaviour policy"]`, "")
	if err != nil {
		t.Fatal(err)
	}
	got := linkedSection(t, c, cat, s)
	// The built-in child protection policy, by its title in the school's
	// words (the case differs).
	want := "- [Child protection and safeguarding policy](policy:child-protection)\n- [Visitor Policy](policy:visitors)\n- Behaviour policy\n"
	if !strings.Contains(got, want) || strings.Count(got, "\n- ") != 3 {
		t.Errorf("linked policies:\n%s\nwant exactly:\n%s", got, want)
	}
	// An id alone prints the policy's title as the school names it.
	c, cat, s, err = linkSchool(t, `["visitors", "Visitors Policy"]`, "[policies.visitors]\ntitle = \"Policy for Visitors\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := linkedSection(t, c, cat, s); !strings.Contains(got, "- [Policy for Visitors](policy:visitors)\n") || strings.Count(got, "\n- ") != 1 {
		t.Errorf("an id entry:\n%s", got)
	}
}

// TestPolicyLinkOnlyToAPolicyTheSchoolHas: without the policy, its name is
// plain text, in the list and wherever a template names it.
func TestPolicyLinkOnlyToAPolicyTheSchoolHas(t *testing.T) {
	c, cat, s, err := linkSchool(t, `["visitors", "Behaviour policy"]`, "[policies.visitors]\nenabled = false\n")
	if err != nil {
		t.Fatal(err)
	}
	got := linkedSection(t, c, cat, s)
	if !strings.Contains(got, "- Visitors Policy\n") || strings.Contains(got, "policy:") {
		t.Errorf("a policy the school does not have is linked:\n%s", got)
	}
}

// TestPolicyFunctionLinks: a policy and its form name another policy as a
// link to it, by id; compose leaves the file to each renderer.
func TestPolicyFunctionLinks(t *testing.T) {
	c, cat, s, err := linkSchool(t, `["Behaviour policy"]`, "")
	if err != nil {
		t.Fatal(err)
	}
	// Robert Miles calls its policy the "Online Safety Procedure".
	p := cat.Policy("visitors")
	o, err := c.Policy(s, p)
	if err != nil {
		t.Fatal(err)
	}
	if want := "follows our [Online Safety Procedure](policy:online-safety)."; !strings.Contains(string(o.Markdown), want) || o.Meta.Path != "visitors" {
		t.Errorf("policy: want %q (path %q) in\n%s", want, o.Meta.Path, o.Markdown)
	}
	f, err := c.Form(s, p, "visitor-agreement", Pupil{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "I have read the [Online Safety Procedure](policy:online-safety)."; !strings.Contains(string(f.Markdown), want) || f.Meta.Path != "forms/visitor-agreement" {
		t.Errorf("form: want %q (path %q) in\n%s", want, f.Meta.Path, f.Markdown)
	}
}

// TestPolicyLinkToAPolicyTheSchoolLacksFails: a link written by hand (a
// school's replacement text) to a policy the school does not have, or to
// none, fails the build naming the school's file.
func TestPolicyLinkToAPolicyTheSchoolLacksFails(t *testing.T) {
	for _, tt := range []struct{ target, extra, want string }{
		{"visitors", "[policies.visitors]\nenabled = false\n", `a link to policy "visitors", which this school does not have`},
		{"vistors", "", `did you mean "visitors"?`},
	} {
		c, cat, s, err := linkSchool(t, `["Behaviour policy"]`, tt.extra+"[policies.online-safety.sections.aims]\nreplace = \"See our [visitors policy](policy:"+tt.target+").\"\n")
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Policy(s, cat.Policy("online-safety"))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "robert-miles-infant.toml") {
			t.Errorf("link to %s: err %v, want %q naming the file", tt.target, err, tt.want)
		}
	}
}

// TestLinkedPolicyIDMistyped: an entry written as an id must be one, with
// file, line and the nearest id.
func TestLinkedPolicyIDMistyped(t *testing.T) {
	_, _, _, err := linkSchool(t, `["visiters", "Behaviour policy"]`, "")
	if err == nil {
		t.Fatal("a mistyped id loads")
	}
	for _, want := range []string{`robert-miles-infant.toml:`, `linked_policies: "visiters" is not a policy id`, `did you mean "visitors"?`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
