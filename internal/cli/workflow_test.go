package cli

import (
	"bytes"
	"cmp"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"

	"github.com/policypack/policypack/internal/scaffold"
)

// TestWorkflowCommands: every policypack command the repository's CI
// workflow, and the one init writes for a trust, runs exists and takes the
// flags it is given, so a renamed flag cannot silently break a weekly
// review job.
func TestWorkflowCommands(t *testing.T) {
	for _, path := range []string{"../../.github/workflows/policy-review.yml", "../scaffold/files/dot-github/workflows/policy-review.yml"} {
		t.Run(path, func(t *testing.T) { checkWorkflow(t, path) })
	}
}

func checkWorkflow(t *testing.T, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cmdRe := regexp.MustCompile(`(?:^|[\s;&|({])policypack ([^>|;&)"]*)`)
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, m := range cmdRe.FindAllStringSubmatch(line, -1) {
			args := strings.Fields(m[1])
			io, _, _ := testIO()
			root := NewRoot(io)
			cmd, rest, err := root.Find(args)
			if err != nil || cmd == root {
				t.Errorf("workflow runs unknown command: policypack %s (%v)", m[1], err)
				continue
			}
			if err := cmd.ParseFlags(rest); err != nil {
				t.Errorf("workflow runs policypack %s: %v", m[1], err)
			}
			n++
		}
	}
	if n < 4 {
		t.Errorf("found only %d policypack commands in the workflow", n)
	}
}

// TestActionlint: this repository's workflows and the one init writes (as
// a release writes it, and as a development build does) pass actionlint,
// so a typo in a job cannot wait for GitHub to find it.
func TestActionlint(t *testing.T) {
	files := map[string][]byte{}
	paths, err := filepath.Glob("../../.github/workflows/*.yml")
	if err != nil || len(paths) < 2 {
		t.Fatalf("workflows: %v %v", paths, err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[p] = data
	}
	for _, v := range []string{"v1.2.3", ""} {
		fs, err := scaffold.FilesFor(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if strings.HasPrefix(f.Path, ".github/workflows/") {
				files["init "+cmp.Or(v, "(dev)")+": "+f.Path] = f.Data
			}
		}
	}
	// The linter finds what it should (an unknown context property).
	bad := []byte("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_property }}\n")
	if l, err := actionlint.NewLinter(&bytes.Buffer{}, &actionlint.LinterOptions{}); err != nil {
		t.Fatal(err)
	} else if errs, _ := l.Lint("bad.yml", bad, nil); len(errs) == 0 {
		t.Fatal("actionlint found nothing wrong with a bad workflow")
	}
	for name, data := range files {
		var out bytes.Buffer
		l, err := actionlint.NewLinter(&out, &actionlint.LinterOptions{})
		if err != nil {
			t.Fatal(err)
		}
		errs, err := l.Lint(name, data, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range errs {
			t.Errorf("%s:%d:%d: %s [%s]", name, e.Line, e.Column, e.Message, e.Kind)
		}
	}
}

// The workflow init writes installs the release that wrote it, never
// @latest; a development build's file says how to pin and fails until it is.
func TestInitWorkflowPinned(t *testing.T) {
	for _, tc := range []struct{ version, want string }{
		{"v1.2.3", `POLICYPACK_VERSION: "v1.2.3"`},
		{"", "NOT PINNED"},
	} {
		fs, err := scaffold.FilesFor(tc.version)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.Path != ".github/workflows/policy-review.yml" {
				continue
			}
			s := string(f.Data)
			if !strings.Contains(s, tc.want) || strings.Contains(s, "@latest") || strings.Contains(s, "__") {
				t.Errorf("version %q: workflow lacks %q or is not pinned:\n%s", tc.version, tc.want, s)
			}
		}
	}
}
