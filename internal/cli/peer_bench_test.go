package cli

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// peerInstall says how to get the peer's tools: the comparison is part of
// the figures the README quotes, so a missing tool fails the benchmark
// rather than drop the peer.
const peerInstall = "the benchmark against pandoc + weasyprint needs both on PATH " +
	"(Debian/Ubuntu: apt-get install pandoc weasyprint; elsewhere: https://pandoc.org/installing.html and pip install weasyprint)"

// BenchmarkPeerPandocWeasyprint is the peer the README compares the example
// build with: one policy (Robert Miles' online safety procedure, as
// policypack composes it in Markdown) to HTML with pandoc, then to an A4
// PDF with weasyprint, two processes per iteration as a user would run
// them. Run in the same `go test -bench` as BenchmarkCLIBuild, so the
// ratio is measured on one machine at one time.
func BenchmarkPeerPandocWeasyprint(b *testing.B) {
	pandoc, err1 := exec.LookPath("pandoc")
	weasy, err2 := exec.LookPath("weasyprint")
	if err1 != nil || err2 != nil {
		b.Fatal(peerInstall)
	}
	dist := b.TempDir()
	if c := Main([]string{"build", "--schools", "../../schools", "--out", dist, "--as-of", "2026-11-26", "--format", "md", "-q", "robert-miles-infant"},
		IO{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}); c != 0 {
		b.Fatalf("build: exit %d", c)
	}
	md := filepath.Join(dist, "robert-miles-infant", "online-safety.md")
	work := b.TempDir()
	html, pdf := filepath.Join(work, "online-safety.html"), filepath.Join(work, "online-safety.pdf")
	for b.Loop() {
		if out, err := exec.Command(pandoc, "--from", "markdown", "--to", "html5", "--standalone",
			"--metadata", "pagetitle=Online Safety Procedure", "--output", html, md).CombinedOutput(); err != nil {
			b.Fatalf("pandoc: %v\n%s", err, out)
		}
		if out, err := exec.Command(weasy, "--quiet", html, pdf).CombinedOutput(); err != nil {
			b.Fatalf("weasyprint: %v\n%s", err, out)
		}
	}
	b.StopTimer()
	if fi, err := os.Stat(pdf); err != nil || fi.Size() < 10_000 {
		b.Fatalf("weasyprint wrote no PDF worth the name (%v)", err)
	}
}
