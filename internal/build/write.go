package build

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/policypack/policypack/internal/atomicfile"
)

// writeFile writes one output file atomically (see atomicfile.Write):
// readable by everyone, as a published pack is.
func writeFile(path string, data []byte) (bool, error) {
	return atomicfile.Write(path, data, 0o644)
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
