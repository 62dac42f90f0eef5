package build

import (
	"testing"

	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/markdown"
	"github.com/policypack/policypack/internal/pdf"
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
// Markdown, HTML, PDF and Word, the bound pack.pdf, its coverage report and
// its page) composed and rendered in memory: the work `build` does per
// school before writing.
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

// BenchmarkPack is one school's bound pack alone (its documents composed
// and parsed beforehand): the cost the pack adds to BenchmarkBuildSchool.
// BenchmarkSchoolPDFs, the same documents each to its own PDF, is the
// yardstick.
func BenchmarkPack(b *testing.B) {
	s, docs, parsed := benchParsed(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := renderPack(s, docs, parsed); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSchoolPDFs is every document of one school to its own PDF.
func BenchmarkSchoolPDFs(b *testing.B) {
	_, _, parsed := benchParsed(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range parsed {
			if _, err := pdf.Render(d); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func benchParsed(b *testing.B) (*config.School, []compose.Output, []*markdown.Document) {
	b.Helper()
	sess := benchSession(b)
	s := sess.School("robert-miles-infant")
	docs, err := sess.Composer.School(s)
	if err != nil {
		b.Fatal(err)
	}
	logo := sess.Logo(s)
	var parsed []*markdown.Document
	for _, o := range docs {
		m := o.Meta
		m.Logo, m.LogoType = logo.Data, logo.Type
		parsed = append(parsed, markdown.Parse(o.Markdown, m))
	}
	return s, docs, parsed
}
