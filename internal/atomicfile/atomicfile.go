// Package atomicfile writes files whole or not at all: the bytes go to a
// temporary file beside the target, which is then renamed over it, so a
// reader (a web server publishing dist, a person opening a PDF) never sees
// a half-written file and a failure leaves the old file as it was. The
// build writes each file this way; the forms run stages every file of a
// run and commits them together (Batch).
package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Write writes data to path atomically with permissions perm, creating
// its folder. It reports false, and touches nothing, when the file already
// holds exactly data: a rebuild with nothing changed writes nothing.
func Write(path string, data []byte, perm fs.FileMode) (bool, error) {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, err
	}
	tmp, err := writeTemp(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return false, err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return false, err
	}
	return true, nil
}

// IsTemp reports whether a file name is one this package gives its
// temporary files (".online-safety.pdf.tmp-123456").
func IsTemp(name string) bool {
	base, _, ok := strings.Cut(strings.TrimPrefix(name, "."), ".tmp-")
	return ok && strings.HasPrefix(name, ".") && TempOf(name, base)
}

// sweepBeside removes the temporary files a killed process left beside
// target (named as TempOf says for target's name, regular files only):
// a forms run killed mid-write must not leave a file of pupil data that
// the next run never removes.
func sweepBeside(target string) {
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.Type().IsRegular() && TempOf(e.Name(), base) {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// writeTemp creates a temporary file beside target with permissions perm,
// fills it with write, syncs and closes it, and returns its name. On error
// it removes the file.
func writeTemp(target string, perm fs.FileMode, write func(io.Writer) error) (name string, err error) {
	var f *os.File
	for range 100 {
		f, err = os.OpenFile(filepath.Join(filepath.Dir(target), tempName(filepath.Base(target))), os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(perm); err != nil {
		return "", err
	}
	if err := write(f); err != nil {
		return "", fmt.Errorf("writing %s: %w", target, err)
	}
	if err := f.Sync(); err != nil {
		return "", fmt.Errorf("writing %s: %w", target, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("writing %s: %w", target, err)
	}
	return f.Name(), nil
}

// Batch writes several files all or nothing: Stage writes each to a
// temporary file beside its target, and only Commit, once every file is
// staged, moves them into place. A run that fails calls Cleanup (safe to
// defer: after Commit it does nothing), which removes the temporary files
// and any folders Stage created, so a failure leaves nothing behind.
type Batch struct {
	// Perm is the staged files' permissions; 0 means 0o600 (owner only),
	// right for files that hold personal data.
	Perm   fs.FileMode
	staged []staged
	made   []string // folders Stage created, outermost first
}

type staged struct{ tmp, target string }

// Stage writes one file's content, by write, to a temporary file beside
// target, creating target's folder if need be.
func (b *Batch) Stage(target string, write func(io.Writer) error) error {
	dir := filepath.Dir(target)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		var missing []string
		for d := dir; ; d = filepath.Dir(d) {
			if _, err := os.Stat(d); err == nil || filepath.Dir(d) == d {
				break
			}
			missing = append([]string{d}, missing...)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		b.made = append(b.made, missing...)
	}
	perm := b.Perm
	if perm == 0 {
		perm = 0o600
	}
	sweepBeside(target)
	tmp, err := writeTemp(target, perm, write)
	if err != nil {
		return err
	}
	b.staged = append(b.staged, staged{tmp: tmp, target: target})
	return nil
}

// ExistError is Commit's error, without replace, when a target exists:
// nothing was written. It matches fs.ErrExist.
type ExistError struct{ Path string }

func (e *ExistError) Error() string { return e.Path + " already exists" }

// Is makes errors.Is(err, fs.ErrExist) hold.
func (e *ExistError) Is(target error) bool { return target == fs.ErrExist }

// Commit moves every staged file into place. Without replace no existing
// file is replaced, even one that appeared after the caller checked: a
// hard link fails if the name exists, where a rename would silently
// overwrite.
func (b *Batch) Commit(replace bool) error {
	if !replace {
		for _, s := range b.staged {
			if _, err := os.Lstat(s.target); err == nil {
				return &ExistError{Path: s.target}
			}
		}
	}
	for i, s := range b.staged {
		var err error
		if replace {
			err = os.Rename(s.tmp, s.target)
		} else if err = os.Link(s.tmp, s.target); err == nil {
			err = os.Remove(s.tmp)
		} else if !errors.Is(err, fs.ErrExist) {
			// A file system without hard links: rename, having checked.
			err = os.Rename(s.tmp, s.target)
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w (%d of %d files written)", s.target, err, i, len(b.staged))
		}
	}
	b.staged, b.made = nil, nil
	return nil
}

// Cleanup removes the temporary files and created folders of a batch
// that was not committed.
func (b *Batch) Cleanup() {
	for _, s := range b.staged {
		_ = os.Remove(s.tmp)
	}
	for i := len(b.made) - 1; i >= 0; i-- {
		_ = os.Remove(b.made[i]) // only if empty
	}
	b.staged, b.made = nil, nil
}
