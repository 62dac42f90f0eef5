package compose

import (
	"strings"
	"testing"
	"testing/fstest"
	"text/template"
	"time"

	"github.com/Masterminds/sprig/v3"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/policies"
	"github.com/policypack/policypack/templates"
)

// trustPolicy composes Robert Miles' policy with the scope section replaced
// by a trust's template.
func trustPolicy(t *testing.T, scope string) error {
	t.Helper()
	trust := fstest.MapFS{"online-safety/sections/scope.md.tmpl": {Data: []byte(scope)}}
	cat, err := policies.New(policies.Overlay{trust, templates.FS}, "trust")
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(cat, config.NewDate(2026, 11, 26))
	if err != nil {
		return err
	}
	set, err := config.Load("../../schools", "robert-miles-infant")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Policy(set.Schools[0], cat.Policy("online-safety"))
	return err
}

// Only the allow-listed functions exist: each allowed name is a real
// sprig function, and what reads the machine or allocates without bound
// does not parse.
func TestFuncAllowList(t *testing.T) {
	all := sprig.TxtFuncMap()
	for _, name := range SprigFuncs {
		if all[name] == nil {
			t.Errorf("%s is not a sprig function", name)
		}
	}
	for _, name := range []string{"env", "expandenv", "now", "date", "randAlpha", "uuidv4", "getHostByName", "repeat", "until", "untilStep", "seq", "indent", "b64dec", "values", "shuffle"} {
		if _, err := template.New("t").Funcs(baseFuncs()).Parse("{{ " + name + " }}"); err == nil || !strings.Contains(err.Error(), "not defined") {
			t.Errorf("%s is available to templates: %v", name, err)
		}
	}
}

// toDate and keys give the same answer on every machine.
func TestPureFuncs(t *testing.T) {
	d := pureFuncs["toDate"].(func(string, string) time.Time)("2006-01-02", "2026-11-26")
	if d.Location() != time.UTC || d.Format(time.RFC3339) != "2026-11-26T00:00:00Z" {
		t.Errorf("toDate = %v", d)
	}
	keys := pureFuncs["keys"].(func(...map[string]any) []string)
	for range 20 {
		if got := strings.Join(keys(map[string]any{"c": 1, "a": 2, "b": 3, "e": 4, "d": 5}), ""); got != "abcde" {
			t.Fatalf("keys = %s", got)
		}
	}
}

// .School.Source holds the build machine's paths: a template naming it
// does not load, whichever way it reaches it.
func TestSourceHidden(t *testing.T) {
	for _, src := range []string{"{{ .School.Source.File }}", "{{ with .School }}{{ .Source.Files }}{{ end }}", "{{ $s := .School }}{{ $s.Source.File }}"} {
		err := trustPolicy(t, "Scope\n\n"+src+"\n")
		if err == nil || !strings.Contains(err.Error(), "trust/online-safety/sections/scope.md.tmpl:3: .Source is not available to templates") {
			t.Errorf("%s: %v", src, err)
		}
	}
}

// A trust's template that prints without end or loops without end is
// stopped, with an error naming the template.
func TestTemplateBudget(t *testing.T) {
	err := trustPolicy(t, "{{ range 1000000000 }}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{{ end }}")
	if err == nil || !strings.Contains(err.Error(), "trust/online-safety/sections/scope.md.tmpl: the template wrote more than 8 MiB") || !strings.Contains(err.Error(), "hint:") {
		t.Errorf("output budget: %v", err)
	}
	defer func(d time.Duration) { execTime = d }(execTime)
	execTime = 200 * time.Millisecond
	start := time.Now()
	err = trustPolicy(t, "{{ range 100000000000 }}{{ end }}")
	if err == nil || !strings.Contains(err.Error(), "trust/online-safety/sections/scope.md.tmpl: the template ran for too long") {
		t.Errorf("time budget: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("stopping took %v", took)
	}
}
