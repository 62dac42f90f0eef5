// Package scaffold writes the starting files of a trust's own policypack
// repository (`policypack init`): the schools folder with trust defaults and
// one fully commented example school, an empty templates folder explaining
// overrides, a CI workflow, a .gitignore and editor settings that point TOML
// files at the school config schema.
package scaffold

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/policies"
)

// files holds the static part of the scaffold. Names starting "dot-" become
// dot files when written, so that this repository's own tools (git, CI) do
// not treat the scaffold's .gitignore or workflow as their own.
//
//go:embed all:files
var files embed.FS

// ExampleID and ExampleName identify the example school init writes.
const (
	ExampleID   = "example-primary"
	ExampleName = "Example Primary School"
)

// SchemaFile is the JSON Schema file init writes at the repository root for
// editors (Taplo, Even Better TOML).
const SchemaFile = "school.schema.json"

// File is one file of the scaffold, its path slash-separated and relative to
// the new repository's root.
type File struct {
	Path string
	Data []byte
}

// Files returns every file init writes, sorted by path, with the workflow
// left unpinned (see FilesFor).
func Files() ([]File, error) { return FilesFor("") }

// workflowPath is the workflow that installs policypack.
const workflowPath = ".github/workflows/policy-review.yml"

// pin writes version (a release tag, or "" when the binary is not a
// release) into the workflow: unpinned, the file says how to pin it and the
// job fails until it is, rather than installing whatever is latest.
func pin(data []byte, version string) []byte {
	note := "Written by policypack " + version + "."
	if version == "" {
		note = "NOT PINNED: written by a development build of policypack, which no one can\n  # install by name. Set POLICYPACK_VERSION below to a release tag (e.g. v1.2.3);\n  # the job fails until you do."
	}
	s := strings.ReplaceAll(string(data), "#__PIN_NOTE__", "# "+note)
	return []byte(strings.ReplaceAll(s, "__POLICYPACK_VERSION__", version))
}

// FilesFor is Files with the workflow pinned to version, the release of
// the policypack that writes it ("" when it is not a release).
func FilesFor(version string) ([]File, error) {
	var out []File
	err := fs.WalkDir(files, "files", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(p, "files/")
		parts := strings.Split(rel, "/")
		for i, s := range parts {
			if strings.HasPrefix(s, "dot-") {
				parts[i] = "." + strings.TrimPrefix(s, "dot-")
			}
		}
		if p := path.Join(parts...); p == workflowPath {
			data = pin(data, version)
		}
		out = append(out, File{Path: path.Join(parts...), Data: data})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the built-in scaffold: %w", err)
	}
	example, err := ExampleSchool()
	if err != nil {
		return nil, err
	}
	cat, err := policies.Open("")
	if err != nil {
		return nil, fmt.Errorf("reading the built-in templates: %w", err)
	}
	out = append(out,
		File{Path: "schools/" + ExampleID + ".toml", Data: example},
		File{Path: SchemaFile, Data: append(config.JSONSchema(cat.Facts()...), '\n')},
	)
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// ExampleSchool is config.Scaffold for the example school, with the keys the
// built-in policies require (policy.toml "required") noted but left unset,
// so a fresh repository's check fails until the school has set them, and a
// Taplo schema directive so editors find the schema even without .taplo.toml.
func ExampleSchool() ([]byte, error) {
	cat, err := policies.Open("")
	if err != nil {
		return nil, fmt.Errorf("reading the built-in templates: %w", err)
	}
	var need []string
	for _, p := range cat.Policies {
		need = append(need, p.Required...)
	}
	return append([]byte("#:schema ../"+SchemaFile+"\n"), config.ScaffoldPolicies(ExampleID, ExampleName, cat.Facts(), need...)...), nil
}

// Result says what Write did, each list slash-separated and sorted.
type Result struct {
	Created []string
	Skipped []string // already existed; left untouched
}

// ErrNotEmpty is returned by Write for a folder that already has entries
// when force is false.
var ErrNotEmpty = errors.New("folder is not empty")

// Write creates the scaffold under dir (creating dir if need be). It refuses
// a non-empty dir unless force is set, and even then never overwrites an
// existing file: those are skipped and listed in Result.Skipped.
func Write(dir string, force bool) (*Result, error) { return WriteFor(dir, force, "") }

// WriteFor is Write with the workflow pinned to version (see FilesFor).
func WriteFor(dir string, force bool, version string) (*Result, error) {
	fsFiles, err := FilesFor(version)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("reading %s: %w", dir, err)
	case len(entries) > 0 && !force:
		return nil, fmt.Errorf("%s: %w", dir, ErrNotEmpty)
	}
	res := &Result{}
	for _, f := range fsFiles {
		target := filepath.Join(dir, filepath.FromSlash(f.Path))
		if _, err := os.Lstat(target); err == nil {
			res.Skipped = append(res.Skipped, f.Path)
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return res, fmt.Errorf("checking %s: %w", target, err)
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return res, fmt.Errorf("creating %s: %w", filepath.Dir(target), err)
		}
		// O_EXCL: even a file created between the check and now is never
		// overwritten.
		w, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			res.Skipped = append(res.Skipped, f.Path)
			continue
		}
		if err != nil {
			return res, fmt.Errorf("creating %s: %w", target, err)
		}
		_, err = w.Write(f.Data)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return res, fmt.Errorf("writing %s: %w", target, err)
		}
		res.Created = append(res.Created, f.Path)
	}
	return res, nil
}
