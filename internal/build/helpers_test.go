package build

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/policypack/policypack/internal/config"
)

// copySchools copies the repository's schools folder (the example schools
// and their defaults), less any school ids given (one approved after a
// test's as-of date, say), into a temporary folder tests may change.
func copySchools(t testing.TB, without ...string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "schools")
	src := filepath.Join("..", "..", "schools")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if slices.Contains(without, strings.TrimSuffix(rel, ".toml")) {
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func date(t testing.TB, s string) config.Date {
	t.Helper()
	d, err := config.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func opts(t testing.TB, schools, out, asOf string) Options {
	return Options{SchoolsDir: schools, OutDir: out, AsOf: date(t, asOf), Version: "test"}
}

func mustRun(t testing.TB, o Options) *Result {
	t.Helper()
	res, err := Run(o)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return res
}

// tree maps every file under dir (slash paths) to its bytes.
func tree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var epoch = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)

// backdate sets every file's mtime to 2001, so any rewrite shows.
func backdate(t testing.TB, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.Chtimes(p, epoch, epoch)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// touched lists the files under dir whose mtime is no longer 2001.
func touched(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		if !st.ModTime().Equal(epoch) {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
