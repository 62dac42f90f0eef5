package build

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/policypack/policypack/internal/catalog"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/review"
)

// inputVersion changes when the way inputs are hashed changes, so old
// manifests never match.
const inputVersion = "policypack-inputs-1"

// programID identifies the running program's code by its executable's
// path, size and modification time, as make judges a file: any rebuild
// writes a new executable, so a changed renderer invalidates every school.
// A version string is not enough (development builds are all "dev"), and
// hashing the 20 MB executable would cost more than building a school.
var programID = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		// Without the executable the program cannot be told apart from
		// another version: "" makes every school rebuild (see unchanged).
		return ""
	}
	st, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s:%d:%d", exe, st.Size(), st.ModTime().UnixNano())
})

// templatesHash hashes every file of the catalog that a build reads
// (catalog.IsTemplateFile: built-in templates under the trust's overrides),
// path and bytes, in walk order (sorted): editing a README in the templates
// folder rebuilds nothing.
func templatesHash(cat *catalog.Catalog) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(cat.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !catalog.IsTemplateFile(p) {
			return nil
		}
		data, err := cat.FS.ReadFile(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(data))
		h.Write(data)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hashing templates: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fileCache reads each config file once per build: the shared defaults
// files are part of every school's inputs.
type fileCache struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (c *fileCache) read(path string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if data, ok := c.files[path]; ok {
		return data, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if c.files == nil {
		c.files = map[string][]byte{}
	}
	c.files[path] = data
	return data, nil
}

// inputHash is the sha256 of everything one school's files depend on. The
// as-of date enters only through each policy's review state and next
// review date (what compose shows), so a school is not rebuilt every day.
func (b *builder) inputHash(s *config.School) (string, error) {
	h := sha256.New()
	field := func(h hash.Hash, k, v string) { fmt.Fprintf(h, "%s=%d:%s\n", k, len(v), v) }
	field(h, "inputs", inputVersion)
	field(h, "program", programID())
	field(h, "version", b.opts.Version)
	field(h, "templates", b.templates)
	field(h, "formats", strings.Join(b.formats, ","))
	// SOURCE_DATE_EPOCH dates the documents when it is set, so a
	// different value must rebuild.
	source := ""
	if !b.opts.SourceDate.IsZero() {
		source = strconv.FormatInt(b.opts.SourceDate.Unix(), 10)
	}
	field(h, "source-date-epoch", source)
	for _, r := range b.reports {
		field(h, "report", r.ID)
	}
	field(h, "school", s.ID)
	for _, f := range s.Source.Files() {
		if f == config.BuiltinDefaultsFile {
			continue // part of the program
		}
		data, err := b.cache.read(f)
		if err != nil {
			return "", fmt.Errorf("hashing %s: %w", f, err)
		}
		field(h, "config "+filepath.Base(f), string(data))
	}
	if s.Logo != "" {
		data, err := b.cache.read(filepath.Join(b.set.Dir, filepath.FromSlash(s.Logo)))
		if err == nil {
			field(h, "logo", string(data))
		}
	}
	for _, p := range b.cat.Policies {
		st := review.Of(s.Policies[p.ID], b.opts.AsOf, review.DefaultWindowDays)
		field(h, "review "+p.ID, string(st.State)+" "+st.Next.ISO()+" "+st.Notice())
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
