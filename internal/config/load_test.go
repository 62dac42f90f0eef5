package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const minimal = `name = "Test School"
phase = "primary"
key_stages = ["KS1", "KS2"]
`

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "schools")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // each must appear in the error text, in order of the lines given
	}{
		{
			name:  "unknown key with did-you-mean",
			files: map[string]string{"a.toml": minimal + "websit = \"https://x.sch.uk\"\n"},
			want:  []string{"a.toml:4: websit: unknown key", `did you mean "website"?`},
		},
		{
			name:  "key in the wrong table",
			files: map[string]string{"a.toml": minimal + "headteacher = \"Ms X\"\n"},
			want:  []string{"a.toml:4: headteacher: unknown key", "roles.headteacher or people.headteacher"},
		},
		{
			name:  "unknown key inside a table",
			files: map[string]string{"a.toml": minimal + "\n[roles]\ndls = \"DSL\"\n"},
			want:  []string{"a.toml:6: roles.dls: unknown key", `did you mean "roles.dsl"?`},
		},
		{
			// ucfirst of "" printed U+FFFD in the contacts table and check passed.
			name:  "empty role title",
			files: map[string]string{"a.toml": minimal + "\n[roles]\ndeputy_dsl = \"\"\nchair = \"  \"\n"},
			want: []string{"a.toml:6: roles.deputy_dsl: must not be empty", `write it, e.g. deputy_dsl = "deputy DSL"`,
				"a.toml:7: roles.chair: must not be empty", "remove the line to keep the default"},
		},
		{
			name:  "empty role title in the defaults file",
			files: map[string]string{"a.toml": minimal, "_defaults.toml": "roles = { dsl_short = \"\" }\n"},
			want:  []string{"_defaults.toml:1: roles.dsl_short: must not be empty"},
		},
		{
			name:  "wrong type",
			files: map[string]string{"a.toml": minimal + "\n[parents]\nyearly_session = \"yes\"\n"},
			want:  []string{"a.toml:6: parents.yearly_session: must be true or false", "without quotes"},
		},
		{
			name:  "string where a list is expected",
			files: map[string]string{"a.toml": "name = \"X\"\nphase = \"infant\"\nkey_stages = \"KS1\"\n"},
			want:  []string{"a.toml:3: key_stages: must be an array of strings"},
		},
		{
			name:  "enum with suggestion",
			files: map[string]string{"a.toml": "name = \"X\"\nphase = \"primry\"\nkey_stages = [\"KS1\"]\n"},
			want:  []string{"a.toml:2: phase: \"primry\" is not one of the allowed values", `did you mean "primary"?`},
		},
		{
			name:  "missing required value",
			files: map[string]string{"a.toml": "name = \"X\"\nkey_stages = [\"KS1\"]\n"},
			want:  []string{"a.toml: phase: missing required value", "add phase = "},
		},
		{
			name:  "impossible date is a TOML error with its line",
			files: map[string]string{"a.toml": minimal + "\n[policies.online-safety]\napproved_on = 2024-02-30\n"},
			want:  []string{"a.toml:6:", "invalid TOML", "YYYY-MM-DD"},
		},
		{
			name:  "date in quotes",
			files: map[string]string{"a.toml": minimal + "\n[policies.online-safety]\napproved_on = \"2024-05-24\"\n"},
			want:  []string{"a.toml:6: policies.online-safety.approved_on: must be a date", "without quotes"},
		},
		{
			name:  "date with a time",
			files: map[string]string{"a.toml": minimal + "\n[policies.online-safety]\napproved_on = 2024-05-24T10:00:00Z\n"},
			want:  []string{"a.toml:6: policies.online-safety.approved_on: must be a date without a time"},
		},
		{
			name:  "next review before approval",
			files: map[string]string{"a.toml": minimal + "\n[policies.online-safety]\napproved_on = 2024-05-24\nnext_review = 2024-01-01\n"},
			want:  []string{"a.toml:7: policies.online-safety.next_review: next review (1 January 2024) must be after approval (24 May 2024)"},
		},
		{
			name: "history entry missing summary",
			files: map[string]string{"a.toml": minimal + `
[[policies.online-safety.history]]
version = "1.0"
date = 2023-05-01
summary = "First"

[[policies.online-safety.history]]
version = "1.1"
date = 2024-05-01
`},
			want: []string{"a.toml:10: policies.online-safety.history[1].summary: missing required value"},
		},
		{
			name:  "bad school id",
			files: map[string]string{"Bad_Name.toml": minimal},
			want:  []string{"Bad_Name.toml: \"Bad_Name\" is not a valid school id"},
		},
		{
			name:  "unknown organisation file",
			files: map[string]string{"_tilt.toml": "[organisation]\nname = \"TILT\"\n", "a.toml": "extends = \"_tlit\"\n" + minimal},
			want:  []string{"a.toml:1: extends: organisation defaults \"_tlit\" not found", `did you mean "_tilt"?`},
		},
		{
			// One message, and a hint that names the file that exists or should.
			name:  "organisation without its underscore",
			files: map[string]string{"a.toml": "extends = \"oaktrust\"\n" + minimal},
			want:  []string{"a.toml:1: extends: \"oaktrust\" is not an organisation file's name: those start with _", "_oaktrust.toml and write extends = \"_oaktrust\""},
		},
		{
			name:  "organisation without its underscore, file present",
			files: map[string]string{"_oaktrust.toml": "", "a.toml": "extends = \"oaktrust\"\n" + minimal},
			want:  []string{"a.toml:1: extends: \"oaktrust\" is not an organisation", `did you mean "_oaktrust"?`},
		},
		{
			name:  "extends _defaults",
			files: map[string]string{"_defaults.toml": "", "a.toml": "extends = \"_defaults\"\n" + minimal},
			want:  []string{"a.toml:1: extends: _defaults.toml applies to every school already"},
		},
		{
			name:  "unknown helpline",
			files: map[string]string{"a.toml": minimal + "helplines = [\"ceopp\"]\n[agencies.ceop]\nname = \"CEOP\"\nurl = \"https://www.ceop.police.uk/\"\n"},
			want:  []string{"a.toml:4: helplines[0]: unknown agency \"ceopp\"", `did you mean "ceop"?`},
		},
		{
			name:  "top-level key written under a table",
			files: map[string]string{"a.toml": minimal + "\n[ai]\nwebsite = \"https://x.sch.uk\"\n"},
			want:  []string{"a.toml:6: ai.website: unknown key", "website is a top-level key: move it above the first [table] header"},
		},
		{
			name:  "top-level key written under a map table",
			files: map[string]string{"a.toml": minimal + "\n[policies]\nextends = \"_tilt\"\n"},
			want:  []string{"a.toml:6: policies.extends: unknown key", "extends is a top-level key"},
		},
		{
			name:  "review period out of range",
			files: map[string]string{"a.toml": minimal + "\n[policies.online-safety]\nreview_months = 9223372036854775807\n"},
			want:  []string{"a.toml:6: policies.online-safety.review_months: 9223372036854775807 is too large: the most is 120"},
		},
		{
			name:  "syntax error",
			files: map[string]string{"a.toml": minimal + "name = \n"},
			want:  []string{"a.toml:4:", "invalid TOML"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			_, err := Load(dir)
			if err == nil {
				t.Fatal("Load succeeded; want an error")
			}
			got := err.Error()
			for _, w := range tt.want {
				w = strings.ReplaceAll(w, "a.toml", filepath.Join(dir, "a.toml"))
				w = strings.ReplaceAll(w, "Bad_Name.toml", filepath.Join(dir, "Bad_Name.toml"))
				if !strings.Contains(got, w) {
					t.Errorf("error does not contain %q:\n%s", w, got)
				}
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Errorf("error is %T, want config.Errors", err)
			}
		})
	}
}

