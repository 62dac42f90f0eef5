package build

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
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
	// The copy keeps the defaults files and logos; the seed schools become
	// the patterns for the generated ones.
	dir := copySchools(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var templates [][]byte
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), "_") || !strings.HasSuffix(e.Name(), ".toml") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		templates = append(templates, data)
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
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

// BenchmarkBuild1000 builds a 1,000-school trust from scratch, in Markdown
// and HTML, then in every format (PDF's cost is the PDF renderer's). Run
// with -benchtime=1x; see the README's figures. It runs under the memory
// limit the policypack command sets, so its peak memory is the command's.
func BenchmarkBuild1000(b *testing.B) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(MemoryLimit))
	schools := genTrust(b, 1000)
	for _, formats := range [][]string{{"md", "html"}, AllFormats()} {
		b.Run(strings.Join(formats, ","), func(b *testing.B) {
			for b.Loop() {
				o := opts(b, schools, b.TempDir(), "2026-11-26")
				o.Formats = formats
				mustRun(b, o)
			}
		})
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
