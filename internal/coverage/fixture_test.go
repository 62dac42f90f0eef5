package coverage_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/coverage"
	"github.com/policypack/policypack/internal/policies"
	"github.com/policypack/policypack/internal/standards"
	"github.com/policypack/policypack/templates"
)

// fixtureFS is a small template tree: one source, one policy. Every
// requirement but t-orphan is met by some section, so the fixture isolates
// each way a requirement can become uncovered.
func fixtureFS() fstest.MapFS {
	return withSharedPartials(fstest.MapFS{
		"standards/t.toml": {Data: []byte(`
[source]
id = "t"
title = "Test guidance"
publisher = "Test"
url = "https://example.org/t"
in_force = 2026-09-01
version = "2026"
status = "statutory"

[[requirements]]
id = "t-alpha"
section = "One"
summary = "Alpha."

[[requirements]]
id = "t-beta"
section = "Two"
summary = "Beta."

[[requirements]]
id = "t-epsilon"
section = "Two"
summary = "Epsilon."

[[requirements]]
id = "t-web"
section = "Three"
summary = "Web."

[[requirements]]
id = "t-secondary"
section = "Four"
summary = "Secondary only."
key_stages = ["KS3", "KS4"]

[[requirements]]
id = "t-orphan"
section = "Five"
summary = "Met by nothing."
`)},
		"online-safety/policy.toml": {Data: []byte(`
id = "online-safety"
title = "Test Policy"

[[sections]]
id = "intro"
title = "Introduction"
level = 1
meets = ["t-alpha"]

[[sections]]
id = "fm"
title = "Filtering and monitoring"
level = 1
meets = ["t-beta"]

[[sections]]
id = "fm-roles"
title = "Who does what"
level = 2
meets = ["t-epsilon"]

[[sections]]
id = "web"
title = "Website"
level = 1
meets = ["t-web"]

[[sections]]
id = "ks3"
title = "Key Stage 3"
level = 1
meets = ["t-secondary"]
`)},
		"online-safety/sections/intro.md.tmpl":    {Data: []byte("Intro text.\n")},
		"online-safety/sections/fm.md.tmpl":       {Data: []byte("Filtering text.\n")},
		"online-safety/sections/fm-roles.md.tmpl": {Data: []byte("Roles text.\n")},
		"online-safety/sections/web.md.tmpl":      {Data: []byte("{{ if .School.Website }}See our website.{{ end }}\n")},
		"online-safety/sections/ks3.md.tmpl":      {Data: []byte(`{{ if has "KS3" .School.KeyStages }}KS3 text.{{ end }}` + "\n")},
	})
}

// withSharedPartials adds the built-in title blocks, which every policy
// uses, to a fixture that is not laid over the built-in templates.
func withSharedPartials(fsys fstest.MapFS) fstest.MapFS {
	for _, f := range []string{"partials/title-block.md.tmpl", "partials/form-title-block.md.tmpl"} {
		data, err := templates.FS.ReadFile(f)
		if err != nil {
			panic(err)
		}
		fsys[f] = &fstest.MapFile{Data: data}
	}
	return fsys
}

const fixtureSchool = `name = "Test Primary"
phase = "primary"
key_stages = ["KS1", "KS2"]
website = "https://www.test.example.sch.uk"
`

// buildFixture composes the fixture policy for one school whose config is
// school plus extra, and returns its report (or error) and the path
// of the school file.
func buildFixture(t *testing.T, school, extra string) (*coverage.Report, string, error) {
	t.Helper()
	fsys := fixtureFS()
	cat, err := policies.New(policies.Overlay{fsys}, "")
	if err != nil {
		t.Fatal(err)
	}
	std, err := coverage.Load(cat)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "test-primary.toml")
	if err := os.WriteFile(file, []byte(school+extra), 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := config.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	comp, err := compose.New(cat, config.NewDate(2026, 11, 26))
	if err != nil {
		t.Fatal(err)
	}
	s := set.Schools[0]
	outs, err := comp.School(s)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := coverage.Build(std, s, outs)
	return rep, file, err
}

// lineOf is the 1-based line of the first line of the school file containing
// want.
func lineOf(t *testing.T, file, want string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, want) {
			return i + 1
		}
	}
	t.Fatalf("%s: no line contains %q", file, want)
	return 0
}

