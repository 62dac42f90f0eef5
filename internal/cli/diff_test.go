package cli

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/scaffold"
	"github.com/policypack/policypack/internal/testtool"
)

// gitRepo makes a trust repository with init's scaffold and returns its
// folder and a function that commits everything with a message.
func gitRepo(t *testing.T) (string, func(msg string)) {
	t.Helper()
	git := testtool.Path(t, "git")
	dir := t.TempDir()
	if _, err := scaffold.Write(dir, false); err != nil {
		t.Fatal(err)
	}
	setRequired(t, dir)
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(git, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.org",
			"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.org", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q", "-b", "main")
	return dir, func(msg string) {
		run("add", "-A")
		run("commit", "-q", "-m", msg)
	}
}

// editFile rewrites a file through edit.
func editFile(t *testing.T, path string, edit func(string) string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(edit(string(data))), 0o644); err != nil {
		t.Fatal(err)
	}
}

var (
	insRe = regexp.MustCompile(`<ins>([^<]*)</ins>`)
	delRe = regexp.MustCompile(`<del>([^<]*)</del>`)
	// In the PDF each change is preceded by a small + or − sign.
	pdfInsRe = regexp.MustCompile(`\+(\p{L}+)`)
	pdfDelRe = regexp.MustCompile(`−(\p{L}+)`)
	// In the Word document each change is a revision by policypack,
	// dated the as-of day.
	docxInsRe = regexp.MustCompile(`<w:ins w:id="\d+" w:author="policypack" w:date="2026-11-26T00:00:00Z"><w:r><w:t xml:space="preserve">([^<]*)</w:t>`)
	docxDelRe = regexp.MustCompile(`<w:del w:id="\d+" w:author="policypack" w:date="2026-11-26T00:00:00Z"><w:r><w:delText xml:space="preserve">([^<]*)</w:delText>`)
)

// docxBody is word/document.xml of a .docx.
func docxBody(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a .docx: %v", err)
	}
	f, err := zr.Open("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// words collects the distinct words of every match of re's first group,
// skipping the legend's own examples.
func words(re *regexp.Regexp, text string) []string {
	var out []string
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		for _, w := range strings.Fields(m[1]) {
			if !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
	}
	slices.Sort(out)
	return out
}

func TestDiffShowsExactlyTheChangedWords(t *testing.T) {
	dir, commit := gitRepo(t)
	school := filepath.Join(dir, "schools", scaffold.ExampleID+".toml")
	editFile(t, school, func(s string) string {
		return s + "\nlocal_authority = \"Norfolk County Council\"\n"
	})
	// local_authority must be a top-level key: put it before the first table.
	editFile(t, school, func(s string) string {
		s = strings.Replace(s, "\nlocal_authority = \"Norfolk County Council\"\n", "", 1)
		return strings.Replace(s, "# local_authority = ", "local_authority = \"Norfolk County Council\"\n# local_authority = ", 1) +
			"\n[policies.online-safety]\napproved_on = 2025-05-24\n"
	})
	commit("governors approve the online safety policy")
	editFile(t, school, func(s string) string {
		s = strings.Replace(s, `name = "Example Primary School"`, `name = "Example Junior School"`, 1)
		return strings.Replace(s, `local_authority = "Norfolk County Council"`, `local_authority = "Suffolk County Council"`, 1)
	})
	commit("new name and local authority")

	schools, tmpl := filepath.Join(dir, "schools"), filepath.Join(dir, "templates")
	// diff materialises each revision in a temporary folder; it must
	// remove them all.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Cleanup(func() {
		if left, _ := os.ReadDir(tmp); len(left) > 0 {
			t.Errorf("diff left %d temporary folder(s) behind, e.g. %s", len(left), left[0].Name())
		}
	})
	render := func(t *testing.T, opts DiffOptions) string {
		t.Helper()
		io, out, _ := testIO()
		opts.IO, opts.SchoolsDir, opts.TemplatesDir, opts.ID, opts.Policy, opts.AsOf = io, schools, tmpl, scaffold.ExampleID, "online-safety", "2026-11-26"
		if opts.Format == "pdf" {
			opts.Out, opts.Force = filepath.Join(dir, "redline.pdf"), true
		}
		if err := runDiff(&opts); err != nil {
			t.Fatalf("diff: %v", err)
		}
		if opts.Format == "docx" {
			return docxBody(t, out.Bytes())
		}
		if opts.Format != "pdf" {
			return out.String()
		}
		txt, err := exec.Command(testtool.Path(t, "pdftotext"), "-enc", "UTF-8", opts.Out, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		return string(txt)
	}

	tests := []struct {
		name     string
		opts     DiffOptions
		ins, del []string
		summary  string
	}{
		{name: "html since approval", opts: DiffOptions{Format: "html"},
			ins: []string{"Junior", "Suffolk"}, del: []string{"Norfolk", "Primary"}},
		{name: "html explicit revisions", opts: DiffOptions{Format: "html", From: "HEAD~1", To: "HEAD"},
			ins: []string{"Junior", "Suffolk"}, del: []string{"Norfolk", "Primary"}},
		{name: "pdf since approval", opts: DiffOptions{Format: "pdf"},
			ins: []string{"Junior", "Suffolk"}, del: []string{"Norfolk", "Primary"}},
		{name: "docx since approval", opts: DiffOptions{Format: "docx"},
			ins: []string{"Junior", "Suffolk"}, del: []string{"Norfolk", "Primary"}},
		{name: "docx nothing changed", opts: DiffOptions{Format: "docx", From: "HEAD", To: "HEAD"}, summary: "No changes"},
		{name: "html nothing changed", opts: DiffOptions{Format: "html", From: "HEAD"}, summary: "No changes"},
		{name: "pdf nothing changed", opts: DiffOptions{Format: "pdf", From: "HEAD", To: "HEAD"}, summary: "No changes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, tt.opts)
			insRx, delRx := insRe, delRe
			switch tt.opts.Format {
			case "pdf":
				insRx, delRx = pdfInsRe, pdfDelRe
			case "docx":
				insRx, delRx = docxInsRe, docxDelRe
			}
			// Drop the legend, which shows the marks on sample words.
			body := got
			if i := strings.Index(body, "Unchanged sections"); i >= 0 {
				body = body[i:]
			}
			if g := words(insRx, body); !slices.Equal(g, tt.ins) {
				t.Errorf("inserted words = %q, want %q", g, tt.ins)
			}
			if g := words(delRx, body); !slices.Equal(g, tt.del) {
				t.Errorf("deleted words = %q, want %q", g, tt.del)
			}
			if tt.summary != "" && !strings.Contains(got, tt.summary) {
				t.Errorf("output lacks %q", tt.summary)
			}
		})
	}
}