func TestLoadReportsEveryError(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.toml": "name = \"A\"\nphase = \"primry\"\nkey_stages = [\"KS9\"]\nwebsit = \"x\"\n",
		"b.toml": "name = 5\nphase = \"infant\"\nkey_stages = [\"KS1\"]\n",
	})
	_, err := Load(dir)
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("got %v, want Errors", err)
	}
	if len(es) != 4 {
		t.Fatalf("got %d errors, want 4 (three in a.toml, one in b.toml):\n%v", len(es), err)
	}
	// Sorted by file then line.
	for i := 1; i < len(es); i++ {
		if es[i-1].File > es[i].File || es[i-1].File == es[i].File && es[i-1].Line > es[i].Line {
			t.Errorf("errors not sorted: %v before %v", es[i-1], es[i])
		}
	}
}

func TestCascade(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"_defaults.toml": "[roles]\ndsl = \"Trust DSL\"\nheadteacher = \"Head\"\n[parents]\nnewsletter = \"termly\"\n",
		"_tilt.toml":     "[organisation]\nname = \"TILT\"\ntype = \"trust\"\n[roles]\ndsl = \"Senior Designated Safeguarding Lead\"\n",
		"a.toml":         "extends = \"_tilt\"\n" + minimal + "[roles]\nheadteacher = \"Executive Headteacher\"\n",
		"b.toml":         minimal,
	})
	set, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, b := set.Schools[0], set.Schools[1]
	tests := []struct{ got, want string }{
		{a.Roles.DSL, "Senior Designated Safeguarding Lead"},                             // organisation beats _defaults
		{a.Roles.Headteacher, "Executive Headteacher"},                                   // school beats both
		{a.Parents.Newsletter, "termly"},                                                 // _defaults reaches every school
		{a.Organisation.Name, "TILT"},                                                    // organisation only for its schools
		{b.Organisation.Name, ""},                                                        // ...not for others
		{b.Roles.DSL, "Trust DSL"},                                                       // _defaults beats built-in
		{b.Roles.DSLShort, "DSL"},                                                        // built-in when nothing else says
		{a.ID + "," + b.ID, "a,b"},                                                       // sorted by id
		{filepath.Base(a.Source.File()), "a.toml"},                                       // source recorded
		{a.Policies["online-safety"].ApprovedBy, a.Policies["online-safety"].ApprovedBy}, // map merged without error
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: got %q, want %q", i, tt.got, tt.want)
		}
	}
	if file, line := a.Source.Pos("roles.headteacher"); filepath.Base(file) != "a.toml" || line != 6 {
		t.Errorf("Pos(roles.headteacher) = %s:%d, want a.toml:6", file, line)
	}
	if file, _ := a.Source.Pos("organisation.name"); filepath.Base(file) != "_tilt.toml" {
		t.Errorf("Pos(organisation.name) = %s, want _tilt.toml", file)
	}
}

