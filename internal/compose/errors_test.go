package compose

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/policies"
	"github.com/policypack/policypack/templates"
)

// A template that does not parse is reported at its own path and line, as a
// diag.Error, not as text/template's "template: NAME:LINE:" prose.
func TestTemplateParseErrorIsLocated(t *testing.T) {
	fsys := fstest.MapFS{
		"p/policy.toml":           {Data: []byte("id = \"p\"\ntitle = \"P\"\n[[sections]]\nid = \"aims\"\ntitle = \"Aims\"\nlevel = 1\n")},
		"p/sections/aims.md.tmpl": {Data: []byte("Aims\n\n{{ if }}\n")},
	}
	for _, f := range []string{"partials/title-block.md.tmpl", "partials/form-title-block.md.tmpl"} {
		data, err := templates.FS.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fsys[f] = &fstest.MapFile{Data: data}
	}
	cat, err := policies.New(policies.Overlay{fsys}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(cat, config.NewDate(2026, 1, 1))
	var d *diag.Error
	if !errors.As(err, &d) {
		t.Fatalf("err = %v, want a *diag.Error", err)
	}
	if want := "templates/p/sections/aims.md.tmpl (built-in):3: missing value for if"; err.Error() != want {
		t.Errorf("err = %q\nwant  %q", err, want)
	}
}
