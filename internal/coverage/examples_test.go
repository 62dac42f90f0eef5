package coverage_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/coverage"
	"github.com/policypack/policypack/internal/policies"
	"github.com/policypack/policypack/internal/standards"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The example schools and the built-in policy's filtering and monitoring
// section, as named in templates/online-safety/policy.toml.
var exampleSchools = []string{"hevingham-marsham", "robert-miles-infant"}

const (
	policyID         = "online-safety"
	filteringSection = "filtering-and-monitoring"
)

// prepared is the built-in catalogue and the composed documents of the
// schools in a folder, as `policypack build` prepares them.
type prepared struct {
	std     *standards.Catalogue
	cat     *policies.Set
	schools map[string]*config.School
	docs    map[string][]compose.Output
}

// prepare loads schoolsDir (relative to the repository root, where the test
// runs) with the built-in templates.
func prepare(t *testing.T, schoolsDir string, ids ...string) *prepared {
	t.Helper()
	return prepareWith(t, "", schoolsDir, ids...)
}

// prepareWith is prepare with a trust's templates folder over the built-ins.
func prepareWith(t *testing.T, templatesDir, schoolsDir string, ids ...string) *prepared {
	t.Helper()
	cat, err := policies.Open(templatesDir)
	if err != nil {
		t.Fatal(err)
	}
	set, err := config.LoadPolicies(schoolsDir, cat.Facts(), ids...)
	if err != nil {
		t.Fatal(err)
	}
	std, err := coverage.Load(cat)
	if err != nil {
		t.Fatal(err)
	}
	comp, err := compose.New(cat, config.NewDate(2026, 11, 26))
	if err != nil {
		t.Fatal(err)
	}
	p := &prepared{std: std, cat: cat, schools: map[string]*config.School{}, docs: map[string][]compose.Output{}}
	for _, s := range set.Schools {
		outs, err := comp.School(s)
		if err != nil {
			t.Fatal(err)
		}
		p.schools[s.ID] = s
		p.docs[s.ID] = outs
	}
	return p
}

func (p *prepared) report(t *testing.T, id string) *coverage.Report {
	t.Helper()
	rep, err := coverage.Build(p.std, p.schools[id], p.docs[id])
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// inRepo runs the test from the repository root, so paths in reports read
// "schools/x.toml" as they do for a user.
func inRepo(t *testing.T) {
	t.Chdir("../..")
}

// TestBuiltinIntegrity: every id the built-in policy cites is in the
// catalogue, and every requirement is met by some built-in section.
func TestBuiltinIntegrity(t *testing.T) {
	inRepo(t)
	cat, err := policies.Open("")
	if err != nil {
		t.Fatal(err)
	}
	std, err := standards.Load(cat.FS)
	if err != nil {
		t.Fatal(err)
	}
	var unmet []string
	for _, p := range coverage.Check(std, cat.Policies, cat.Name) {
		t.Error(p)
		if p.Kind == coverage.ProblemUnmet {
			unmet = append(unmet, p.Requirement)
		}
	}
	if len(unmet) > 0 {
		t.Logf("requirements no built-in section meets: %s", strings.Join(unmet, " "))
	}
}

// TestExampleSchoolsFullyCovered: both example schools, with the built-in
// text and their own facts, cover every requirement that applies to them.
func TestExampleSchoolsFullyCovered(t *testing.T) {
	inRepo(t)
	p := prepare(t, "schools", exampleSchools...)
	for _, id := range exampleSchools {
		t.Run(id, func(t *testing.T) {
			rep := p.report(t, id)
			if rep.Summary.Applicable < 40 {
				t.Errorf("only %d requirements apply; the catalogue has %d", rep.Summary.Applicable, len(p.std.Requirements))
			}
			for _, row := range rep.Uncovered() {
				t.Errorf("%s uncovered: %s", row.ID, row.Reasons[0].Message)
			}
		})
	}
}

// TestPhaseFiltering: a KS1-only infant school's report has the primary RSHE
// items and none of the secondary ones.
func TestPhaseFiltering(t *testing.T) {
	inRepo(t)
	p := prepare(t, "schools", "robert-miles-infant")
	rep := p.report(t, "robert-miles-infant")
	var ids []string
	for _, row := range rep.Requirements {
		ids = append(ids, row.ID)
	}
	if !slices.Contains(ids, "rshe-primary-online-relationships") {
		t.Errorf("primary RSHE item missing from an infant school's report")
	}
	// Age limits, gambling and privacy settings are Key Stage 2 content.
	if slices.Contains(ids, "rshe-primary-privacy") || slices.Contains(ids, "rshe-primary-age-limits-gaming") {
		t.Errorf("Key Stage 2 RSHE item in an infant school's report")
	}
	for _, id := range ids {
		if strings.HasPrefix(id, "rshe-secondary-") {
			t.Errorf("secondary RSHE item %s in an infant school's report", id)
		}
	}
}

// copySchools copies the schools folder to a temporary one and appends extra
// to school id's file; it returns the folder and the school file's path and
// its line count before the append.
func copySchools(t *testing.T, id, extra string) (dir, file string, before int) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "schools")
	if err := os.CopyFS(dir, os.DirFS("schools")); err != nil {
		t.Fatal(err)
	}
	file = filepath.Join(dir, id+".toml")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(data, []byte("\n")) {
		data = append(data, '\n')
	}
	before = bytes.Count(data, []byte("\n"))
	if err := os.WriteFile(file, append(data, extra...), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, file, before
}