func TestBuildReasons(t *testing.T) {
	type why struct {
		kind, section, lineOf string // lineOf: text of the config line the reason points at ("" for none)
		msg                   string // substring of the message
	}
	tests := []struct {
		name      string
		extra     string
		noWebsite bool
		uncovered map[string][]why
		coveredBy map[string][]string // requirement -> section ids
	}{
		{
			name: "shared text",
			uncovered: map[string][]why{
				"t-orphan": {{kind: coverage.ReasonNoSection, msg: "no section of the Test Policy meets it"}},
			},
			coveredBy: map[string][]string{"t-alpha": {"intro"}, "t-beta": {"fm"}, "t-epsilon": {"fm-roles"}, "t-web": {"web"}},
		},
		{
			name:  "omitting a section loses it and its subsections",
			extra: "\n[policies.online-safety.sections.fm]\nomit = true\n",
			uncovered: map[string][]why{
				"t-beta":    {{kind: coverage.ReasonOmitted, section: "fm", lineOf: "omit = true", msg: "the school omitted section “Filtering and monitoring” [fm] ("}},
				"t-epsilon": {{kind: coverage.ReasonOmittedParent, section: "fm-roles", lineOf: "omit = true", msg: "which contains section “Who does what” [fm-roles]"}},
				"t-orphan":  {{kind: coverage.ReasonNoSection}},
			},
			coveredBy: map[string][]string{"t-alpha": {"intro"}, "t-web": {"web"}},
		},
		{
			name:  "a replacement that declares nothing",
			extra: "\n[policies.online-safety.sections.fm-roles]\nreplace = \"Our own roles.\"\n",
			uncovered: map[string][]why{
				"t-epsilon": {{kind: coverage.ReasonReplaced, section: "fm-roles", lineOf: "replace =", msg: `declares no coverage (add meets = ["t-epsilon"] to its override at `}},
				"t-orphan":  {{kind: coverage.ReasonNoSection}},
			},
			coveredBy: map[string][]string{"t-beta": {"fm"}},
		},
		{
			name:  "a replacement that declares its coverage keeps it",
			extra: "\n[policies.online-safety.sections.fm-roles]\nreplace = \"Our own roles.\"\nmeets = [\"t-epsilon\"]\n",
			uncovered: map[string][]why{
				"t-orphan": {{kind: coverage.ReasonNoSection}},
			},
			coveredBy: map[string][]string{"t-epsilon": {"fm-roles"}},
		},
		{
			name:  "a replacement that declares other coverage",
			extra: "\n[policies.online-safety.sections.fm-roles]\nreplace = \"Our own roles.\"\nmeets = [\"t-beta\"]\n",
			uncovered: map[string][]why{
				"t-epsilon": {{kind: coverage.ReasonReplaced, section: "fm-roles", lineOf: "replace =", msg: `whose meets does not list it (add "t-epsilon" to meets at `}},
				"t-orphan":  {{kind: coverage.ReasonNoSection}},
			},
			coveredBy: map[string][]string{"t-beta": {"fm", "fm-roles"}},
		},
		{
			name:      "a section that renders nothing for the school",
			noWebsite: true,
			uncovered: map[string][]why{
				"t-web":    {{kind: coverage.ReasonEmpty, section: "web", msg: "section “Website” [web] renders nothing for this school"}},
				"t-orphan": {{kind: coverage.ReasonNoSection}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			school := fixtureSchool
			if tt.noWebsite {
				school = strings.Replace(school, "website = \"https://www.test.example.sch.uk\"\n", "", 1)
			}
			rep, file, err := buildFixture(t, school, tt.extra)
			if err != nil {
				t.Fatal(err)
			}
			// t-secondary applies to KS3/KS4 only: never in a primary's report.
			for _, row := range rep.Requirements {
				if row.ID == "t-secondary" {
					t.Errorf("t-secondary is in a KS1-KS2 school's report")
				}
			}
			if rep.Summary.Applicable != 5 || rep.Summary.Covered+rep.Summary.Uncovered != 5 {
				t.Errorf("summary = %+v, want 5 applicable", rep.Summary)
			}
			var gotUncovered []string
			for _, row := range rep.Uncovered() {
				gotUncovered = append(gotUncovered, row.ID)
			}
			var wantUncovered []string
			for id := range tt.uncovered {
				wantUncovered = append(wantUncovered, id)
			}
			slices.Sort(gotUncovered)
			slices.Sort(wantUncovered)
			if !slices.Equal(gotUncovered, wantUncovered) {
				t.Fatalf("uncovered = %v, want %v", gotUncovered, wantUncovered)
			}
			if rep.Summary.Uncovered != len(wantUncovered) {
				t.Errorf("summary.uncovered = %d, want %d", rep.Summary.Uncovered, len(wantUncovered))
			}
			for _, row := range rep.Requirements {
				if want, ok := tt.coveredBy[row.ID]; ok {
					var got []string
					for _, s := range row.CoveredBy {
						got = append(got, s.ID)
					}
					if !slices.Equal(got, want) {
						t.Errorf("%s covered by %v, want %v", row.ID, got, want)
					}
				}
				wants, ok := tt.uncovered[row.ID]
				if !ok {
					continue
				}
				if len(row.Reasons) != len(wants) {
					t.Fatalf("%s: reasons %+v, want %d", row.ID, row.Reasons, len(wants))
				}
				for i, w := range wants {
					r := row.Reasons[i]
					if r.Kind != w.kind {
						t.Errorf("%s: reason kind %q, want %q", row.ID, r.Kind, w.kind)
					}
					if w.section != "" && (r.Section == nil || r.Section.ID != w.section) {
						t.Errorf("%s: reason section %+v, want %s", row.ID, r.Section, w.section)
					}
					if w.lineOf != "" {
						if want := lineOf(t, file, w.lineOf); r.File != file || r.Line != want {
							t.Errorf("%s: reason at %s:%d, want %s:%d", row.ID, r.File, r.Line, file, want)
						}
						if !strings.Contains(r.Message, file+":") {
							t.Errorf("%s: message %q does not name %s:line", row.ID, r.Message, file)
						}
					}
					if !strings.Contains(r.Message, w.msg) {
						t.Errorf("%s: message %q lacks %q", row.ID, r.Message, w.msg)
					}
				}
			}
		})
	}
}

func TestBuildSchoolMeetsErrors(t *testing.T) {
	tests := []struct {
		name  string
		extra string
		want  []string // substrings of the error
		line  string   // config line the error points at
	}{
		{
			name:  "unknown id in a replacement",
			extra: "\n[policies.online-safety.sections.fm]\nreplace = \"Ours.\"\nmeets = [\"t-bta\"]\n",
			want:  []string{`policies.online-safety.sections.fm.meets: "t-bta" is not a requirement in the catalogue`, `did you mean "t-beta"?`},
			line:  "meets =",
		},
		{
			name:  "meets without replace",
			extra: "\n[policies.online-safety.sections.fm]\nappend = \"More.\"\nmeets = [\"t-beta\"]\n",
			want:  []string{"policies.online-safety.sections.fm.meets: meets applies only to a replaced section"},
			line:  "meets =",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, file, err := buildFixture(t, fixtureSchool, tt.extra)
			if err == nil {
				t.Fatal("no error")
			}
			var ce config.Errors
			if !errors.As(err, &ce) || len(ce) != 1 {
				t.Fatalf("error %v is not one config.Error", err)
			}
			if want := lineOf(t, file, tt.line); ce[0].File != file || ce[0].Line != want {
				t.Errorf("error at %s:%d, want %s:%d", ce[0].File, ce[0].Line, file, want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestCheckIntegrity(t *testing.T) {
	tests := []struct {
		name    string
		policy  string // replaces pol/policy.toml's sections
		want    []string
		loadErr bool // coverage.Load fails (unknown or duplicate ids); unmet alone does not
	}{
		{
			name: "fixture: only the orphan is unmet",
			want: []string{`standards/t.toml:38: requirement "t-orphan": no policy section meets it` +
				"\n\thint: add it to the meets list of the section that addresses it, or write that section"},
		},
		{
			name: "unknown and duplicate ids",
			policy: `
[[sections]]
id = "intro"
title = "Introduction"
level = 1
meets = ["t-alpha", "t-alpah", "t-beta", "t-epsilon", "t-web", "t-secondary", "t-orphan", "t-beta"]
`,
			want: []string{
				`online-safety/policy.toml: section "intro": meets: "t-alpah" is not a requirement in the catalogue` + "\n\thint: did you mean \"t-alpha\"?",
				`online-safety/policy.toml: section "intro": meets: "t-beta" is listed twice`,
			},
			loadErr: true,
		},
		{
			name: "an id from another source",
			policy: `
[[sections]]
id = "intro"
title = "Introduction"
level = 1
meets = ["t-alpha", "t-beta", "t-epsilon", "t-web", "t-secondary", "t-orphan", "kcsie-filtering-monitoring"]
`,
			want:    []string{`online-safety/policy.toml: section "intro": meets: "kcsie-filtering-monitoring" is not a requirement in the catalogue` + "\n\thint: the ids are listed in templates/standards/*.toml"},
			loadErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fixtureFS()
			if tt.policy != "" {
				fsys["online-safety/policy.toml"] = &fstest.MapFile{Data: []byte("id = \"online-safety\"\ntitle = \"Test Policy\"\n" + tt.policy)}
			}
			cat, err := policies.New(policies.Overlay{fsys}, "")
			if err != nil {
				t.Fatal(err)
			}
			std, err := standards.Load(fsys)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range coverage.Check(std, cat.Policies, nil) {
				got = append(got, p.Error())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			_, err = coverage.Load(cat)
			if (err != nil) != tt.loadErr {
				t.Errorf("Load error = %v, want error %v", err, tt.loadErr)
			}
		})
	}
}
