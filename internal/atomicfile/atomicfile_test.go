package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a", "b.html")
	if w, err := Write(p, []byte("one"), 0o644); err != nil || !w {
		t.Fatalf("first write: %v, %v", w, err)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
	old := time.Now().Add(-time.Hour)
	os.Chtimes(p, old, old)
	if w, err := Write(p, []byte("one"), 0o644); err != nil || w {
		t.Fatalf("same bytes: written=%v, %v", w, err)
	}
	if st, _ := os.Stat(p); !st.ModTime().Equal(old) {
		t.Error("writing the same bytes touched the file")
	}
	if w, err := Write(p, []byte("two"), 0o644); err != nil || !w {
		t.Fatalf("new bytes: %v, %v", w, err)
	}
	if got, _ := os.ReadFile(p); string(got) != "two" {
		t.Errorf("content %q", got)
	}
	if got := names(t, filepath.Join(dir, "a")); !slices.Equal(got, []string{"b.html"}) {
		t.Errorf("folder holds %v", got)
	}
}

func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{".b.html.tmp-123", "b.html", ".keep", "x.tmp-1", ".y.tmp-abc"} {
		os.WriteFile(filepath.Join(dir, n), nil, 0o644)
	}
	RemoveStale(dir)
	if got := names(t, dir); !slices.Equal(got, []string{".keep", ".y.tmp-abc", "b.html", "x.tmp-1"}) {
		t.Errorf("after RemoveStale: %v", got)
	}
}

func write(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func TestBatchCommit(t *testing.T) {
	dir := t.TempDir()
	var b Batch
	defer b.Cleanup()
	for _, n := range []string{"x/1.pdf", "x/2.pdf"} {
		if err := b.Stage(filepath.Join(dir, n), write(n)); err != nil {
			t.Fatal(err)
		}
	}
	if got := names(t, filepath.Join(dir, "x")); len(got) != 2 || !IsTemp(got[0]) || !IsTemp(got[1]) {
		t.Fatalf("staged: %v", got)
	}
	if err := b.Commit(false); err != nil {
		t.Fatal(err)
	}
	if got := names(t, filepath.Join(dir, "x")); !slices.Equal(got, []string{"1.pdf", "2.pdf"}) {
		t.Errorf("committed: %v", got)
	}
	if st, _ := os.Stat(filepath.Join(dir, "x", "1.pdf")); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 (personal data)", st.Mode().Perm())
	}
	b.Cleanup() // after Commit: nothing to do, nothing removed
	if got := names(t, filepath.Join(dir, "x")); len(got) != 2 {
		t.Errorf("Cleanup after Commit removed files: %v", got)
	}
}

// TestBatchNoReplace: without replace, a file that appeared after staging
// is kept and nothing of the batch is written.
func TestBatchNoReplace(t *testing.T) {
	dir := t.TempDir()
	var b Batch
	defer b.Cleanup()
	target := filepath.Join(dir, "forms.pdf")
	if err := b.Stage(target, write("new")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(target, []byte("theirs"), 0o644)
	err := b.Commit(false)
	var ee *ExistError
	if !errors.As(err, &ee) || ee.Path != target || !errors.Is(err, fs.ErrExist) {
		t.Fatalf("Commit = %v, want ExistError for %s", err, target)
	}
	b.Cleanup()
	if got, _ := os.ReadFile(target); string(got) != "theirs" {
		t.Errorf("existing file replaced: %q", got)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"forms.pdf"}) {
		t.Errorf("folder holds %v", got)
	}
	var r Batch
	if err := r.Stage(target, write("new")); err != nil {
		t.Fatal(err)
	}
	if err := r.Commit(true); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(target); string(got) != "new" {
		t.Errorf("replace: %q", got)
	}
}

// TestBatchCleanup: a run that fails after staging some files leaves
// neither their temporary files nor the folders it created.
func TestBatchCleanup(t *testing.T) {
	dir := t.TempDir()
	var b Batch
	if err := b.Stage(filepath.Join(dir, "a", "b", "forms-3a.pdf"), write("x")); err != nil {
		t.Fatal(err)
	}
	failing := errors.New("disk full")
	if err := b.Stage(filepath.Join(dir, "a", "b", "forms-3b.pdf"), func(io.Writer) error { return failing }); !errors.Is(err, failing) {
		t.Fatalf("Stage = %v, want the writer's error", err)
	}
	if got := names(t, filepath.Join(dir, "a", "b")); len(got) != 1 {
		t.Fatalf("after a failed Stage: %v (its temporary file must go)", got)
	}
	b.Cleanup()
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("after Cleanup the folder holds %v", got)
	}
}
