package atomicfile

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/policypack/policypack/internal/diag"
)

// Dir is an output folder opened as an os.Root: every write, rename and
// removal through it resolves inside the folder, so a symbolic link
// committed inside it (dist/ is tracked through its placeholder) cannot
// make a build write or delete anything elsewhere. Checking path text
// cannot promise that; the kernel-backed root can.
type Dir struct {
	root *os.Root
	path string
}

// OpenDir opens the folder at path, which must exist.
func OpenDir(path string) (*Dir, error) {
	r, err := os.OpenRoot(path)
	if err != nil {
		return nil, err
	}
	return &Dir{root: r, path: path}, nil
}

// Close releases the folder.
func (d *Dir) Close() error { return d.root.Close() }

// Path is the folder's path as given to OpenDir.
func (d *Dir) Path() string { return d.path }

// Root is the folder's os.Root, for reads that must stay inside it.
func (d *Dir) Root() *os.Root { return d.root }

// local turns a slash-separated path relative to the folder into the
// root's form, refusing anything that is not a plain relative path.
func local(rel string) (string, error) {
	if !fs.ValidPath(rel) || rel == "." {
		return "", fmt.Errorf("%q is not a path inside the output folder", rel)
	}
	return filepath.FromSlash(rel), nil
}

// Write writes data to rel (slash-separated, inside the folder)
// atomically with permissions perm, creating its folders. It reports
// false, and touches nothing, when the file already holds exactly data.
func (d *Dir) Write(rel string, data []byte, perm fs.FileMode) (bool, error) {
	name, err := local(rel)
	if err != nil {
		return false, err
	}
	if st, err := d.root.Lstat(name); err == nil && st.Mode().IsRegular() {
		if old, err := d.root.ReadFile(name); err == nil && bytes.Equal(old, data) {
			return false, nil
		}
	}
	if dir := filepath.Dir(name); dir != "." {
		if err := d.root.MkdirAll(dir, 0o755); err != nil {
			return false, d.wrap(rel, err)
		}
	}
	tmp, err := d.writeTemp(name, data, perm)
	if err != nil {
		return false, d.wrap(rel, err)
	}
	if err := d.root.Rename(tmp, name); err != nil {
		_ = d.root.Remove(tmp)
		return false, d.wrap(rel, err)
	}
	return true, nil
}

// wrap names the file in the folder and, when the root refused a path
// that leaves the folder, says so in words.
func (d *Dir) wrap(rel string, err error) error {
	if strings.Contains(err.Error(), "escapes from parent") {
		return &diag.Error{File: filepath.Join(d.path, filepath.FromSlash(rel)), Err: err,
			Msg:  "not written: a symbolic link leads out of the output folder " + d.path,
			Hint: "remove the link; policypack never writes or removes anything outside its output folder"}
	}
	return fmt.Errorf("writing %s: %w", filepath.Join(d.path, filepath.FromSlash(rel)), err)
}

func (d *Dir) writeTemp(name string, data []byte, perm fs.FileMode) (string, error) {
	for range 100 {
		tmp := filepath.Join(filepath.Dir(name), tempName(filepath.Base(name)))
		f, err := d.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		err = f.Chmod(perm)
		if err == nil {
			_, err = f.Write(data)
		}
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = d.root.Remove(tmp)
			return "", err
		}
		return tmp, nil
	}
	return "", errors.New("cannot create a temporary file")
}

// tempName is a fresh temporary name for a file named base, in the shape
// IsTemp and TempOf recognise.
func tempName(base string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "." + base + ".tmp-" + strconv.FormatUint(binary.LittleEndian.Uint64(b[:])%1e12, 10)
}

// TempOf reports whether name is a temporary file of the file named
// base ("." + base + ".tmp-" + digits), so a sweep removes only what this
// package left beside a file its caller writes.
func TempOf(name, base string) bool {
	rest, ok := strings.CutPrefix(name, "."+base+".tmp-")
	if !ok || rest == "" {
		return false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// SweepTemps removes the temporary files a killed process left beside
// the given files (slash-separated, inside the folder): only regular
// files named as TempOf says, only in those files' folders. Errors are
// ignored: what cannot be removed was not ours to remove.
func (d *Dir) SweepTemps(rels []string) {
	byDir := map[string]map[string]bool{}
	for _, rel := range rels {
		if _, err := local(rel); err != nil {
			continue
		}
		dir, base := path.Split(rel)
		if byDir[dir] == nil {
			byDir[dir] = map[string]bool{}
		}
		byDir[dir][base] = true
	}
	for dir, bases := range byDir {
		name := "."
		if dir != "" {
			name = filepath.FromSlash(strings.TrimSuffix(dir, "/"))
		}
		f, err := d.root.Open(name)
		if err != nil {
			continue
		}
		entries, _ := f.ReadDir(-1)
		f.Close()
		for _, e := range entries {
			if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), ".") {
				continue
			}
			base, _, ok := strings.Cut(strings.TrimPrefix(e.Name(), "."), ".tmp-")
			for b := range bases {
				if ok && strings.HasPrefix(b, base) && TempOf(e.Name(), b) {
					_ = d.root.Remove(filepath.Join(name, e.Name()))
				}
			}
		}
	}
}

// Remove removes the regular file rel and then any folders it leaves
// empty, up to the output folder itself. It never follows a link out of
// the folder and never removes anything but a regular file: a link or a
// folder at rel is left alone. A missing file is not an error.
func (d *Dir) Remove(rel string) (bool, error) {
	name, err := local(rel)
	if err != nil {
		return false, nil
	}
	st, err := d.root.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		if strings.Contains(err.Error(), "escapes from parent") {
			return false, nil // not ours: it is outside the folder
		}
		return false, err
	}
	if !st.Mode().IsRegular() {
		return false, nil
	}
	if err := d.root.Remove(name); err != nil {
		return false, fmt.Errorf("removing stale %s: %w", filepath.Join(d.path, name), err)
	}
	for dir := filepath.Dir(name); dir != "."; dir = filepath.Dir(dir) {
		if st, err := d.root.Lstat(dir); err != nil || !st.IsDir() {
			break
		}
		if d.root.Remove(dir) != nil { // fails unless empty: that is the point
			break
		}
	}
	return true, nil
}
