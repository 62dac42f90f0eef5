package build

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// overlapWriter stands for a terminal or a buffer, neither safe for
// concurrent use: it fails the test when two Writes overlap, and its
// buffer is unguarded so the race detector sees the same thing. Its first
// "rendered" line waits for another Write to start (or a fifth of a second), so
// an unserialised build overlaps every time rather than by chance.
type overlapWriter struct {
	t       *testing.T
	busy    atomic.Int32
	held    atomic.Bool
	overlap chan struct{}
	once    sync.Once
	buf     bytes.Buffer
}

func (w *overlapWriter) Write(p []byte) (int, error) {
	defer w.busy.Add(-1)
	if w.busy.Add(1) > 1 {
		w.t.Errorf("progress written from two goroutines at once: %q", p)
		w.once.Do(func() { close(w.overlap) })
	}
	if bytes.Contains(p, []byte("schools rendered")) && w.held.CompareAndSwap(false, true) {
		select {
		case <-w.overlap:
		case <-time.After(200 * time.Millisecond):
		}
	}
	return w.buf.Write(p)
}

// TestProgressConcurrent renders many schools on every core, all reporting
// to one writer: lines must be written one at a time and count up in order.
// Run it with -race -cpu=4 (make test does); at one CPU there is one worker.
func TestProgressConcurrent(t *testing.T) {
	schools, out := genTrust(t, 40), t.TempDir()
	w := &overlapWriter{t: t, overlap: make(chan struct{})}
	o := opts(t, schools, out, "2026-11-26")
	o.Formats, o.Progress = []string{"md"}, w
	mustRun(t, o)
	var counts []int
	for _, line := range strings.Split(strings.TrimSpace(w.buf.String()), "\n")[1:] {
		var n, total int
		if _, err := fmt.Sscanf(line, "%d/%d schools rendered", &n, &total); err != nil || total != 40 {
			t.Fatalf("progress line %q", line)
		}
		counts = append(counts, n)
	}
	want := []int{4, 8, 12, 16, 20, 24, 28, 32, 36, 40}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("rendered counts %v, want %v in order", counts, want)
	}
}

func TestReporterSilent(t *testing.T) {
	r := newReporter(nil)
	r.expect(40)
	for range 40 {
		r.rendered() // must not panic on a nil writer
	}
	r.printf("nothing %d", 1)
}

// TestRegistriesImmutable: what a caller gets back from the format and
// report lists is its own copy; changing it changes no build.
func TestRegistriesImmutable(t *testing.T) {
	all := AllFormats()
	all[0] = "odt"
	if got := AllFormats(); got[0] != "md" {
		t.Errorf("AllFormats()[0] = %q after a caller changed its copy", got[0])
	}
	if _, ok := FormatRenderer("odt"); ok {
		t.Error("FormatRenderer(odt) found a renderer")
	}
	sess, err := Open(opts(t, copySchools(t), t.TempDir(), "2026-11-26"))
	if err != nil {
		t.Fatal(err)
	}
	reps := sess.Reports()
	if len(reps) != 2 || reps[0].ID != "coverage" || reps[1].ID != "index" {
		t.Fatalf("Reports() = %v", reps)
	}
	reps[0].ID = "changed"
	_ = append(reps, Report{ID: "extra"})
	if got := sess.Reports(); len(got) != 2 || got[0].ID != "coverage" {
		t.Errorf("Reports() = %v after a caller changed its copy", got)
	}
}
