package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/policies"
	"github.com/policypack/policypack/internal/scaffold"
)

func testIO() (IO, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return IO{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, &out, &errOut
}

// TestInitChecksAndBuilds: a fresh repository made by init must check and
// build clean with the commands its README and workflow use.
func TestInitChecksAndBuilds(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "trust")
	io, _, errOut := testIO()
	if err := runInit(&InitOptions{IO: io, Dir: dir}); err != nil {
		t.Fatalf("init: %v", err)
	}
	for _, want := range []string{
		"schools/_defaults.toml", "schools/" + scaffold.ExampleID + ".toml", "templates/README.md",
		".github/workflows/policy-review.yml", ".gitignore", ".taplo.toml", ".vscode/settings.json",
		scaffold.SchemaFile,
	} {
		if _, err := os.Stat(filepath.Join(dir, want)); err != nil {
			t.Errorf("init did not write %s: %v", want, err)
		}
		if !strings.Contains(errOut.String(), "created "+want+"\n") {
			t.Errorf("init did not report creating %s", want)
		}
	}
	schema, err := os.ReadFile(filepath.Join(dir, scaffold.SchemaFile))
	if err != nil || !bytes.Equal(bytes.TrimSpace(schema), bytes.TrimSpace(builtinSchema(t))) {
		t.Errorf("%s is not `policypack schema` output (err %v)", scaffold.SchemaFile, err)
	}

	schools, tmpl := filepath.Join(dir, "schools"), filepath.Join(dir, "templates")
	// The keys with no safe default are unset: check fails naming each,
	// first the policies' own facts (the loader checks those), then, once
	// they are set, the keys the policies require.
	io, out, _ := testIO()
	err = runCheck(&CheckOptions{IO: io, SchoolsDir: schools, TemplatesDir: tmpl, AsOf: "2026-11-26"})
	keys := []string{"policies.mobile-phones.facts.confiscated_until", "policies.mobile-phones.facts.exceptions_decided_by", "policies.mobile-phones.facts.trips_and_clubs"}
	for _, fact := range cpRequiredFacts {
		keys = append(keys, "policies.child-protection.facts."+fact)
	}
	for _, key := range keys {
		if err == nil || !strings.Contains(err.Error(), key+": missing required value") {
			t.Errorf("check on a fresh repository = %v, want %s missing", err, key)
		}
	}
	if strings.Contains(out.String(), "ok") {
		t.Errorf("check says ok on a fresh repository: %q", out)
	}
	setRequiredFacts(t, dir)
	io, out, _ = testIO()
	err = runCheck(&CheckOptions{IO: io, SchoolsDir: schools, TemplatesDir: tmpl, AsOf: "2026-11-26"})
	for _, key := range []string{"filtering.approvers", "monitoring.method", "practice.mobile_phones", "roles.filtering_lead", "roles.filtering_governor"} {
		if err == nil || !strings.Contains(err.Error(), key+": missing required value") {
			t.Errorf("check on a fresh repository = %v, want %s missing", err, key)
		}
	}
	if strings.Contains(out.String(), "ok") {
		t.Errorf("check says ok on a fresh repository: %q", out)
	}
	// Once the school has set them, it checks and builds.
	setRequired(t, dir)
	io, out, _ = testIO()
	if err := runCheck(&CheckOptions{IO: io, SchoolsDir: schools, TemplatesDir: tmpl, AsOf: "2026-11-26"}); err != nil {
		t.Fatalf("check on a fresh repository with its required values set: %v", err)
	}
	// The example's three policies are drafts: check says so instead of "ok".
	if !strings.Contains(out.String(), scaffold.ExampleID+": 3 warning(s)") {
		t.Errorf("check output %q does not pass the example school", out.String())
	}
	dist := filepath.Join(dir, "dist")
	io, _, _ = testIO()
	if err := runBuild(&BuildOptions{IO: io, SchoolsDir: schools, TemplatesDir: tmpl, OutDir: dist, AsOf: "2026-11-26", Quiet: true}); err != nil {
		t.Fatalf("build on a fresh repository: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dist, scaffold.ExampleID, "online-safety.html")); err != nil {
		t.Errorf("build wrote no policy: %v", err)
	}
}

// setRequired sets, in a scaffolded repository's example school, the values
// the scaffold leaves for the school to decide, as a school would.
func setRequired(t *testing.T, dir string) {
	t.Helper()
	setExample(t, dir, [][2]string{{"approvers", `["headteacher"]`}, {"method", `"physical-and-technical"`}, {"mobile_phones", `"off-and-away"`},
		{"filtering_lead", `"headteacher"`}, {"filtering_governor", `"safeguarding governor"`}})
	setRequiredFacts(t, dir)
}

// setRequiredFacts sets the example school's required policy facts: the
// mobile phones policy's and the child protection policy's.
func setRequiredFacts(t *testing.T, dir string) {
	t.Helper()
	setExample(t, dir, [][2]string{{"confiscated_until", `"end-of-day"`}, {"exceptions_decided_by", `"headteacher"`}, {"trips_and_clubs", `"same-rules"`}})
	setCPFacts(t, dir)
}

// setExample uncomments the example school's commented keys with values.
func setExample(t *testing.T, dir string, kvs [][2]string) {
	t.Helper()
	example := filepath.Join(dir, "schools", scaffold.ExampleID+".toml")
	data, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range kvs {
		data = regexp.MustCompile(`(?m)^# `+kv[0]+` = .*$`).ReplaceAll(data, []byte(kv[0]+" = "+kv[1]))
	}
	if err := os.WriteFile(example, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// cpRequiredFacts are the child protection policy's required facts.
var cpRequiredFacts = []string{"dsl_contact", "out_of_hours", "front_door", "front_door_out_of_hours", "lado", "partnership", "record_system"}

// setCPFacts sets each of the child protection policy's required facts at
// its example, as the scaffold comments it.
func setCPFacts(t *testing.T, dir string) {
	t.Helper()
	example := filepath.Join(dir, "schools", scaffold.ExampleID+".toml")
	data, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range cpRequiredFacts {
		data = regexp.MustCompile(`(?m)^# (`+name+` = .*)$`).ReplaceAll(data, []byte("$1"))
	}
	if err := os.WriteFile(example, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestInitNonEmptyFolder(t *testing.T) {
	const mine = "# our own defaults\n"
	tests := []struct {
		name        string
		force       bool
		wantErr     string
		wantCreated bool // other scaffold files are created
	}{
		{name: "refuses without --force", wantErr: "not empty"},
		{name: "--force adds missing files, keeps existing ones", force: true, wantCreated: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			existing := filepath.Join(dir, "schools", "_defaults.toml")
			if err := os.MkdirAll(filepath.Dir(existing), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(existing, []byte(mine), 0o644); err != nil {
				t.Fatal(err)
			}
			io, _, errOut := testIO()
			err := runInit(&InitOptions{IO: io, Dir: dir, Force: tt.force})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "--force") {
					t.Fatalf("err = %v, want one containing %q and a --force hint", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(existing)
			if string(got) != mine {
				t.Errorf("existing file overwritten: %q", got)
			}
			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			if created := slices.Contains(names, "templates"); created != tt.wantCreated {
				t.Errorf("templates/ created = %v, want %v (folder holds %v)", created, tt.wantCreated, names)
			}
			if tt.force && !strings.Contains(errOut.String(), "skipped schools/_defaults.toml: already exists") {
				t.Errorf("--force did not report the skipped file:\n%s", errOut.String())
			}
		})
	}
}

// builtinSchema is `policypack schema` with the built-in templates only.
func builtinSchema(t *testing.T) []byte {
	t.Helper()
	cat, err := policies.Open("")
	if err != nil {
		t.Fatal(err)
	}
	return config.JSONSchema(cat.Facts()...)
}
