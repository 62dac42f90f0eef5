package build

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// writeFile writes data to path atomically (a temporary file in the same
// folder, then rename) so an interrupted build never leaves a truncated
// file. It reports false, and touches nothing, when the file already holds
// exactly data: a rebuild with nothing changed writes nothing.
func writeFile(path string, data []byte) (bool, error) {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return false, err
	}
	if err := tmp.Close(); err != nil {
		return false, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return false, err
	}
	return true, nil
}

// within reports whether path is inside dir (after cleaning), so no school
// id or template path can make the build write outside dist.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func ensureWithin(dir, path string) error {
	if !within(dir, path) {
		return fmt.Errorf("refusing to write %s: outside the output folder %s", path, dir)
	}
	return nil
}
