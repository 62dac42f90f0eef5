//go:build unix

package infile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Each way of reading something that is not a regular file inside the
// folder is refused, promptly, with the file named.
func TestRead(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "in")
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(root, "secret"), []byte("SECRET=1"), 0o644)
	os.WriteFile(filepath.Join(dir, "ok.md"), []byte("fine"), 0o644)
	os.WriteFile(filepath.Join(dir, "big.md"), make([]byte, 2048), 0o644)
	os.Symlink("ok.md", filepath.Join(dir, "inside.md"))
	os.Symlink("../secret", filepath.Join(dir, "out.md"))
	os.Symlink("/proc/self/environ", filepath.Join(dir, "environ.md"))
	os.Symlink("/dev/zero", filepath.Join(dir, "zero.md"))
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"ok.md":      "",
		"inside.md":  "",
		"out.md":     "out.md: is a link that leads outside",
		"environ.md": "environ.md: is a link that leads outside",
		"zero.md":    "zero.md: is a link that leads outside",
		"fifo.md":    "fifo.md: is not a regular file (a FIFO)",
		"sub":        "sub: is not a regular file (a folder)",
		"big.md":     "big.md: is larger than 1 KiB",
		"../secret":  "not a path inside",
	} {
		done := make(chan error, 1)
		go func() { _, err := Read(dir, name, 1024); done <- err }()
		select {
		case err := <-done:
			if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
				t.Errorf("%s: %v, want %q", name, err, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: Read hung", name)
		}
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	only := func(keep func(string) bool) func(string) int64 {
		return func(n string) int64 {
			if keep(n) {
				return 1024
			}
			return 0
		}
	}
	files, err := d.ReadAll(only(func(n string) bool { return n == "ok.md" || n == "inside.md" || n == "sub/x.md" }))
	if err != nil || len(files) != 2 || string(files["inside.md"]) != "fine" {
		t.Errorf("ReadAll: %v %v", files, err)
	}
	if _, err := d.ReadAll(only(func(n string) bool { return strings.HasSuffix(n, ".md") && n != "big.md" })); err == nil {
		t.Error("ReadAll took links out, a FIFO and a device")
	}
}
