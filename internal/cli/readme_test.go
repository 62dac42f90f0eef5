package cli

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/policypack/policypack/internal/catalog"
	"github.com/policypack/policypack/internal/config"
)

var update = flag.Bool("update", false, "rewrite golden files and the README's generated sections")

// TestREADME keeps the README's config and CLI references identical to what
// the code generates; -update rewrites them.
func TestREADME(t *testing.T) {
	const path = "../../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	sections := []struct{ name, body string }{
		{"CONFIG REFERENCE", config.Reference()},
		{"CLI REFERENCE", Reference()},
		{"POLICY KEYS", policyKeys(t)},
	}
	want := text
	for _, s := range sections {
		re := regexp.MustCompile(`(?s)(<!-- BEGIN ` + s.name + `[^>]*-->\n).*?(<!-- END ` + s.name + ` -->)`)
		if !re.MatchString(want) {
			t.Fatalf("README has no %s markers", s.name)
		}
		body := s.body
		want = re.ReplaceAllStringFunc(want, func(m string) string {
			sub := re.FindStringSubmatch(m)
			return sub[1] + body + sub[2]
		})
	}
	if want == text {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's generated references are out of date: run go test ./internal/cli -run TestREADME -update\n%s",
		diff.Diff("README.md", data, "generated", []byte(want)))
}

// policyKeys lists the keys each built-in policy requires.
func policyKeys(t *testing.T) string {
	cat, err := catalog.Open("")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, p := range cat.Policies {
		keys := make([]string, len(p.Required))
		for i, k := range p.Required {
			keys[i] = "`" + k + "`"
		}
		fmt.Fprintf(&b, "- %s (`%s`): %s\n", p.Title, p.ID, strings.Join(keys, ", "))
	}
	return b.String()
}
