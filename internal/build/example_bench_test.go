package build

import (
	"testing"

	"github.com/policypack/policypack/internal/config"
)

// benchSession opens the example schools with every format.
func benchSession(b *testing.B) *Session {
	b.Helper()
	sess, err := Open(Options{SchoolsDir: "../../schools", AsOf: config.NewDate(2026, 11, 26)})
	if err != nil {
		b.Fatal(err)
	}
	return sess
}

// renderSchool composes and renders one school in memory, as a build does
// before writing.
func renderSchoolTest(sess *Session, id string) ([]RenderedFile, error) {
	s := sess.School(id)
	docs, err := sess.Composer.School(s)
	if err != nil {
		return nil, err
	}
	return sess.RenderSchool(s, docs, sess.Formats)
}

// BenchmarkBuildSchool is one school's whole pack (policy and three forms,
// Markdown, HTML, PDF and Word, and its coverage report) composed and rendered in
// memory: the work `build` does per school before writing.
func BenchmarkBuildSchool(b *testing.B) {
	sess := benchSession(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := renderSchoolTest(sess, "robert-miles-infant"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExampleBuild is the whole example build in one process: load and
// validate both schools, compose, render every document in every format.
// Writing is left out (it is the same for any renderer).
func BenchmarkExampleBuild(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sess := benchSession(b)
		files := 0
		for _, s := range sess.Set.Schools {
			fs, err := renderSchoolTest(sess, s.ID)
			if err != nil {
				b.Fatal(err)
			}
			files += len(fs)
		}
		if files < 20 {
			b.Fatalf("only %d files", files)
		}
	}
}

// BenchmarkOpen is loading and checking the configs and parsing the
// templates and the standards catalogue: the fixed cost of any command.
func BenchmarkOpen(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSession(b)
	}
}

// BenchmarkPrepare is what `check` does: open, then compose every document
// of both example schools (with their coverage), rendering nothing.
func BenchmarkPrepare(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, err := Prepare(Options{SchoolsDir: "../../schools", AsOf: config.NewDate(2026, 11, 26)}); err != nil {
			b.Fatal(err)
		}
	}
}
