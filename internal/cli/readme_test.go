package cli

import (
	"flag"
	"fmt"
	"github.com/policypack/policypack/internal/compose"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/policies"
)

var update = flag.Bool("update", false, "rewrite golden files and the generated sections of docs/")

// TestDocs keeps the generated sections of docs/ (the config reference, the
// keys each policy requires, the CLI reference) identical to what the code
// generates; -update rewrites them.
func TestDocs(t *testing.T) {
	files := []struct {
		path     string
		sections []struct{ name, body string }
	}{
		{"../../docs/config.md", []struct{ name, body string }{
			{"CONFIG REFERENCE", config.Reference(builtinFacts(t)...)},
			{"POLICY KEYS", policyKeys(t)},
		}},
		{"../../docs/cli.md", []struct{ name, body string }{
			{"CLI REFERENCE", Reference()},
		}},
		{"../../docs/templates.md", []struct{ name, body string }{
			{"TEMPLATE FUNCTIONS", templateFuncs()},
		}},
	}
	for _, f := range files {
		data, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		want := text
		for _, s := range f.sections {
			re := regexp.MustCompile(`(?s)(<!-- BEGIN ` + s.name + `[^>]*-->\n).*?(<!-- END ` + s.name + ` -->)`)
			if !re.MatchString(want) {
				t.Fatalf("%s has no %s markers", f.path, s.name)
			}
			body := s.body
			want = re.ReplaceAllStringFunc(want, func(m string) string {
				sub := re.FindStringSubmatch(m)
				return sub[1] + body + sub[2]
			})
		}
		if want == text {
			continue
		}
		if *update {
			if err := os.WriteFile(f.path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s: generated sections are out of date: run go test ./internal/cli -run TestDocs -update\n%s",
			f.path, diff.Diff(f.path, data, "generated", []byte(want)))
	}
}

// policyKeys lists the keys each built-in policy requires.
func policyKeys(t *testing.T) string {
	cat, err := policies.Open("")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, p := range cat.Policies {
		// The common keys the policy requires, then its own required facts.
		var keys []string
		for _, k := range p.Required {
			keys = append(keys, "`"+k+"`")
		}
		for _, f := range p.Facts {
			if f.Required {
				keys = append(keys, "`"+config.FactKey(p.ID, f.Name)+"`")
			}
		}
		fmt.Fprintf(&b, "- %s (`%s`): %s\n", p.Title, p.ID, strings.Join(keys, ", "))
	}
	return b.String()
}

// templateFuncs is the list of functions a template may call, from the
// allow-list compose uses, so the guide cannot offer one that is not there.
func templateFuncs() string {
	own, sprigs := compose.FuncNames()
	code := func(names []string) string {
		var b strings.Builder
		for i, n := range names {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("`" + n + "`")
		}
		return b.String()
	}
	return "- policypack's own (described below): " + code(own) + ".\n" +
		"- from sprig, and no others: " + code(sprigs) + ".\n"
}

// builtinFacts is every built-in policy's declared facts.
func builtinFacts(t *testing.T) []config.PolicyFacts {
	t.Helper()
	cat, err := policies.Open("")
	if err != nil {
		t.Fatal(err)
	}
	return cat.Facts()
}
