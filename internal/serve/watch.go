package serve

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// debounce gathers the burst of events one save makes (editors write a
// temporary file, rename it, touch the folder) into one reload.
const debounce = 150 * time.Millisecond

// Watch reloads the server whenever a file under the schools or templates
// folder changes, until ctx is done. Folders created later are watched as
// they appear; a folder that does not exist yet is watched from its parent.
func (s *Server) Watch(ctx context.Context) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watching for changes: %w", err)
	}
	defer w.Close()
	roots := []string{s.opts.SchoolsDir}
	if s.opts.TemplatesDir != "" {
		roots = append(roots, s.opts.TemplatesDir)
	}
	for _, root := range roots {
		if err := addTree(w, root); err != nil {
			return err
		}
	}
	var timer *time.Timer
	fire := make(chan struct{}, 1)
	for {
		select {
		case <-ctx.Done():
			if timer != nil {
				timer.Stop()
			}
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ignored(ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					_ = addTree(w, ev.Name)
				}
			}
			if timer == nil {
				timer = time.AfterFunc(debounce, func() {
					select {
					case fire <- struct{}{}:
					default:
					}
				})
			} else {
				timer.Reset(debounce)
			}
		case <-fire:
			s.Reload()
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			if s.opts.Log != nil {
				fmt.Fprintf(s.opts.Log, "watch: %v\n", err)
			}
		}
	}
}

// addTree watches dir and every folder below it. A missing dir is watched
// through its parent, so creating it is noticed.
func addTree(w *fsnotify.Watcher, dir string) error {
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		parent := filepath.Dir(dir)
		if err := w.Add(parent); err != nil {
			return fmt.Errorf("watching %s: %w", parent, err)
		}
		return nil
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if err := w.Add(p); err != nil {
				return fmt.Errorf("watching %s: %w", p, err)
			}
		}
		return nil
	})
}

// ignored are editors' swap and backup files, which change on every
// keystroke in some editors and never affect the output.
func ignored(name string) bool {
	base := filepath.Base(name)
	return strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") || strings.HasSuffix(base, ".swx") ||
		strings.HasPrefix(base, ".#") || base == "4913"
}
