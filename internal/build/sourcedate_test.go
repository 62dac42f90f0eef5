package build

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The source date (SOURCE_DATE_EPOCH, read by the command) dates the PDFs,
// so changing it rebuilds them: an incremental build never keeps bytes a
// fresh build would not make.
func TestSourceDateEpochIsAnInput(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	o := opts(t, schools, out, "2026-11-26")
	o.Formats = []string{"pdf"}
	o.SourceDate = time.Unix(1700000000, 0)
	mustRun(t, o)
	before := tree(t, out)

	o.SourceDate = time.Unix(1800000000, 0)
	res := mustRun(t, o)
	if res.Rendered == 0 {
		t.Fatalf("a new SOURCE_DATE_EPOCH rendered nothing")
	}
	fresh := t.TempDir()
	o.OutDir = fresh
	mustRun(t, o)
	after, want := tree(t, out), tree(t, fresh)
	changed := 0
	for path, data := range want {
		if !bytes.Equal(after[path], data) {
			t.Errorf("%s: incremental rebuild differs from a fresh build", path)
		}
		if !bytes.Equal(before[path], data) {
			changed++
		}
	}
	if changed == 0 {
		t.Errorf("no file changed with SOURCE_DATE_EPOCH")
	}
}

// A temporary file an interrupted build left behind is removed by the next
// build; nothing else in dist is touched.
func TestStrayTempFilesRemoved(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	o := opts(t, schools, out, "2026-11-26")
	o.Formats = []string{"md"}
	mustRun(t, o)
	stray := filepath.Join(out, "robert-miles-infant", ".online-safety.md.tmp-12345")
	mine := filepath.Join(out, "robert-miles-infant", "notes.txt")
	for _, f := range []string{stray, mine} {
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(t, o)
	if _, err := os.Stat(stray); !os.IsNotExist(err) {
		t.Errorf("stray temporary file still there")
	}
	if _, err := os.Stat(mine); err != nil {
		t.Errorf("a file the user put in dist was removed")
	}
}
