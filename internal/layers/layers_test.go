package layers

import (
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated package table in docs/design.md")

const module = "github.com/policypack/policypack/"

// stages is the one direction of data: a package may import packages of
// earlier stages only (and none of its own stage). A new package must be
// placed here, with a line saying what it is, or the test fails.
var stages = []struct {
	name string
	pkgs [][2]string // package, what it provides
}{
	{"foundations", [][2]string{
		{"templates", "the built-in templates and requirements, embedded"},
		{"internal/diag", "the one diagnostic type: where, what, hint; did-you-mean; TOML key positions"},
		{"internal/ident", "the one id syntax (schools, policies, sections, requirements)"},
		{"internal/manifest", "the manifest of a built dist/"},
		{"internal/roster", "pupil rosters from MIS exports"},
	}},
	{"files", [][2]string{
		{"internal/atomicfile", "the one atomic file writer, confined to its output folder"},
		{"internal/infile", "input files: regular, inside their folder, bounded"},
	}},
	{"test helpers", [][2]string{
		{"internal/testtool", "finding external programs in tests"},
		{"internal/roster/rostertest", "invented rosters for tests and benchmarks"},
		{"internal/config/configtest", "fixture school text: the built-in policies' required facts, an example school confirmed"},
	}},
	{"document", [][2]string{
		{"internal/markdown", "the contract between compose and the renderers: the AST and the document's front-matter data"},
	}},
	{"config", [][2]string{{"internal/config", "schools' TOML: parse, validate, cascade"}}},
	{"facts", [][2]string{
		{"internal/review", "a policy's review state on a date"},
		{"internal/policies", "the policies a build uses: each policy.toml and its templates (built-in overlaid by a trust's)"},
		{"internal/standards", "the statutory requirements catalogue"},
		{"internal/gitrepo", "files as a git commit holds them; the commit that last approved a policy"},
	}},
	{"compose", [][2]string{{"internal/compose", "config + templates to Markdown and front-matter data"}}},
	{"render", [][2]string{
		{"internal/html", "a document to HTML"},
		{"internal/pdf", "a document (or a book of them) to PDF"},
		{"internal/docx", "a document to Word"},
		{"internal/redline", "two versions of a document to a redline"},
	}},
	{"reports", [][2]string{
		{"internal/coverage", "statutory coverage of a school's policies"},
		{"internal/dashboard", "the trust's dashboard"},
		{"internal/scaffold", "the files init and new write"},
	}},
	{"build", [][2]string{{"internal/build", "a whole trust to dist/, incrementally"}}},
	{"services", [][2]string{
		{"internal/serve", "live preview"},
		{"internal/forms", "a form for every pupil of a roster"},
		{"internal/history", "a school's policy at two git revisions, compared"},
	}},
	{"commands", [][2]string{{"internal/cli", "flags and wiring only"}}},
	{"program", [][2]string{{"cmd/policypack", "main: process-wide settings"}}},
}

// renderers see the document and nothing upstream of it: a renderer that
// read config or compose's output could not be reused for another source.
var renderers = []string{"internal/html", "internal/pdf", "internal/redline", "internal/docx"}

// graph returns each package's internal imports (non-test files only).
func graph(t *testing.T) map[string][]string {
	t.Helper()
	root := filepath.Join("..", "..")
	g := map[string][]string{}
	fset := token.NewFileSet()
	for _, top := range []string{"internal", "cmd", "templates"} {
		err := filepath.WalkDir(filepath.Join(root, top), func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, filepath.Dir(path))
			pkg := filepath.ToSlash(rel)
			if pkg == "internal/layers" {
				return nil // this test's own package
			}
			if _, ok := g[pkg]; !ok {
				g[pkg] = nil
			}
			for _, imp := range f.Imports {
				p := strings.Trim(imp.Path.Value, `"`)
				if q, ok := strings.CutPrefix(p, module); ok && !slices.Contains(g[pkg], q) {
					g[pkg] = append(g[pkg], q)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range g {
		sort.Strings(v)
	}
	return g
}

func stageOf(pkg string) int {
	for i, s := range stages {
		for _, p := range s.pkgs {
			if p[0] == pkg {
				return i
			}
		}
	}
	return -1
}

// TestOneDirection fails when a package imports one of its own or a later
// stage, when a renderer imports anything upstream of the document, or when
// a package is in no stage.
func TestOneDirection(t *testing.T) {
	g := graph(t)
	var pkgs []string
	for p := range g {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, p := range pkgs {
		sp := stageOf(p)
		if sp < 0 {
			t.Errorf("%s is in no stage: add it to stages in internal/layers/layers_test.go", p)
			continue
		}
		for _, q := range g[p] {
			sq := stageOf(q)
			if sq >= sp {
				t.Errorf("%s (stage %s) imports %s (stage %s): imports go to earlier stages only",
					p, stages[sp].name, q, stages[max(sq, 0)].name)
			}
			if slices.Contains(renderers, p) && stages[sq].name != "foundations" && stages[sq].name != "document" {
				t.Errorf("renderer %s imports %s: a renderer sees only the document", p, q)
			}
		}
	}
}

// TestDesignNotesTable keeps the generated package table in docs/design.md
// equal to the real import graph.
func TestDesignNotesTable(t *testing.T) {
	g := graph(t)
	var b strings.Builder
	b.WriteString("| stage | package | what it is | imports (policypack's own) |\n|---|---|---|---|\n")
	for _, s := range stages {
		for _, pw := range s.pkgs {
			p := pw[0]
			imps, ok := g[p]
			if !ok {
				continue // listed for the future (a format not built yet)
			}
			var names []string
			for _, q := range imps {
				names = append(names, "`"+q+"`")
			}
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s |\n", s.name, p, pw[1], strings.Join(names, ", "))
		}
	}
	const path = "../../docs/design.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?s)(<!-- BEGIN PACKAGES[^>]*-->\n).*?(<!-- END PACKAGES -->)`)
	if !re.Match(data) {
		t.Fatalf("%s has no PACKAGES markers", path)
	}
	want := re.ReplaceAllString(string(data), "${1}"+strings.ReplaceAll(b.String(), "$", "$$")+"${2}")
	if want == string(data) {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the package table is out of date: run go test ./internal/layers -update", path)
}
