package rostertest

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/policypack/policypack/internal/roster"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func TestGenerateReadsBack(t *testing.T) {
	for _, n := range []int{1, 2, 3, 20, 300, 1000} {
		data := Generate(n, 7)
		got, err := roster.Read("generated.csv", bytes.NewReader(data))
		if err != nil {
			t.Fatalf("n=%d: Read: %v", n, err)
		}
		if want := GeneratePupils(n, 7); !reflect.DeepEqual(got, want) {
			t.Fatalf("n=%d: roster.Read(Generate) differs from GeneratePupils", n)
		}
	}
}

func TestGenerateShape(t *testing.T) {
	const n = 300
	data := Generate(n, 1)
	s := string(data)
	if !strings.HasPrefix(s, "\ufeffAdno,") {
		t.Error("no BOM before the header")
	}
	if c, l := strings.Count(s, "\r\n"), strings.Count(s, "\n"); c != n+1 || l != c {
		t.Errorf("%d CRLF and %d LF line ends, want %d of each", c, l, n+1)
	}
	if !strings.Contains(s, `,"Khan, A"`) {
		t.Error("no quoted comma")
	}

	ps := GeneratePupils(n, 1)
	if len(ps) != n {
		t.Fatalf("%d pupils, want %d", len(ps), n)
	}
	for i, f := range []string{"Zoë", "Siân", "Łukasz"} {
		if ps[i].Forename != f {
			t.Errorf("pupil %d is %q, want forename %q", i, ps[i].Forename, f)
		}
	}
	seen := map[string]bool{}
	classes := map[string]int{}
	for _, p := range ps {
		if seen[p.FullName()] {
			t.Errorf("name %q repeats", p.FullName())
		}
		seen[p.FullName()] = true
		classes[p.Class]++
	}
	if len(classes) != 10 {
		t.Errorf("%d classes, want 10 of 30", len(classes))
	}
	for c, k := range classes {
		if k != 30 {
			t.Errorf("class %q has %d pupils, want 30", c, k)
		}
	}

	// Unsorted on purpose, so sorting is visible.
	sorted := GeneratePupils(n, 1)
	roster.Sort(sorted)
	if reflect.DeepEqual(sorted, ps) {
		t.Error("generated roster is already sorted")
	}
}

func TestGenerateUniqueAt1000(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range GeneratePupils(1000, 99) {
		if seen[p.FullName()] {
			t.Fatalf("name %q repeats", p.FullName())
		}
		seen[p.FullName()] = true
	}
}

func TestGenerateDeterministic(t *testing.T) {
	a, b := Generate(50, 3), Generate(50, 3)
	if !bytes.Equal(a, b) {
		t.Error("same n and seed gave different output")
	}
	if bytes.Equal(a, Generate(50, 4)) {
		t.Error("different seeds gave the same output")
	}
	if len(Generate(0, 1)) == 0 || GeneratePupils(0, 1) != nil {
		t.Error("n=0 should give a header only and no pupils")
	}
}

// TestGenerateGolden pins the generator's output byte for byte: other
// packages' tests and the README's benchmark depend on it staying put. Run
// `go test ./internal/roster/rostertest -run Golden -update` after a deliberate change.
func TestGenerateGolden(t *testing.T) {
	got := Generate(20, 1)
	path := filepath.Join("testdata", "generate-20-seed-1.csv")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Generate(20, 1) differs from %s; run with -update if the change is meant:\n%s", path, diff.Diff(path, want, "Generate(20, 1)", got))
	}
}

// TestExample reads the roster the README shows.
func TestExample(t *testing.T) {
	path := filepath.Join("..", "..", "..", "examples", "roster.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ps, err := roster.Read(path, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 20 {
		t.Errorf("%d pupils, want 20", len(ps))
	}
	gs, err := roster.GroupBy(ps, "class")
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 3 {
		t.Errorf("%d classes, want 3", len(gs))
	}
	seen := map[string]bool{}
	for _, p := range ps {
		seen[p.Forename] = true
		if p.Year == "" || p.Class == "" {
			t.Errorf("line %d has no year or class", p.Line)
		}
	}
	for _, f := range []string{"Zoë", "Siân", "Łukasz"} {
		if !seen[f] {
			t.Errorf("no pupil called %s", f)
		}
	}
}

func BenchmarkRead1000(b *testing.B) {
	data := Generate(1000, 1)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := roster.Read("bench.csv", bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSortGroup1000(b *testing.B) {
	ps := GeneratePupils(1000, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := roster.GroupBy(ps, "class"); err != nil {
			b.Fatal(err)
		}
	}
}
