package main

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/policypack/policypack/internal/cli"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// asOf fixes the review date so the goldens do not change with the calendar.
const asOf = "2026-11-26"

// buildExamples builds the example schools in ../../schools into a temp dir
// through the real CLI and returns that dir.
func buildExamples(t *testing.T, formats string) string {
	t.Helper()
	out := t.TempDir()
	var stderr bytes.Buffer
	code := cli.Main([]string{"build", "--schools", "../../schools", "--out", out, "--as-of", asOf, "--format", formats, "--quiet"},
		cli.IO{In: strings.NewReader(""), Out: &stderr, ErrOut: &stderr})
	if code != 0 {
		t.Fatalf("build exited %d:\n%s", code, stderr.String())
	}
	return out
}

// TestGolden compares every Markdown and HTML file of both example packs
// with testdata/golden; go test ./cmd/policypack -update refreshes them, and
// the diff is reviewed like code.
func TestGolden(t *testing.T) {
	out := buildExamples(t, "md,html")
	golden := filepath.Join("testdata", "golden")
	var got []string
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		// School documents only: the dashboard has tests of its own.
		if ext := filepath.Ext(rel); ext != ".md" && ext != ".html" || !strings.Contains(rel, string(filepath.Separator)) {
			return nil
		}
		got = append(got, rel)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		gp := filepath.Join(golden, rel)
		if *update {
			if err := os.MkdirAll(filepath.Dir(gp), 0o755); err != nil {
				return err
			}
			return os.WriteFile(gp, data, 0o644)
		}
		want, err := os.ReadFile(gp)
		if err != nil {
			t.Errorf("%s: no golden file (run go test ./cmd/policypack -update): %v", rel, err)
			return nil
		}
		if !bytes.Equal(data, want) {
			t.Errorf("%s differs from %s (run go test ./cmd/policypack -update and review the diff):\n%s", rel, gp, diff.Diff(gp, want, "built "+rel, data))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < 4 {
		t.Fatalf("only %d files built: %v", len(got), got)
	}
	// No golden file may be left for a document that is no longer built.
	_ = filepath.WalkDir(golden, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(golden, p)
		if _, err := os.Stat(filepath.Join(out, rel)); err != nil {
			if *update {
				return os.Remove(p)
			}
			t.Errorf("golden %s has no built file", rel)
		}
		return nil
	})
}

// TestNoPlaceholders: nothing renders as <no value>, an empty placeholder
// or a dangling "e.g.".
func TestNoPlaceholders(t *testing.T) {
	out := buildExamples(t, "md")
	_ = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".md" {
			return err
		}
		data, _ := os.ReadFile(p)
		text := string(data)
		for _, bad := range []string{"<no value>", "<nil>", "e.g.\n", "e.g. )", "e.g.)", "()", "[]", "  ,", " ,", "..."} {
			if strings.Contains(text, bad) {
				i := strings.Index(text, bad)
				t.Errorf("%s: contains %q near %q", p, bad, text[max(0, i-60):min(len(text), i+40)])
			}
		}
		return nil
	})
}