// subtreeOnly lists, in catalogue order, the requirements applicable to the
// school that only sections inside section root (and its subsections) meet
// in the school's baseline build. Computed from the composer's output, not
// from package coverage, so the test checks the report against the policy.
func subtreeOnly(t *testing.T, p *prepared, id, root string) []string {
	t.Helper()
	var out compose.Output
	for _, o := range p.docs[id] {
		if o.Kind == "policy" && o.ID == policyID {
			out = o
		}
	}
	pol := out.Policy
	inside := map[string]bool{}
	for i, sec := range pol.Sections {
		if sec.ID != root {
			continue
		}
		inside[sec.ID] = true
		for j := i + 1; j < len(pol.Sections) && pol.Sections[j].Level > sec.Level; j++ {
			inside[pol.Sections[j].ID] = true
		}
	}
	if len(inside) == 0 {
		t.Fatalf("no section %q in the %s policy", root, policyID)
	}
	metIn, metOut := map[string]bool{}, map[string]bool{}
	for _, b := range out.Sections {
		for _, r := range b.Meets {
			if inside[b.ID] {
				metIn[r] = true
			} else {
				metOut[r] = true
			}
		}
	}
	s := p.schools[id]
	var ids []string
	for _, r := range p.std.Applicable(s.Phase, s.KeyStages) {
		if metIn[r.ID] && !metOut[r.ID] {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// TestOmitFilteringSection: omitting the filtering and monitoring section
// makes exactly the requirements only it meets uncovered, each with the
// reason and the config line, in text, JSON and HTML.
func TestOmitFilteringSection(t *testing.T) {
	inRepo(t)
	const school = "robert-miles-infant"
	want := subtreeOnly(t, prepare(t, "schools", school), school, filteringSection)
	// The section is the one place the filtering and monitoring standards
	// are met; if these move elsewhere the test no longer tests omission.
	for _, id := range []string{"fm-named-leads", "fm-filtering", "fm-monitoring", "fm-yearly-review"} {
		if !slices.Contains(want, id) {
			t.Fatalf("%s is not met only by the %s section; expected set %v", id, filteringSection, want)
		}
	}

	dir, file, before := copySchools(t, school,
		"\n[policies.online-safety.sections."+filteringSection+"]\nomit = true\n")
	omitLine := before + 3 // blank line, table header, omit
	p := prepare(t, dir, school)
	rep := p.report(t, school)

	var got []string
	for _, row := range rep.Uncovered() {
		got = append(got, row.ID)
		if len(row.Reasons) == 0 {
			t.Errorf("%s: no reason", row.ID)
			continue
		}
		for _, r := range row.Reasons {
			if (r.Kind != coverage.ReasonOmitted && r.Kind != coverage.ReasonOmittedParent) || r.File != file || r.Line != omitLine {
				t.Errorf("%s: reason %+v, want omitted at %s:%d", row.ID, r, file, omitLine)
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("uncovered:\n  %v\nwant:\n  %v", got, want)
	}
	if rep.Summary.Uncovered != len(want) {
		t.Errorf("summary.uncovered = %d, want %d", rep.Summary.Uncovered, len(want))
	}

	// Narrowed to the policy, the report has the same uncovered rows, and
	// only requirements the policy's sections declare.
	t.Run("for policy", func(t *testing.T) {
		pol := p.cat.Policy("online-safety")
		nr, ok := rep.ForPolicy(pol)
		if !ok {
			t.Fatal("the school has the policy")
		}
		var gotNarrowed []string
		for _, row := range nr.Uncovered() {
			gotNarrowed = append(gotNarrowed, row.ID)
		}
		if !slices.Equal(gotNarrowed, want) || nr.Summary.Uncovered != len(want) || nr.Summary.Applicable != len(nr.Requirements) {
			t.Errorf("narrowed uncovered %v (summary %+v), want %v", gotNarrowed, nr.Summary, want)
		}
		for _, row := range nr.Requirements {
			if !slices.ContainsFunc(pol.Sections, func(s policies.Section) bool { return slices.Contains(s.Meets, row.ID) }) {
				t.Errorf("%s is in the narrowed report but no section of the policy declares it", row.ID)
			}
		}
		if _, ok := rep.ForPolicy(&policies.Policy{ID: "visitors"}); ok {
			t.Error("ForPolicy of a policy the school does not have reported ok")
		}
	})

	t.Run("text", func(t *testing.T) {
		text := string(coverage.Text(rep))
		re := regexp.MustCompile(`(?m)^  UNCOVERED  (\S+)`)
		var ids []string
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			ids = append(ids, m[1])
		}
		if !slices.Equal(ids, want) {
			t.Errorf("text lists uncovered %v, want %v\n%s", ids, want, text)
		}
		omitted := "the school omitted section “Filtering and monitoring” [" + filteringSection + "]"
		if n := strings.Count(text, omitted); n == 0 {
			t.Errorf("text does not say %q\n%s", omitted, text)
		}
		if !strings.Contains(text, file+":"+strconv.Itoa(omitLine)) {
			t.Errorf("text does not point at %s:%d", file, omitLine)
		}
	})
	t.Run("json", func(t *testing.T) {
		data, err := coverage.JSON(rep)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Summary      struct{ Uncovered int }
			Requirements []struct {
				ID      string
				Status  string
				Reasons []struct {
					Kind string
					File string
					Line int
				}
			}
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range doc.Requirements {
			if r.Status == "uncovered" {
				ids = append(ids, r.ID)
				if len(r.Reasons) == 0 || r.Reasons[0].Line != omitLine || !strings.HasPrefix(r.Reasons[0].Kind, "omitted") {
					t.Errorf("%s: JSON reasons %+v", r.ID, r.Reasons)
				}
			}
		}
		if !slices.Equal(ids, want) || doc.Summary.Uncovered != len(want) {
			t.Errorf("JSON uncovered %v (summary %d), want %v", ids, doc.Summary.Uncovered, want)
		}
	})
	t.Run("html", func(t *testing.T) {
		page := string(coverage.HTML(rep))
		re := regexp.MustCompile(`<tr id="req-([a-z0-9-]+)" class="uncovered">`)
		var ids []string
		for _, m := range re.FindAllStringSubmatch(page, -1) {
			ids = append(ids, m[1])
		}
		if !slices.Equal(ids, want) {
			t.Errorf("HTML marks uncovered %v, want %v", ids, want)
		}
		if n := strings.Count(page, `class="covered"`); n != rep.Summary.Covered {
			t.Errorf("HTML has %d covered rows, want %d", n, rep.Summary.Covered)
		}
		if !strings.Contains(page, "the school omitted section “Filtering and monitoring” ["+filteringSection+"] ("+file+":"+strconv.Itoa(omitLine)+")") {
			t.Errorf("HTML does not give the reason with its config line")
		}
		for _, bad := range []string{"<script", "<link", `src="http`, "@import"} {
			if strings.Contains(page, bad) {
				t.Errorf("HTML page is not standalone: contains %q", bad)
			}
		}
	})
}

// TestReplacementDeclaresCoverage: a school that writes its own filtering and
// monitoring section (replacing the heading section, omitting the built-in
// subsections) keeps coverage only when its replacement declares it.
func TestReplacementDeclaresCoverage(t *testing.T) {
	inRepo(t)
	const school = "hevingham-marsham"
	base := prepare(t, "schools", school)
	lost := subtreeOnly(t, base, school, filteringSection)
	pol := base.cat.Policy(policyID)
	var subs []string
	for i, sec := range pol.Sections {
		if sec.ID == filteringSection {
			for j := i + 1; j < len(pol.Sections) && pol.Sections[j].Level > sec.Level; j++ {
				subs = append(subs, pol.Sections[j].ID)
			}
		}
	}
	override := func(meets []string) string {
		var b strings.Builder
		b.WriteString("\n[policies.online-safety.sections." + filteringSection + "]\n")
		b.WriteString("replace = \"\"\"\nOur trust's own filtering and monitoring arrangements are set out here.\n\"\"\"\n")
		if meets != nil {
			q, _ := json.Marshal(meets)
			b.WriteString("meets = " + string(q) + "\n")
		}
		for _, s := range subs {
			b.WriteString("\n[policies.online-safety.sections." + s + "]\nomit = true\n")
		}
		return b.String()
	}

	t.Run("without meets", func(t *testing.T) {
		dir, _, _ := copySchools(t, school, override(nil))
		p := prepare(t, dir, school)
		rep := p.report(t, school)
		var got []string
		for _, row := range rep.Uncovered() {
			got = append(got, row.ID)
			kinds := map[string]bool{}
			for _, r := range row.Reasons {
				kinds[r.Kind] = true
			}
			// A requirement the heading section itself declared is lost to
			// the replacement; one a subsection declared, to the omission.
			if !kinds[coverage.ReasonReplaced] && !kinds[coverage.ReasonOmitted] {
				t.Errorf("%s: reasons %+v", row.ID, row.Reasons)
			}
		}
		if !slices.Equal(got, lost) {
			t.Errorf("uncovered %v, want %v", got, lost)
		}
	})
	t.Run("with meets", func(t *testing.T) {
		dir, _, _ := copySchools(t, school, override(lost))
		p := prepare(t, dir, school)
		rep := p.report(t, school)
		for _, row := range rep.Uncovered() {
			t.Errorf("%s uncovered: %s", row.ID, row.Reasons[0].Message)
		}
		for _, row := range rep.Requirements {
			if slices.Contains(lost, row.ID) && (len(row.CoveredBy) != 1 || row.CoveredBy[0].ID != filteringSection) {
				t.Errorf("%s covered by %+v, want the replaced %s section alone", row.ID, row.CoveredBy, filteringSection)
			}
		}
	})
}

// TestGoldenJSON pins one school's whole report; run with -update after a
// deliberate change to the policy, the catalogue or the school.
func TestGoldenJSON(t *testing.T) {
	inRepo(t)
	const school = "robert-miles-infant"
	p := prepare(t, "schools", school)
	got, err := coverage.JSON(p.report(t, school))
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("internal", "coverage", "testdata", school+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/coverage -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the report; if the change is intended, run go test ./internal/coverage -update\n%s", golden, firstDiff(string(got), string(want)))
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n  got:  " + gl + "\n  want: " + wl
		}
	}
	return ""
}

// TestHTMLPage: the page the build writes is deterministic and titled for
// the school.
func TestHTMLPage(t *testing.T) {
	inRepo(t)
	const school = "hevingham-marsham"
	p := prepare(t, "schools", school)
	a, b := coverage.HTML(p.report(t, school)), coverage.HTML(p.report(t, school))
	if !bytes.Equal(a, b) {
		t.Error("HTML(Build(...)) differs from run to run")
	}
	if !bytes.Contains(a, []byte("<title>Statutory coverage – Hevingham and Marsham")) {
		t.Errorf("page title missing:\n%.400s", a)
	}
}

// TestTrustCatalogue: a trust's standards/*.toml adds requirements; one no
// section meets is reported uncovered (not an error), and a school's
// replacement section can declare it.
func TestTrustCatalogue(t *testing.T) {
	inRepo(t)
	const school = "robert-miles-infant"
	templates := t.TempDir()
	if err := os.MkdirAll(filepath.Join(templates, "standards"), 0o755); err != nil {
		t.Fatal(err)
	}
	trust := `[source]
id = "tilt"
title = "TILT safeguarding standard"
publisher = "TILT"
url = "https://www.example.org/tilt-safeguarding"
in_force = 2026-09-01
version = "2026"
status = "standard"

[[requirements]]
id = "tilt-termly-dsl-report"
section = "Reporting to the trust"
summary = "The DSL reports online safety incidents to the trust board every term."
`
	if err := os.WriteFile(filepath.Join(templates, "standards", "tilt.toml"), []byte(trust), 0o644); err != nil {
		t.Fatal(err)
	}

	p := prepareWith(t, templates, "schools", school)
	rep := p.report(t, school)
	un := rep.Uncovered()
	if len(un) != 1 || un[0].ID != "tilt-termly-dsl-report" || un[0].Reasons[0].Kind != coverage.ReasonNoSection {
		t.Fatalf("uncovered = %+v, want only tilt-termly-dsl-report with no section", un)
	}
	if last := rep.Sources[len(rep.Sources)-1]; last.ID != "tilt" {
		t.Errorf("trust source is not listed last: %+v", last)
	}

	dir, _, _ := copySchools(t, school, `
[policies.online-safety.sections.roles-dsl]
replace = "Our DSL leads on online safety, knows our filtering and monitoring, and reports incidents to the trust board each term."
meets = ["kcsie-dsl-online-lead", "tilt-termly-dsl-report"]
`)
	p = prepareWith(t, templates, dir, school)
	rep = p.report(t, school)
	for _, row := range rep.Uncovered() {
		t.Errorf("%s uncovered: %s", row.ID, row.Reasons[0].Message)
	}
}
