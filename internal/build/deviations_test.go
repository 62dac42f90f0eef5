package build

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/policypack/policypack/internal/compose"
)

func TestDeviations(t *testing.T) {
	schools := copySchools(t)
	p := filepath.Join(schools, "robert-miles-infant.toml")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, []byte(`
[policies.online-safety.sections.parents]
append = "We also run a drop-in session for parents each term."

[policies.online-safety.sections.cloud-platforms]
omit = true
`)...)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	sess, err := Open(opts(t, schools, t.TempDir(), "2026-11-26"))
	if err != nil {
		t.Fatal(err)
	}
	s := sess.School("robert-miles-infant")
	docs, err := sess.Composer.School(s)
	if err != nil {
		t.Fatal(err)
	}
	got := Deviations(s, docs)
	var short [][3]any
	for _, d := range got {
		if d.File != p || d.Line == 0 {
			t.Errorf("%s: at %s:%d, want a line of %s", d.Section, d.File, d.Line, p)
		}
		short = append(short, [3]any{d.Doc, d.Section, d.What})
	}
	// In the policy's order, not the config's: parents comes first.
	want := [][3]any{{"online-safety", "parents", []string{"appended to"}}, {"online-safety", "cloud-platforms", []string{"omitted"}}}
	if !reflect.DeepEqual(short, want) {
		t.Errorf("Deviations = %v, want %v", short, want)
	}
	// The manifest counts them per policy, and the school's total.
	if err := sess.NoteCoverage(s, docs); err != nil {
		t.Fatal(err)
	}
	ms := sess.ManifestSchool(s)
	if os := onlineSafety(&ms); ms.Deviations != 2 || len(ms.Policies) != 3 || os == nil || os.Deviations != 2 {
		t.Errorf("manifest: school deviations %d, policies %+v; want 2, all in online-safety", ms.Deviations, ms.Policies)
	}
}

func TestDanglingRefs(t *testing.T) {
	docs := []compose.Output{
		{ID: "a", Dangling: []string{"x", "y", "x"}},
		{ID: "b"},
		{ID: "c", Dangling: []string{"x"}},
	}
	want := []DanglingRef{{"a", "x", 2}, {"a", "y", 1}, {"c", "x", 1}}
	if got := DanglingRefs(docs); !reflect.DeepEqual(got, want) {
		t.Errorf("DanglingRefs = %v, want %v", got, want)
	}
}
