package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/policypack/policypack/internal/roster/rostertest"
)

// BenchmarkForms1000 prints the parent/carer agreement for a generated
// 1,000-pupil roster into one PDF, as `policypack forms` does: read and sort
// the roster, then compose, parse and draw each pupil's copy in turn, then
// write the file. The peak memory (live heap) grows with the PDF being made
// and nothing else: see internal/pdf's TestBookMemory.
func BenchmarkForms1000(b *testing.B) {
	dir := b.TempDir()
	csv := filepath.Join(dir, "roster.csv")
	if err := os.WriteFile(csv, rostertest.Generate(1000, 1), 0o600); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(dir, "forms.pdf")
	io, _, _ := testIO()
	opts := &FormsOptions{IO: io, SchoolsDir: seedSchools, School: "hevingham-marsham", Form: "parent-agreement",
		Roster: csv, Out: out, Force: true, Quiet: true, AsOf: "2026-11-26"}
	if err := runForms(b.Context(), opts); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, n := formsCPUTime(), 0
	for b.Loop() {
		if err := runForms(b.Context(), opts); err != nil {
			b.Fatal(err)
		}
		n++
	}
	// CPU seconds per run, all threads: the figure that holds on a busy
	// machine, where ns/op also counts waiting for a core.
	b.ReportMetric((formsCPUTime()-cpu0).Seconds()/float64(n), "cpu-s/op")
	fi, err := os.Stat(out)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(fi.Size())/1e6, "MB-out")
}
