package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/manifest"
)

// TestOpenReviews: due's loader lists a school whose facts are not filled
// in yet (Open refuses it), but a mistyped policy id or a bad review date
// fails both.
func TestOpenReviews(t *testing.T) {
	const base = "name = \"New School\"\nphase = \"primary\"\nkey_stages = [\"KS1\"]\n"
	write := func(t *testing.T, toml string) string {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "new-school.toml"), []byte(toml), 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	t.Run("incomplete", func(t *testing.T) {
		dir := write(t, base)
		if _, err := Open(opts(t, dir, t.TempDir(), "2026-11-26")); err == nil {
			t.Fatal("Open accepted a school with no facts")
		}
		sess, err := OpenReviews(opts(t, dir, t.TempDir(), "2026-11-26"))
		if err != nil {
			t.Fatalf("OpenReviews: %v", err)
		}
		if len(sess.Set.Schools) != 1 || len(sess.ReviewPolicies()) == 0 {
			t.Errorf("session: %d schools, %d policies", len(sess.Set.Schools), len(sess.ReviewPolicies()))
		}
	})
	for name, tt := range map[string]struct{ toml, want string }{
		"policy id":   {base + "[policies.online-safty]\nversion = \"1\"\n", "online-safty"},
		"review date": {base + "[policies.online-safety]\napproved_on = 2027-01-01\n", "approved_on"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := write(t, tt.toml)
			_, oerr := Open(opts(t, dir, t.TempDir(), "2026-11-26"))
			_, rerr := OpenReviews(opts(t, dir, t.TempDir(), "2026-11-26"))
			if rerr == nil || !strings.Contains(rerr.Error(), tt.want) || !strings.Contains(rerr.Error(), "new-school.toml:") {
				t.Errorf("OpenReviews: %v, want an error at new-school.toml naming %s", rerr, tt.want)
			}
			if oerr == nil {
				t.Error("Open accepted it")
			}
		})
	}
}

// TestPlanFilesMatchBuild: what the preview's dashboard lists without
// rendering is what a build writes, entry for entry, but for size and hash.
func TestPlanFilesMatchBuild(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	o := opts(t, schools, out, "2026-11-26")
	o.Formats = []string{"md", "html"}
	mustRun(t, o)
	m, err := manifest.Read(filepath.Join(out, manifest.Name))
	if err != nil {
		t.Fatal(err)
	}
	sess, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	plan := sess.NewManifest()
	for _, s := range sess.Set.Schools {
		docs, err := sess.Composer.School(s)
		if err != nil {
			t.Fatal(err)
		}
		plan.Schools = append(plan.Schools, sess.ManifestSchool(s))
		plan.Files = append(plan.Files, sess.PlanFiles(s, docs, sess.Formats)...)
	}
	plan.Sort()
	for i := range m.Files {
		m.Files[i].Size, m.Files[i].SHA256 = 0, ""
	}
	for i := range m.Schools {
		m.Schools[i].InputHash = ""
	}
	m.Dashboard = nil
	got, _ := plan.Marshal()
	want, _ := m.Marshal()
	if string(got) != string(want) {
		t.Errorf("planned manifest differs from the build's:\n%s\nwant:\n%s", got, want)
	}
}