func TestDiffErrors(t *testing.T) {
	dir, commit := gitRepo(t)
	commit("start")
	schools := filepath.Join(dir, "schools")
	tests := []struct {
		name string
		opts DiffOptions
		want string
		code int // the exit code the README's table gives
	}{
		{"no approval recorded", DiffOptions{}, "no commit sets policies.online-safety.approved_on", ExitInvalid},
		{"unknown revision", DiffOptions{From: "no-such-tag"}, "is not a commit", ExitInvalid},
		{"bad format", DiffOptions{From: "HEAD", Format: "odt"}, "unknown format", ExitUsage},
		{"to and worktree", DiffOptions{To: "HEAD", Worktree: true}, "exclude each other", ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, _, _ := testIO()
			tt.opts.IO, tt.opts.SchoolsDir, tt.opts.ID, tt.opts.Policy, tt.opts.AsOf = io, schools, scaffold.ExampleID, "online-safety", "2026-11-26"
			err := runDiff(&tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if c := exitCode(err); c != tt.code {
				t.Errorf("exit %d, want %d", c, tt.code)
			}
		})
	}
}

// An approval date set in _defaults.toml (or an extends file) counts as the
// school's approval: diff's default --from finds it through the cascade.
func TestDiffFindsApprovalInDefaults(t *testing.T) {
	dir, commit := gitRepo(t)
	editFile(t, filepath.Join(dir, "schools", "_defaults.toml"), func(s string) string {
		return strings.Replace(s, "[policies.online-safety]\n", "[policies.online-safety]\napproved_on = 2025-05-24\n", 1)
	})
	commit("trust approves the online safety policy for every school")
	editFile(t, filepath.Join(dir, "schools", scaffold.ExampleID+".toml"), func(s string) string {
		return strings.Replace(s, `name = "Example Primary School"`, `name = "Example Junior School"`, 1)
	})
	commit("rename")
	io, out, _ := testIO()
	opts := DiffOptions{IO: io, Format: "html", SchoolsDir: filepath.Join(dir, "schools"), TemplatesDir: filepath.Join(dir, "templates"),
		ID: scaffold.ExampleID, Policy: "online-safety", AsOf: "2026-11-26"}
	if err := runDiff(&opts); err != nil {
		t.Fatalf("diff: %v", err)
	}
	if g := words(insRe, out.String()); !slices.Contains(g, "Junior") {
		t.Errorf("inserted words = %q, want Junior among them", g)
	}
	if !strings.Contains(out.String(), "24 May 2025") {
		t.Errorf("redline does not say which approval it starts from")
	}
}

// `diff --out schools/<id>.toml` must not replace the school's config: an
// existing --out file is refused before any work unless --force.
func TestDiffOutRefusesExistingFile(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "oak.toml")
	os.WriteFile(cfg, []byte("name = \"Oak\"\n"), 0o644)
	io, _, _ := testIO()
	err := runDiff(&DiffOptions{IO: io, SchoolsDir: dir, ID: "oak", Out: cfg, AsOf: "2026-11-26"})
	if err == nil || !strings.Contains(err.Error(), "oak.toml: already exists; nothing was written") || !strings.Contains(err.Error(), "hint: use --force") {
		t.Fatalf("diff --out onto a config: %v", err)
	}
	if got, _ := os.ReadFile(cfg); string(got) != "name = \"Oak\"\n" {
		t.Errorf("the config changed: %q", got)
	}
	if err := writeOut(cfg, []byte("redline"), false); err == nil {
		t.Error("writeOut replaced an existing file without force")
	}
	if err := writeOut(cfg, []byte("redline"), true); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(cfg); string(got) != "redline" {
		t.Errorf("--force did not replace: %q", got)
	}
}
