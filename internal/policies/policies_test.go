package policies

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

const policyTOML = `id = "p"
title = "P"
[[sections]]
id = "aims"
title = "Aims"
level = 1
[[forms]]
id = "f"
title = "F"
[[appendices]]
id = "appendix-f"
title = "F"
form = "f"
`

func TestOverlayFileByFile(t *testing.T) {
	builtin := fstest.MapFS{
		"p/policy.toml":           {Data: []byte(policyTOML)},
		"p/sections/aims.md.tmpl": {Data: []byte("built-in aims")},
		"p/forms/f.md.tmpl":       {Data: []byte("built-in form")},
		"p/partials/x.md.tmpl":    {Data: []byte("built-in partial")},
	}
	trust := fstest.MapFS{
		"p/sections/aims.md.tmpl":  {Data: []byte("trust aims")},
		"p/partials/extra.md.tmpl": {Data: []byte("trust extra")},
	}
	o := Overlay{trust, builtin}
	for path, want := range map[string]string{
		"p/sections/aims.md.tmpl": "trust aims", "p/forms/f.md.tmpl": "built-in form",
		"p/partials/extra.md.tmpl": "trust extra",
	} {
		got, err := o.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", path, got, err, want)
		}
	}
	es, err := fs.ReadDir(o, "p/partials")
	if err != nil || len(es) != 2 || es[0].Name() != "extra.md.tmpl" || es[1].Name() != "x.md.tmpl" {
		t.Errorf("ReadDir is not the sorted union of the layers: %v %v", es, err)
	}
	if o.Origin("p/sections/aims.md.tmpl") != 0 || o.Origin("p/forms/f.md.tmpl") != 1 || o.Origin("nope") != -1 {
		t.Errorf("Origin wrong")
	}
	c, err := New(o, "trust")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Policies) != 1 || c.Policies[0].Form("f").Template != "forms/f.md.tmpl" || c.Policies[0].Sections[0].Template != "sections/aims.md.tmpl" {
		t.Errorf("defaults not applied: %+v", c.Policies)
	}
	if got := c.Name("p/sections/aims.md.tmpl"); got != "trust/p/sections/aims.md.tmpl" {
		t.Errorf("Name of an override = %q", got)
	}
	if got := c.Name("p/forms/f.md.tmpl"); got != "templates/p/forms/f.md.tmpl (built-in)" {
		t.Errorf("Name of a built-in = %q", got)
	}
	files, _ := c.TemplateFiles(c.Policies[0])
	if strings.Join(files, ",") != "forms/f.md.tmpl,partials/extra.md.tmpl,partials/x.md.tmpl,sections/aims.md.tmpl" {
		t.Errorf("TemplateFiles = %v", files)
	}
}

func TestPolicyMetadataErrors(t *testing.T) {
	tests := map[string]string{
		"unknown key":     "colour = \"red\"\n" + policyTOML,
		"duplicate id":    policyTOML + "[[sections]]\nid = \"aims\"\ntitle = \"Again\"\nlevel = 1\n",
		"bad level":       strings.Replace(policyTOML, "level = 1", "level = 7", 1),
		"unknown form":    strings.Replace(policyTOML, `form = "f"`, `form = "g"`, 1),
		"id/folder clash": strings.Replace(policyTOML, `id = "p"`, `id = "q"`, 1),
		"misspelt key":    strings.Replace(policyTOML, "level = 1", "level = 1\ntemplat = \"x.md.tmpl\"", 1),
	}
	// Each error names the line, so a trust editing its own policy.toml is
	// pointed at the entry, not just the file.
	want := map[string]string{
		"unknown key":     "templates/p/policy.toml (built-in):1: colour: unknown key",
		"duplicate id":    `templates/p/policy.toml (built-in):15: section id "aims" is used twice`,
		"bad level":       `templates/p/policy.toml (built-in):6: section "aims": level must be 1, 2 or 3`,
		"unknown form":    `templates/p/policy.toml (built-in):13: appendix "appendix-f": unknown form "g"`,
		"id/folder clash": `templates/p/policy.toml (built-in):1: id: "q" must match its folder name "p"`,
		"misspelt key":    "templates/p/policy.toml (built-in):7: sections.templat: unknown key\n\thint: did you mean \"template\"?",
	}
	for name, src := range tests {
		_, err := New(Overlay{fstest.MapFS{"p/policy.toml": {Data: []byte(src)}}}, "")
		if err == nil || !strings.Contains(err.Error(), want[name]) {
			t.Errorf("%s: err = %v, want %q", name, err, want[name])
		}
	}
}