func TestLoadSelectedUnknown(t *testing.T) {
	dir := writeFiles(t, map[string]string{"robert-miles-infant.toml": minimal})
	_, err := Load(dir, "robert-miles-infnat")
	if err == nil || !strings.Contains(err.Error(), `did you mean "robert-miles-infant"?`) {
		t.Fatalf("got %v", err)
	}
}

func TestDate(t *testing.T) {
	d := NewDate(2024, 1, 31)
	tests := []struct{ got, want string }{
		{d.String(), "31 January 2024"},
		{d.ISO(), "2024-01-31"},
		{d.AddMonths(1).ISO(), "2024-02-29"},
		{d.AddMonths(12).ISO(), "2025-01-31"},
		{Date{}.String(), ""},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	if n := NewDate(2024, 5, 24).DaysUntil(NewDate(2024, 5, 23)); n != -1 {
		t.Errorf("DaysUntil = %d, want -1", n)
	}
}

// extends without its underscore is one error, not a pattern error and a
// not-found error for the same line.
func TestExtendsWithoutUnderscoreOnce(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.toml": "extends = \"oaktrust\"\n" + minimal})
	_, err := Load(dir)
	var es Errors
	if !errors.As(err, &es) || len(es) != 1 {
		t.Fatalf("want one error, got %v", err)
	}
	if strings.Contains(err.Error(), "expected form") || strings.Contains(err.Error(), "create "+filepath.Join(dir, "oaktrust.toml")) {
		t.Errorf("wrong message or hint:\n%v", err)
	}
}

// TestConfirm: confirm names keys a school has not yet confirmed; a key the
// schema lacks is an error with a did-you-mean, a key that shapes the pack
// cannot wait, and no approval can be recorded while any remain.
func TestConfirm(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string // "" for no error
	}{
		{"valid", minimal + "confirm = [\"filtering.approvers\", \"practice.mobile_phones\"]\n", nil},
		{"misspelt", minimal + "confirm = [\"filtering.aprovers\"]\n",
			[]string{`a.toml:4: confirm[0]: "filtering.aprovers" is not a key that can be confirmed later`, `did you mean "filtering.approvers"?`}},
		{"shapes the pack", minimal + "confirm = [\"phase\"]\n",
			[]string{`a.toml:4: confirm[0]: "phase" shapes the whole pack`}},
		{"twice", minimal + "confirm = [\"roles.dsl\", \"roles.dsl\"]\n", []string{`confirm[1]: "roles.dsl" is listed twice`}},
		{"approval while unconfirmed", minimal + "confirm = [\"roles.dsl\"]\n\n[policies.online-safety]\napproved_on = 2026-01-01\n",
			[]string{"a.toml:7: policies.online-safety.approved_on: an approval is recorded while 1 value(s) are still to be confirmed (roles.dsl)", "remove it from confirm (", "a.toml:4)"}},
		{"approval once confirmed", minimal + "\n[policies.online-safety]\napproved_on = 2026-01-01\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := Load(writeFiles(t, map[string]string{"a.toml": tt.body}))
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if tt.name == "valid" && !set.Schools[0].Unconfirmed("filtering.approvers") {
					t.Error("filtering.approvers not unconfirmed")
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
	if FreeText("practice.mobile_phones") || FreeText("it.secure_wifi") || !FreeText("filtering.approvers") || !FreeText("roles.dsl") {
		t.Error("FreeText: choices and flags are not free text; names and lists of names are")
	}
}
