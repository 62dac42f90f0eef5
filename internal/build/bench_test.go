package build

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var (
	nameRe = regexp.MustCompile(`(?m)^name = ".*"$`)
	nextRe = regexp.MustCompile(`(?m)^next_review = .*$`)
)

// genTrust writes a trust of n schools into a temporary schools folder:
// the repository's defaults files, and copies of the two seed schools
// with their own names and next review dates spread over three years.
func genTrust(t testing.TB, n int) string {
	t.Helper()
	seed := copySchools(t)
	dir := filepath.Join(t.TempDir(), "schools")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(seed)
	if err != nil {
		t.Fatal(err)
	}
	var templates [][]byte
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(seed, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(e.Name(), "_") {
			if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
				t.Fatal(err)
			}
		} else if strings.HasSuffix(e.Name(), ".toml") {
			templates = append(templates, data)
		}
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		src := string(templates[i%len(templates)])
		src = nameRe.ReplaceAllLiteralString(src, fmt.Sprintf("name = \"Example School %04d\"", i))
		src = nextRe.ReplaceAllLiteralString(src, "next_review = "+start.AddDate(0, 0, i).Format(time.DateOnly))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("school-%04d.toml", i)), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// BenchmarkBuild1000 builds a 1,000-school trust from scratch in every
// format. Run with -benchtime=1x (make bench does); see the README's figure.
func BenchmarkBuild1000(b *testing.B) {
	schools := genTrust(b, 1000)
	for b.Loop() {
		out := b.TempDir()
		mustRun(b, opts(b, schools, out, "2026-11-26"))
	}
}

// BenchmarkNoopRebuild1000 rebuilds an up-to-date 1,000-school dist.
func BenchmarkNoopRebuild1000(b *testing.B) {
	schools, out := genTrust(b, 1000), b.TempDir()
	o := opts(b, schools, out, "2026-11-26")
	mustRun(b, o)
	for b.Loop() {
		if res := mustRun(b, o); res.Rendered != 0 || res.Written() != 0 {
			b.Fatalf("no-op rebuild rendered %d, wrote %d", res.Rendered, res.Written())
		}
	}
}