// The built-in policy set parses and has the online safety policy.
func TestBuiltin(t *testing.T) {
	c, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	p := c.Policy("online-safety")
	if p == nil || len(p.Sections) < 20 || len(p.Forms) != 3 || len(p.Appendices) != 3 {
		t.Fatalf("built-in online-safety policy incomplete: %+v", p)
	}
}

func TestCatalogCrossChecks(t *testing.T) {
	second := strings.NewReplacer(`id = "p"`, `id = "q"`, `title = "P"`, `title = "Q"`).Replace(policyTOML)
	_, err := New(Overlay{fstest.MapFS{
		"p/policy.toml": {Data: []byte(policyTOML)}, "q/policy.toml": {Data: []byte(second)},
	}}, "")
	if err == nil || !strings.Contains(err.Error(), `form id "f" is also a form of the p policy`) {
		t.Errorf("duplicate form ids across policies: err = %v", err)
	}
	explicit := policyTOML + "[[sections]]\nid = \"extra\"\ntitle = \"Extra\"\nlevel = 1\ntemplate = \"sections/extra-typo.md.tmpl\"\n"
	_, err = New(Overlay{fstest.MapFS{"p/policy.toml": {Data: []byte(explicit)}}}, "")
	if err == nil || !strings.Contains(err.Error(), `section "extra": template sections/extra-typo.md.tmpl not found`) {
		t.Errorf("missing explicit template: err = %v", err)
	}
}

// A policy's fact declarations are checked when the policy set is read, every
// problem at its line in policy.toml, and reach the loader through Facts.
func TestFactDeclarations(t *testing.T) {
	bad := `id = "p"
title = "P"
[[facts]]
name = "storage"
type = "string"
doc = "Where phones are kept"
[[facts]]
name = "storage"
type = "strng"
doc = "again"
[[facts]]
name = "approach"
type = "choice"
required = true
default = "pouches"
doc = "The approach"
[[facts]]
name = "minutes"
type = "integer"
default = "ten"
doc = "Minutes"
[[facts]]
name = "colour"
type = "string"
doc = "Colour"
exmaple = '"red"'
`
	_, err := New(Overlay{fstest.MapFS{"p/policy.toml": {Data: []byte(bad)}}}, "")
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`policy.toml (built-in):8: fact "storage" is declared twice`,
		`policy.toml (built-in):9: fact "storage": type: "strng" is not a fact type`, `did you mean "string"?`,
		`policy.toml (built-in):11: fact "approach": values: a choice lists its allowed values`,
		`policy.toml (built-in):15: fact "approach": default: a required fact has no default`,
		`policy.toml (built-in):20: fact "minutes": default: must be a whole number`,
		`policy.toml (built-in):26: facts.exmaple: unknown key`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}

	good := strings.Replace(policyTOML, "[[sections]]", "[[facts]]\nname = \"storage\"\ntype = \"string\"\ndoc = \"Where phones are kept\"\nexample = '\"the office\"'\n[[sections]]", 1)
	c, err := New(Overlay{fstest.MapFS{"p/policy.toml": {Data: []byte(good)}, "p/forms/f.md.tmpl": {Data: []byte("f")}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if fs := c.Facts(); len(fs) != 1 || fs[0].ID != "p" || len(fs[0].Facts) != 1 || fs[0].Facts[0].Name != "storage" {
		t.Errorf("Facts() = %+v", fs)
	}
}
