// Package infile reads the files a build takes as input (configs,
// templates, standards, logos) only as regular files inside their folder,
// and only up to a size: a symbolic link out of the folder (to
// /proc/self/environ, say), a FIFO (which would block for ever) or a
// device (/dev/zero, which never ends) is refused, as is a file larger
// than its bound. Every caller then hashes exactly the bytes it parsed.
package infile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/policypack/policypack/internal/diag"
)

// Read reads the file name (slash-separated, relative to dir) as Dir.Read.
func Read(dir, name string, limit int64) ([]byte, error) {
	d, err := Open(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.Read(name, limit)
}

// Dir is an input folder opened as an os.Root, so no name or link inside
// it can lead a read outside it.
type Dir struct {
	root *os.Root
	path string
}

// Open opens the folder at path.
func Open(path string) (*Dir, error) {
	r, err := os.OpenRoot(path)
	if err != nil {
		return nil, err
	}
	return &Dir{root: r, path: path}, nil
}

// Close releases the folder.
func (d *Dir) Close() error { return d.root.Close() }

// Read reads name (slash-separated, inside the folder), which must be a
// regular file (a link to one inside the folder is followed) of at most
// limit bytes. The error is a *diag.Error naming the file.
func (d *Dir) Read(name string, limit int64) ([]byte, error) {
	where := filepath.Join(d.path, filepath.FromSlash(name))
	if !fs.ValidPath(name) {
		return nil, &diag.Error{File: where, Msg: "not a path inside " + d.path, Hint: "give a relative path without .."}
	}
	local := filepath.FromSlash(name)
	st, err := d.root.Stat(local) // follows a link, but only inside the folder
	if err != nil {
		if strings.Contains(err.Error(), "escapes from parent") || strings.Contains(err.Error(), "path escapes") {
			return nil, &diag.Error{File: where, Err: err, Msg: "is a link that leads outside " + d.path,
				Hint: "policypack reads inputs only from inside their folder; copy the file in instead of linking to it"}
		}
		return nil, &diag.Error{File: where, Err: err, Msg: errMsg(err)}
	}
	if !st.Mode().IsRegular() {
		return nil, &diag.Error{File: where, Msg: "is not a regular file (" + kind(st.Mode()) + ")",
			Hint: "policypack reads configs, templates, standards and logos only from regular files"}
	}
	if st.Size() > limit {
		return nil, tooBig(where, limit)
	}
	f, err := d.root.Open(local)
	if err != nil {
		return nil, &diag.Error{File: where, Err: err, Msg: errMsg(err)}
	}
	defer f.Close()
	// The file may have changed since Stat: read no more than the bound
	// either way, and check what was opened is what was judged.
	if st2, err := f.Stat(); err != nil || !st2.Mode().IsRegular() {
		return nil, &diag.Error{File: where, Msg: "is not a regular file", Hint: "policypack reads configs, templates, standards and logos only from regular files"}
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, &diag.Error{File: where, Err: err, Msg: errMsg(err)}
	}
	if int64(len(data)) > limit {
		return nil, tooBig(where, limit)
	}
	return data, nil
}

// ReadAll reads every regular file under the folder that limit gives a
// bound (given its slash-separated path; 0 leaves it out), into a map by
// path. A link out of the folder, a device or a FIFO that limit bounds is
// an error; files it leaves out are never opened. Folders are walked
// without following links to them.
func (d *Dir) ReadAll(limit func(name string) int64) (map[string][]byte, error) {
	out := map[string][]byte{}
	var walk func(dir string) error
	walk = func(dir string) error {
		f, err := d.root.Open(filepath.FromSlash(dir))
		if err != nil {
			return err
		}
		entries, err := f.ReadDir(-1)
		f.Close()
		if err != nil {
			return err
		}
		for _, e := range entries {
			name := path.Join(dir, e.Name())
			if e.IsDir() {
				if err := walk(name); err != nil {
					return err
				}
				continue
			}
			n := limit(name)
			if n <= 0 {
				continue
			}
			data, err := d.Read(name, n)
			if err != nil {
				return err
			}
			out[name] = data
		}
		return nil
	}
	if err := walk("."); err != nil {
		return nil, err
	}
	return out, nil
}

func tooBig(where string, limit int64) error {
	return &diag.Error{File: where, Msg: fmt.Sprintf("is larger than %s, the most policypack reads from one input file", size(limit)),
		Hint: "is this the file you meant? configs and templates are text of a few kilobytes; a logo should be a small PNG or JPEG"}
}

func size(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a plain file"
}

func errMsg(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
