package build

import (
	"path/filepath"
	"strings"
)

// within reports whether path is inside dir on path text alone. It gives
// an early, readable error for a config naming "../secret.png"; the real
// confinement is the os.Root every read and write goes through.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
