package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// A run killed between writing and renaming left temporary files; the
// next Stage of the same target removes them, and nothing else.
func TestStageSweepsKilledRunsTemps(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{".b.pdf.tmp-123", ".b.pdf.tmp-9", "b.pdf", ".keep", ".c.pdf.tmp-1", ".b.pdf.tmp-abc"} {
		os.WriteFile(filepath.Join(dir, n), []byte("pupil data"), 0o600)
	}
	var b Batch
	if err := b.Stage(filepath.Join(dir, "b.pdf"), write("new")); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(true); err != nil {
		t.Fatal(err)
	}
	if got := names(t, dir); !slices.Equal(got, []string{".b.pdf.tmp-abc", ".c.pdf.tmp-1", ".keep", "b.pdf"}) {
		t.Errorf("after Stage: %v", got)
	}
}

// A Dir never writes or removes through a link out of its folder.
func TestDirConfined(t *testing.T) {
	root := t.TempDir()
	out, other := filepath.Join(root, "out"), filepath.Join(root, "other")
	os.MkdirAll(out, 0o755)
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "f.md"), []byte("theirs"), 0o644)
	os.Symlink("../other", filepath.Join(out, "s"))
	os.Symlink(filepath.Join(other, "f.md"), filepath.Join(out, "abs.md"))
	d, err := OpenDir(out)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Write("s/f.md", []byte("mine"), 0o644); err == nil || !strings.Contains(err.Error(), "symbolic link leads out") {
		t.Errorf("write through a link: %v", err)
	}
	if removed, err := d.Remove("s/f.md"); removed || err != nil {
		t.Errorf("remove through a link: %v %v", removed, err)
	}
	if removed, _ := d.Remove("abs.md"); removed {
		t.Error("removed a link as if it were a file")
	}
	// Writing over a link replaces the link, never the file it points to.
	if _, err := d.Write("abs.md", []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(other, "f.md")); string(got) != "theirs" {
		t.Errorf("a file outside the folder changed: %q", got)
	}
	if _, err := d.Write("../x.md", []byte("mine"), 0o644); err == nil {
		t.Error("wrote ../x.md")
	}
	if _, err := os.Stat(filepath.Join(root, "x.md")); err == nil {
		t.Error("../x.md exists")
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
