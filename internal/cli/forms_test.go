package cli

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/roster"
	"github.com/policypack/policypack/internal/roster/rostertest"
	"github.com/policypack/policypack/internal/testtool"
)

func pdfPages(t testing.TB, path string) int {
	t.Helper()
	out, err := exec.Command(testtool.Path(t, "pdfinfo"), path).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", path, err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count\n%s", path, out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// pageTexts returns the text of every page of path: one pdftotext run,
// split on the form feed it ends each page with, so each text is that
// page's and no other's (a process per page cost seven times as long).
func pageTexts(t testing.TB, path string) []string {
	t.Helper()
	n := pdfPages(t, path)
	out, err := exec.Command(testtool.Path(t, "pdftotext"), "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	texts := strings.Split(string(out), "\f")
	// pdftotext ends the last page with a form feed too.
	if len(texts) != n+1 || strings.TrimSpace(texts[n]) != "" {
		t.Fatalf("pdftotext %s: %d form feeds for %d pages", path, len(texts)-1, n)
	}
	return texts[:n]
}

// formFields reads the pre-filled fields back from one page's text.
var (
	pupilRe  = regexp.MustCompile(`(?m)^Pupil name: (.+)$`)
	yearRe   = regexp.MustCompile(`(?m)^Year group: (.+)$`)
	classRe  = regexp.MustCompile(`(?m)^Class: (.+)$`)
	parentRe = regexp.MustCompile(`(?m)^Parent/carer name:(.*)$`)
)

type printed struct{ name, year, class string }

func readForm(t testing.TB, page int, text string) printed {
	t.Helper()
	names := pupilRe.FindAllStringSubmatch(text, -1)
	if len(names) != 1 {
		t.Fatalf("page %d: %d pupil names, want exactly 1:\n%s", page, len(names), text)
	}
	get := func(re *regexp.Regexp) string {
		m := re.FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("page %d: no %s:\n%s", page, re, text)
		}
		return strings.TrimSpace(m[1])
	}
	if p := get(parentRe); p != "" {
		t.Errorf("page %d: the parent's name is filled in: %q", page, p)
	}
	return printed{strings.TrimSpace(names[0][1]), get(yearRe), get(classRe)}
}

func want(ps []roster.Pupil) []printed {
	out := make([]printed, len(ps))
	for i, p := range ps {
		out[i] = printed{p.FullName(), p.Year, p.Class}
	}
	return out
}

// formsRun runs `policypack forms` for a school of the repository with the
// given extra arguments and returns the exit code and standard error.
func formsRun(t testing.TB, school, form string, args ...string) (int, string) {
	t.Helper()
	io, _, errOut := testIO()
	all := append([]string{"forms", "--schools", seedSchools, "--school", school, "--form", form, "--as-of", "2026-11-26"}, args...)
	return Main(all, io), errOut.String()
}

func writeRoster(t testing.TB, dir string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, "pupils.csv")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// onlyFiles lists dir's entries; a test compares it with what it expects so
// that a stray temporary file fails it.
func onlyFiles(t testing.TB, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// noNames fails if stderr repeats any pupil's name.
func noNames(t testing.TB, stderr string, ps []roster.Pupil) {
	t.Helper()
	for _, p := range ps {
		for _, s := range []string{p.Forename, p.Surname} {
			if len([]rune(s)) > 3 && strings.Contains(stderr, s) {
				t.Errorf("stderr names a pupil (%q):\n%s", s, stderr)
				return
			}
		}
	}
}

// TestForms300 prints the parent/carer agreement for 300 invented pupils
// (BOM, CRLF, Zoë, Siân, Łukasz, a quoted comma in every row): one form per
// pupil, one page each, in class, surname, forename order, with the name,
// year and class on the right page and nothing else pre-filled.
func TestForms300(t *testing.T) {
	dir := t.TempDir()
	data := rostertest.Generate(300, 42)
	for _, must := range []string{"\ufeff", "\r\n", "Zoë", "Siân", "Łukasz", `"Khan, A"`} {
		if !bytes.Contains(data, []byte(must)) {
			t.Fatalf("generated roster lacks %q", must)
		}
	}
	csv := writeRoster(t, dir, data)
	out := filepath.Join(dir, "forms.pdf")
	code, stderr := formsRun(t, "hevingham-marsham", "parent-agreement", "--roster", csv, "--out", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	pupils := rostertest.GeneratePupils(300, 42)
	noNames(t, stderr, pupils)
	if !strings.Contains(stderr, "wrote 300 form(s), 300 page(s)") {
		t.Errorf("stderr: %s", stderr)
	}
	if got := onlyFiles(t, dir); !slices.Equal(got, []string{"forms.pdf", "pupils.csv"}) {
		t.Errorf("folder holds %v: a temporary file was left", got)
	}
	roster.Sort(pupils)
	texts := pageTexts(t, out)
	if len(texts) != 300 {
		t.Fatalf("%d pages, want 300 (one per pupil)", len(texts))
	}
	wantForms := want(pupils)
	seen := map[string]bool{}
	for i, text := range texts {
		got := readForm(t, i+1, text)
		if got != wantForms[i] {
			t.Fatalf("page %d: %+v, want %+v", i+1, got, wantForms[i])
		}
		if !strings.Contains(text, "Page 1 of 1") {
			t.Errorf("page %d is not numbered as its own form's page 1 of 1", i+1)
		}
		seen[got.name] = true
	}
	for _, name := range []string{"Zoë", "Siân", "Łukasz"} {
		found := false
		for n := range seen {
			found = found || strings.HasPrefix(n, name+" ")
		}
		if !found {
			t.Errorf("no form for a pupil named %s", name)
		}
	}
}

// TestFormsDuplex: every form is padded to an even number of pages and the
// padding is blank (internal/pdf's Book tests cover a two-page form getting
// none).
func TestFormsDuplex(t *testing.T) {
	tests := []struct {
		school, form string
		pages        int // pages of one copy of the form
	}{
		{"hevingham-marsham", "parent-agreement", 1},
		// One version per pupil: the one for their year group.
		{"hevingham-marsham", "pupil-code-of-conduct", 1},
	}
	for _, tt := range tests {
		t.Run(tt.form, func(t *testing.T) {
			dir := t.TempDir()
			csv := writeRoster(t, dir, rostertest.Generate(7, 3))
			out := filepath.Join(dir, "forms.pdf")
			code, stderr := formsRun(t, tt.school, tt.form, "--roster", csv, "--out", out, "--duplex")
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			per := tt.pages + tt.pages%2
			texts := pageTexts(t, out)
			if len(texts) != 7*per {
				t.Fatalf("%d pages, want %d", len(texts), 7*per)
			}
			pupils := rostertest.GeneratePupils(7, 3)
			roster.Sort(pupils)
			for i, p := range pupils {
				// The pupil code of conduct labels the name "Pupil's
				// name", so look for the name itself.
				if first := texts[i*per]; !strings.Contains(first, p.FullName()) || !strings.Contains(first, "Page 1 of") {
					t.Errorf("page %d is not the first page of %s's form:\n%s", i*per+1, p.FullName(), first)
				}
				for j := 1; j < per; j++ {
					text := strings.TrimSpace(texts[i*per+j])
					if j >= tt.pages && text != "" {
						t.Errorf("page %d should be blank padding: %q", i*per+j+1, text)
					}
					if j < tt.pages && !strings.Contains(text, fmt.Sprintf("Page %d of %d", j+1, tt.pages)) {
						t.Errorf("page %d is not page %d of its form", i*per+j+1, j+1)
					}
				}
			}
		})
	}
}

// TestFormsSplitByClass: one file per class, named by the class's slug,
// holding exactly that class's pupils in order; nothing else in the folder.
func TestFormsSplitByClass(t *testing.T) {
	dir := t.TempDir()
	csv := writeRoster(t, dir, rostertest.Generate(300, 42))
	outDir := filepath.Join(dir, "out")
	code, stderr := formsRun(t, "robert-miles-infant", "parent-agreement", "--roster", csv, "--split-by", "class", "--out", outDir)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	groups, err := roster.GroupBy(rostertest.GeneratePupils(300, 42), "class")
	if err != nil {
		t.Fatal(err)
	}
	var wantFiles []string
	for _, g := range groups {
		wantFiles = append(wantFiles, "parent-agreement-"+g.Slug+".pdf")
	}
	slices.Sort(wantFiles)
	if got := onlyFiles(t, outDir); !slices.Equal(got, wantFiles) {
		t.Fatalf("files %v, want %v", got, wantFiles)
	}
	if len(groups) < 3 {
		t.Fatalf("only %d classes: the test needs several", len(groups))
	}
	total := 0
	for _, g := range groups {
		path := filepath.Join(outDir, "parent-agreement-"+g.Slug+".pdf")
		texts := pageTexts(t, path)
		wantForms := want(g.Pupils)
		if len(texts) != len(wantForms) {
			t.Fatalf("%s: %d pages, want %d", g.Key, len(texts), len(wantForms))
		}
		for i, text := range texts {
			if got := readForm(t, i+1, text); got != wantForms[i] {
				t.Errorf("%s page %d: %+v, want %+v", g.Key, i+1, got, wantForms[i])
			}
		}
		total += len(texts)
	}
	if total != 300 {
		t.Errorf("%d forms in all, want 300", total)
	}
}

// TestFormsBadRoster: a bad roster is an error naming the file and the
// line, never a pupil, with exit 1, and nothing is written: no output, no
// temporary file, and an existing output is untouched.
func TestFormsBadRoster(t *testing.T) {
	header := "Forename,Surname,Year,Class\r\n"
	tests := []struct {
		name   string
		csv    string
		stderr []string
	}{
		{"unbalanced quotes", header + "Zoë,Hartley,3,3 Oak\r\n\"Siân,Brennan,3,3 Oak\r\nŁukasz,Zieliński,3,3 Oak\r\n",
			[]string{"pupils.csv", "line 3", "unbalanced quotes"}},
		{"missing name", header + "Zoë,Hartley,3,3 Oak\r\n,Brennan,3,3 Oak\r\nŁukasz,,3,3 Oak\r\n",
			[]string{"pupils.csv", "line 3: no forename", "line 4: no surname"}},
		{"missing column", "Forename,Surname,Year\r\nZoë,Hartley,3\r\n",
			[]string{"pupils.csv", "line 1", "no class column"}},
		{"unprintable character", header + "Zoë,Hartley,3,3 Oak\r\nSiân,Brennan 😀,3,3 Oak\r\n",
			[]string{"pupils.csv", "line 3", "cannot print", "U+1F600"}},
		{"empty", header, []string{"pupils.csv", "no pupil rows"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, existing := range []bool{false, true} {
				dir := t.TempDir()
				csv := writeRoster(t, dir, []byte(tt.csv))
				out := filepath.Join(dir, "forms.pdf")
				if existing {
					if err := os.WriteFile(out, []byte("last year's forms"), 0o600); err != nil {
						t.Fatal(err)
					}
				}
				args := []string{"--roster", csv, "--out", out}
				if existing {
					args = append(args, "--force")
				}
				code, stderr := formsRun(t, "hevingham-marsham", "parent-agreement", args...)
				if code != ExitInvalid {
					t.Errorf("exit %d, want %d", code, ExitInvalid)
				}
				for _, w := range tt.stderr {
					if !strings.Contains(stderr, w) {
						t.Errorf("stderr lacks %q:\n%s", w, stderr)
					}
				}
				for _, name := range []string{"Zoë", "Hartley", "Siân", "Brennan", "Łukasz", "Zieliński"} {
					if strings.Contains(stderr, name) {
						t.Errorf("stderr names a pupil (%s):\n%s", name, stderr)
					}
				}
				wantFiles := []string{"pupils.csv"}
				if existing {
					wantFiles = []string{"forms.pdf", "pupils.csv"}
					if b, _ := os.ReadFile(out); string(b) != "last year's forms" {
						t.Error("the existing output was changed")
					}
				}
				if got := onlyFiles(t, dir); !slices.Equal(got, wantFiles) {
					t.Errorf("folder holds %v, want %v", got, wantFiles)
				}
			}
		})
	}
}

// TestFormsForce: an existing output is kept without --force (exit 1,
// untouched) and replaced with it; with --split-by, one existing file stops
// the whole run before any file is written.
func TestFormsForce(t *testing.T) {
	dir := t.TempDir()
	csv := writeRoster(t, dir, rostertest.Generate(40, 5))
	out := filepath.Join(dir, "forms.pdf")
	old := []byte("last year's forms")
	if err := os.WriteFile(out, old, 0o600); err != nil {
		t.Fatal(err)
	}
	code, stderr := formsRun(t, "hevingham-marsham", "parent-agreement", "--roster", csv, "--out", out)
	if code != ExitInvalid || !strings.Contains(stderr, "already exists") || !strings.Contains(stderr, "--force") {
		t.Errorf("without --force: exit %d, stderr %s", code, stderr)
	}
	if b, _ := os.ReadFile(out); !bytes.Equal(b, old) {
		t.Error("the existing output was changed without --force")
	}
	if got := onlyFiles(t, dir); !slices.Equal(got, []string{"forms.pdf", "pupils.csv"}) {
		t.Errorf("folder holds %v", got)
	}
	code, stderr = formsRun(t, "hevingham-marsham", "parent-agreement", "--roster", csv, "--out", out, "--force")
	if code != ExitOK {
		t.Fatalf("with --force: exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(out); !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Error("--force did not replace the output with a PDF")
	}
	if got := onlyFiles(t, dir); !slices.Equal(got, []string{"forms.pdf", "pupils.csv"}) {
		t.Errorf("folder holds %v", got)
	}

	// Split: one class's file exists; nothing else may appear.
	outDir := filepath.Join(dir, "classes")
	if err := os.Mkdir(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	groups, _ := roster.GroupBy(rostertest.GeneratePupils(40, 5), "class")
	last := filepath.Join(outDir, "parent-agreement-"+groups[len(groups)-1].Slug+".pdf")
	if err := os.WriteFile(last, old, 0o600); err != nil {
		t.Fatal(err)
	}
	code, stderr = formsRun(t, "hevingham-marsham", "parent-agreement", "--roster", csv, "--out", outDir, "--split-by", "class")
	if code != ExitInvalid || !strings.Contains(stderr, "already exists") {
		t.Errorf("split without --force: exit %d, stderr %s", code, stderr)
	}
	if got := onlyFiles(t, outDir); len(got) != 1 {
		t.Errorf("split without --force wrote files: %v", got)
	}
	code, stderr = formsRun(t, "hevingham-marsham", "parent-agreement", "--roster", csv, "--out", outDir, "--split-by", "class", "--force")
	if code != ExitOK {
		t.Fatalf("split with --force: exit %d: %s", code, stderr)
	}
	if got := onlyFiles(t, outDir); len(got) != len(groups) {
		t.Errorf("split with --force: %d files, want %d: %v", len(got), len(groups), got)
	}
	if b, _ := os.ReadFile(last); bytes.Equal(b, old) {
		t.Error("split with --force left the old file")
	}
}

// TestFormsUsage: flag mistakes exit 2 and write nothing.
func TestFormsUsage(t *testing.T) {
	dir := t.TempDir()
	csv := writeRoster(t, dir, rostertest.Generate(5, 1))
	out := filepath.Join(dir, "forms.pdf")
	tests := []struct {
		name   string
		school string
		form   string
		args   []string
		code   int
		stderr string
	}{
		{"no roster", "hevingham-marsham", "parent-agreement", []string{"--out", out}, ExitUsage, "--roster"},
		{"no out", "hevingham-marsham", "parent-agreement", []string{"--roster", csv}, ExitUsage, "--out"},
		{"bad split", "hevingham-marsham", "parent-agreement", []string{"--roster", csv, "--out", dir, "--split-by", "house"}, ExitUsage, "--split-by"},
		{"unknown form", "hevingham-marsham", "parent-agreemnt", []string{"--roster", csv, "--out", out}, ExitUsage, "parent-agreement"},
		{"unknown school", "hevingham", "parent-agreement", []string{"--roster", csv, "--out", out}, ExitInvalid, "hevingham"},
		{"missing roster file", "hevingham-marsham", "parent-agreement", []string{"--roster", filepath.Join(dir, "nope.csv"), "--out", out}, ExitInvalid, "nope.csv"},
		{"split out is a file", "hevingham-marsham", "parent-agreement", []string{"--roster", csv, "--out", csv, "--split-by", "class"}, ExitInvalid, "folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stderr := formsRun(t, tt.school, tt.form, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d (want %d), stderr lacks %q:\n%s", code, tt.code, tt.stderr, stderr)
			}
			if got := onlyFiles(t, dir); !slices.Equal(got, []string{"pupils.csv"}) {
				t.Errorf("folder holds %v", got)
			}
		})
	}
}

// TestFormsProgress: the bar shows counts, never names; it is off when
// standard error is not a terminal (as in every test) unless forced on.
func TestFormsProgress(t *testing.T) {
	dir := t.TempDir()
	csv := writeRoster(t, dir, rostertest.Generate(progressMin, 9))
	pupils := rostertest.GeneratePupils(progressMin, 9)
	for _, on := range []bool{false, true} {
		io, _, errOut := testIO()
		opts := &FormsOptions{IO: io, SchoolsDir: seedSchools, School: "robert-miles-infant", Form: "parent-agreement",
			Roster: csv, Out: filepath.Join(dir, "forms.pdf"), Force: true, AsOf: "2026-11-26"}
		if on {
			opts.Progress = &on
		}
		if err := runForms(t.Context(), opts); err != nil {
			t.Fatal(err)
		}
		stderr := errOut.String()
		noNames(t, stderr, pupils)
		hasBar := strings.Contains(stderr, fmt.Sprintf("/%d", progressMin))
		if hasBar != on {
			t.Errorf("progress bar shown: %v, want %v:\n%q", hasBar, on, stderr)
		}
		// The example is a draft: one warning says so, then the summary;
		// the generated roster has juniors, and Robert Miles is an infant
		// school: that warning is expected too.
		if !on && (strings.Count(stderr, "\n")-strings.Count(stderr, "warning: ") != 1 || !strings.Contains(stderr, "warning: robert-miles-infant: the online-safety policy is a draft")) {
			t.Errorf("not a terminal: want only the warnings and the summary line, got %q", stderr)
		}
	}
}

// TestBuiltFormsEveryFormat: `policypack build` writes each of the three
// forms as Markdown, HTML and PDF for both example schools, and a form's
// PDF carries a QR code to the school's website exactly when the config
// gives one (Hevingham and Marsham does, Robert Miles Infant School does
// not), with the address printed on the page.
func TestBuiltFormsEveryFormat(t *testing.T) {
	out := t.TempDir()
	io, _, errOut := testIO()
	if code := Main([]string{"build", "--schools", seedSchools, "--out", out, "--as-of", "2026-11-26", "-q"}, io); code != ExitOK {
		t.Fatalf("build: exit %d: %s", code, errOut)
	}
	website := map[string]string{"hevingham-marsham": "http://www.hevinghamprimary.co.uk", "robert-miles-infant": ""}
	for _, school := range []string{"hevingham-marsham", "robert-miles-infant"} {
		for _, form := range []string{"pupil-code-of-conduct", "staff-code-of-conduct", "parent-agreement"} {
			for _, ext := range []string{"md", "html", "pdf", "docx"} {
				path := filepath.Join(out, school, "forms", form+"."+ext)
				data, err := os.ReadFile(path)
				if err != nil {
					t.Errorf("%s/%s.%s: %v", school, form, ext, err)
					continue
				}
				if len(data) < 500 {
					t.Errorf("%s/%s.%s: only %d bytes", school, form, ext, len(data))
				}
				if ext != "pdf" {
					continue
				}
				// Both schools have a logo; the QR code is a second image.
				hasQR := bytes.Count(data, []byte("/Subtype /Image")) == 2
				if want := website[school] != ""; hasQR != want {
					t.Errorf("%s/%s.pdf: QR code %v, want %v", school, form, hasQR, want)
				}
				if url := website[school]; url != "" {
					if !bytes.Contains(data, []byte("/URI ("+url+")")) {
						t.Errorf("%s/%s.pdf: no link to %s", school, form, url)
					}
					text, err := exec.Command(testtool.Path(t, "pdftotext"), "-f", "1", "-l", "1", path, "-").Output()
					if err != nil {
						t.Fatal(err)
					}
					if !strings.Contains(string(text), url) {
						t.Errorf("%s/%s.pdf: page 1 does not print %s", school, form, url)
					}
				}
			}
		}
	}
}

// TestFormsNamesPrintAsWritten: a name is data, never markup: Markdown and
// HTML characters and the form dialect's own colon and underscores print as
// they are in the roster.
func TestFormsNamesPrintAsWritten(t *testing.T) {
	rows := [][3]string{
		{"Anne_Marie", "Smith*", "Anne_Marie Smith*"},
		{`"Jo: Ann"`, "<b>Lee</b>", "Jo: Ann <b>Lee</b>"},
		{"[Kai](http://x)", "Lee ___ Park", "[Kai](http://x) Lee ___ Park"},
		{"`Ed`", `\\Back`, "`Ed` \\\\Back"},
		{"Zoë", "#Hash", "Zoë #Hash"},
	}
	csv := "Forename,Surname,Year,Class\n"
	for _, r := range rows {
		csv += r[0] + "," + r[1] + ",3,3A\n"
	}
	dir := t.TempDir()
	path := writeRoster(t, dir, []byte(csv))
	out := filepath.Join(dir, "forms.pdf")
	if code, stderr := formsRun(t, "hevingham-marsham", "parent-agreement", "--roster", path, "--out", out); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got []string
	for i, text := range pageTexts(t, out) {
		got = append(got, readForm(t, i+1, text).name)
	}
	var wantNames []string
	for _, r := range rows {
		wantNames = append(wantNames, r[2])
	}
	slices.Sort(got)
	slices.Sort(wantNames)
	if !slices.Equal(got, wantNames) {
		t.Errorf("printed names %q, want %q", got, wantNames)
	}
}

// TestFormsInterrupted: an interrupted run (Ctrl-C cancels the context)
// writes nothing and leaves no temporary file.
func TestFormsInterrupted(t *testing.T) {
	dir := t.TempDir()
	csv := writeRoster(t, dir, rostertest.Generate(50, 2))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	io, _, _ := testIO()
	for _, split := range []string{"", "class"} {
		err := runForms(ctx, &FormsOptions{IO: io, SchoolsDir: seedSchools, School: "hevingham-marsham", Form: "parent-agreement",
			Roster: csv, Out: filepath.Join(dir, "out"), SplitBy: split, AsOf: "2026-11-26"})
		if err == nil || !strings.Contains(err.Error(), "interrupted") {
			t.Errorf("split %q: err = %v, want interrupted", split, err)
		}
		if got := onlyFiles(t, dir); !slices.Equal(got, []string{"pupils.csv"}) {
			t.Errorf("split %q: folder holds %v", split, got)
		}
	}
}

// docxForms returns the text of each pupil's section of a forms .docx:
// a line per paragraph or table row, cells joined by spaces.
func docxForms(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	body := docxBody(t, data)
	var texts []string
	for _, sec := range strings.Split(body, "</w:sectPr>") {
		end := strings.Index(sec, "<w:sectPr>")
		if end < 0 {
			break // after the last section
		}
		var b strings.Builder
		inText, inCell := false, 0
		for _, tok := range docxToken.FindAllString(sec[:end], -1) {
			switch {
			case tok == "<w:t>" || strings.HasPrefix(tok, "<w:t "):
				inText = true
			case tok == "</w:t>":
				inText = false
			case tok == "<w:tc>":
				inCell++
			case tok == "</w:tc>":
				inCell--
				b.WriteByte(' ')
			case tok == "</w:tr>":
				b.WriteByte('\n')
			case tok == "</w:p>" && inCell == 0:
				b.WriteByte('\n')
			case inText && !strings.HasPrefix(tok, "<"):
				b.WriteString(html.UnescapeString(tok))
			}
		}
		texts = append(texts, b.String())
	}
	return texts
}

var docxToken = regexp.MustCompile(`<[^>]*>|[^<]+`)

// TestFormsDOCX: --out FILE.docx writes one Word document with a section
// per pupil, in roster order, each starting on an odd page with --duplex,
// with the name, year and class in the right fields; messages name no
// pupil and count no pages (Word lays them out).
func TestFormsDOCX(t *testing.T) {
	dir := t.TempDir()
	csv := writeRoster(t, dir, rostertest.Generate(40, 7))
	out := filepath.Join(dir, "forms.docx")
	code, stderr := formsRun(t, "hevingham-marsham", "parent-agreement", "--roster", csv, "--out", out, "--duplex")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	pupils := rostertest.GeneratePupils(40, 7)
	noNames(t, stderr, pupils)
	if !strings.Contains(stderr, "wrote 40 form(s) to "+out) {
		t.Errorf("stderr: %s", stderr)
	}
	if got := onlyFiles(t, dir); !slices.Equal(got, []string{"forms.docx", "pupils.csv"}) {
		t.Errorf("folder holds %v: a temporary file was left", got)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("forms.docx: %v, mode %v; it holds pupil data and must be the owner's only", err, fi.Mode())
	}
	roster.Sort(pupils)
	texts := docxForms(t, out)
	if len(texts) != 40 {
		t.Fatalf("%d sections, want 40 (one per pupil)", len(texts))
	}
	for i, w := range want(pupils) {
		if got := readForm(t, i+1, texts[i]); got != w {
			t.Fatalf("section %d: %+v, want %+v", i+1, got, w)
		}
	}
	data, _ := os.ReadFile(out)
	if n := strings.Count(docxBody(t, data), `<w:type w:val="oddPage"/>`); n != 40 {
		t.Errorf("%d sections start on an odd page, want 40 with --duplex", n)
	}

	// --split-by class with --format docx: a .docx per class.
	split := filepath.Join(dir, "split")
	code, stderr = formsRun(t, "hevingham-marsham", "parent-agreement", "--roster", csv, "--out", split, "--split-by", "class", "--format", "docx")
	if code != ExitOK {
		t.Fatalf("split: exit %d: %s", code, stderr)
	}
	files := onlyFiles(t, split)
	total := 0
	for _, f := range files {
		if !strings.HasPrefix(f, "parent-agreement-") || !strings.HasSuffix(f, ".docx") {
			t.Errorf("split: unexpected file %s", f)
		}
		total += len(docxForms(t, filepath.Join(split, f)))
	}
	if total != 40 {
		t.Errorf("split: %d forms in %d files, want 40", total, len(files))
	}
	if code, stderr := formsRun(t, "hevingham-marsham", "parent-agreement", "--roster", csv, "--out", out, "--format", "odt"); code != ExitUsage || !strings.Contains(stderr, "use pdf or docx") {
		t.Errorf("--format odt: exit %d: %s", code, stderr)
	}
}
