package cli

import (
	"io"
	"os"
	"strings"
	"testing"
)

// BenchmarkCLIBuild is `policypack build` of the example schools from scratch,
// every format, in process (the process adds its start-up, about 7 ms).
func BenchmarkCLIBuild(b *testing.B) {
	for b.Loop() {
		dir := b.TempDir()
		if c := Main([]string{"build", "--schools", "../../schools", "--out", dir, "--as-of", "2026-11-26", "-q"}, IO{In: strings.NewReader(""), Out: io.Discard, ErrOut: os.Stderr}); c != 0 {
			b.Fatal(c)
		}
	}
}

// BenchmarkCLICheck is `policypack check` of both example schools.
func BenchmarkCLICheck(b *testing.B) {
	for b.Loop() {
		if c := Main([]string{"check", "--schools", "../../schools", "--as-of", "2026-11-26"}, IO{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}); c != 0 {
			b.Fatal(c)
		}
	}
}
