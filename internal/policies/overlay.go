package policies

import (
	"errors"
	"io/fs"
	"sort"
)

// Overlay is a read-only file system that looks each path up in its layers
// in order, so a trust's folder shadows the built-in templates file by file
// (as a Hugo site shadows its theme). Directory listings are the union of
// the layers, sorted by name.
type Overlay []fs.FS

// Open implements fs.FS.
func (o Overlay) Open(name string) (fs.File, error) {
	var firstErr error
	for _, l := range o {
		f, err := l.Open(name)
		if err == nil {
			return f, nil
		}
		if firstErr == nil || !errors.Is(err, fs.ErrNotExist) {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return nil, firstErr
}

// ReadDir implements fs.ReadDirFS with the union of the layers' entries.
func (o Overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]fs.DirEntry{}
	found := false
	for _, l := range o {
		es, err := fs.ReadDir(l, name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, err
		}
		found = true
		for _, e := range es {
			if _, ok := seen[e.Name()]; !ok {
				seen[e.Name()] = e
			}
		}
	}
	if !found {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	out := make([]fs.DirEntry, 0, len(seen))
	for _, e := range seen {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

// ReadFile implements fs.ReadFileFS.
func (o Overlay) ReadFile(name string) ([]byte, error) {
	for _, l := range o {
		b, err := fs.ReadFile(l, name)
		if err == nil {
			return b, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
}

// Origin reports which layer (0 = first) provides name, or -1.
func (o Overlay) Origin(name string) int {
	for i, l := range o {
		if _, err := fs.Stat(l, name); err == nil {
			return i
		}
	}
	return -1
}
