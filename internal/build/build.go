// Package build runs the whole pipeline for a set of schools and writes the
// results under the output folder: config -> compose -> Markdown AST -> HTML
// and PDF -> dist. Everything is validated and composed before the first
// file is written, so bad input leaves dist as it was.
package build

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/policypack/policypack/internal/catalog"
	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/html"
	"github.com/policypack/policypack/internal/markdown"
)

// Renderer turns a parsed document into one output format.
type Renderer func(*markdown.Document) ([]byte, error)

// Formats maps each output format to its renderer; "md" is the composed
// Markdown itself. The order of AllFormats is the order files are written.
var (
	Formats = map[string]Renderer{
		"md":   func(d *markdown.Document) ([]byte, error) { return d.Source, nil },
		"html": html.Render,
	}
	AllFormats = []string{"md", "html"}
)

// Options configures a build.
type Options struct {
	SchoolsDir   string
	TemplatesDir string // "" for the built-in templates only
	OutDir       string
	Formats      []string // subset of AllFormats; empty means all
	IDs          []string // schools to build; empty means all
	AsOf         config.Date
	Strict       bool      // fail when a review is overdue
	Progress     io.Writer // nil for silence
	Version      string    // written into document metadata
}

// File is one file the build produced.
type File struct {
	School  string `json:"school"`
	Policy  string `json:"policy"`
	Doc     string `json:"document"` // policy id or form id
	Kind    string `json:"kind"`     // policy or form
	Format  string `json:"format"`
	Path    string `json:"path"` // relative to the output folder, slash-separated
	Size    int    `json:"size"`
	SHA256  string `json:"sha256"`
	Written bool   `json:"-"` // false when the file already held these bytes
}

// Result reports what a build did.
type Result struct {
	Schools []*config.School
	Docs    map[string][]compose.Output // per school id
	Files   []File
}

// Written counts the files actually (re)written.
func (r *Result) Written() int {
	n := 0
	for _, f := range r.Files {
		if f.Written {
			n++
		}
	}
	return n
}

// Prepare loads and validates the schools and composes every document
// without rendering or writing anything. `check` stops here.
func Prepare(opts Options) (*config.Set, *compose.Composer, map[string][]compose.Output, error) {
	set, err := config.Load(opts.SchoolsDir, opts.IDs...)
	if err != nil {
		return nil, nil, nil, err
	}
	cat, err := catalog.Open(opts.TemplatesDir)
	if err != nil {
		return nil, nil, nil, err
	}
	comp, err := compose.New(cat, opts.AsOf)
	if err != nil {
		return nil, nil, nil, err
	}
	if opts.Version != "" {
		comp.Creator = "policypack " + opts.Version
	}
	docs := make(map[string][]compose.Output, len(set.Schools))
	var mu sync.Mutex
	errs := parallel(len(set.Schools), func(i int) error {
		s := set.Schools[i]
		outs, err := comp.School(s)
		if err != nil {
			return err
		}
		mu.Lock()
		docs[s.ID] = outs
		mu.Unlock()
		return nil
	})
	if err := errors.Join(errs...); err != nil {
		return nil, nil, nil, err
	}
	if opts.Strict {
		var over []string
		for _, s := range set.Schools {
			for _, o := range docs[s.ID] {
				if o.Kind == "policy" && o.Meta.Overdue != "" {
					file, line := s.Source.Pos("policies." + o.ID)
					loc := file
					if line > 0 {
						loc = fmt.Sprintf("%s:%d", file, line)
					}
					over = append(over, fmt.Sprintf("%s: %s: %s", loc, o.ID, o.Meta.Overdue))
				}
			}
		}
		if len(over) > 0 {
			return nil, nil, nil, fmt.Errorf("%s\n\thint: review the policy and record the new approval (approved_on, last_reviewed) — or build without --strict", strings.Join(over, "\n"))
		}
	}
	return set, comp, docs, nil
}

// Run builds the packs and writes them under opts.OutDir.
func Run(opts Options) (*Result, error) {
	formats, err := CheckFormats(opts.Formats)
	if err != nil {
		return nil, err
	}
	set, _, docs, err := Prepare(opts)
	if err != nil {
		return nil, err
	}
	out, err := filepath.Abs(opts.OutDir)
	if err != nil {
		return nil, err
	}
	res := &Result{Schools: set.Schools, Docs: docs}
	files := make([][]File, len(set.Schools))
	progress(opts.Progress, "building %d school(s) into %s\n", len(set.Schools), opts.OutDir)
	var done sync.Mutex
	count := 0
	errs := parallel(len(set.Schools), func(i int) error {
		s := set.Schools[i]
		fs, err := renderSchool(s, docs[s.ID], formats, out, set.Dir)
		files[i] = fs
		done.Lock()
		count++
		if len(set.Schools) >= 20 && (count%50 == 0 || count == len(set.Schools)) {
			progress(opts.Progress, "  %d/%d schools\n", count, len(set.Schools))
		}
		done.Unlock()
		return err
	})
	for _, fs := range files {
		res.Files = append(res.Files, fs...)
	}
	return res, errors.Join(errs...)
}

// CheckFormats validates a --format list, defaulting to every format.
func CheckFormats(formats []string) ([]string, error) {
	if len(formats) == 0 {
		return slices.Clone(AllFormats), nil
	}
	var outs []string
	for _, f := range formats {
		f = strings.TrimSpace(strings.ToLower(f))
		if _, ok := Formats[f]; !ok {
			return nil, fmt.Errorf("unknown format %q (formats: %s)", f, strings.Join(AllFormats, ", "))
		}
		if !slices.Contains(outs, f) {
			outs = append(outs, f)
		}
	}
	// Keep a stable order whatever order the user typed.
	slices.SortFunc(outs, func(a, b string) int { return slices.Index(AllFormats, a) - slices.Index(AllFormats, b) })
	return outs, nil
}

func renderSchool(s *config.School, outs []compose.Output, formats []string, outDir, schoolsDir string) ([]File, error) {
	logo, logoType, err := loadLogo(s, schoolsDir)
	if err != nil {
		return nil, err
	}
	var files []File
	for _, o := range outs {
		meta := o.Meta
		meta.Logo, meta.LogoType = logo, logoType
		doc := markdown.Parse(o.Markdown, meta)
		for _, f := range formats {
			data, err := Formats[f](doc)
			if err != nil {
				return files, fmt.Errorf("%s: %s (%s): %w", s.Source.File(), o.Path, f, err)
			}
			rel := filepath.ToSlash(filepath.Join(s.ID, o.Path+"."+f))
			path := filepath.Join(outDir, filepath.FromSlash(rel))
			if err := ensureWithin(outDir, path); err != nil {
				return files, err
			}
			written, err := writeFile(path, data)
			if err != nil {
				return files, fmt.Errorf("writing %s: %w", path, err)
			}
			sum := sha256.Sum256(data)
			files = append(files, File{School: s.ID, Policy: o.Policy.ID, Doc: o.ID, Kind: o.Kind, Format: f,
				Path: rel, Size: len(data), SHA256: hex.EncodeToString(sum[:]), Written: written})
		}
	}
	return files, nil
}

func loadLogo(s *config.School, schoolsDir string) ([]byte, string, error) {
	if s.Logo == "" {
		return nil, "", nil
	}
	dir, _ := filepath.Abs(schoolsDir)
	path := filepath.Join(dir, filepath.FromSlash(s.Logo))
	file, line := s.Source.Pos("logo")
	loc := file
	if line > 0 {
		loc = fmt.Sprintf("%s:%d", file, line)
	}
	if !within(dir, path) {
		return nil, "", fmt.Errorf("%s: logo: %q is outside the schools folder\n\thint: keep logos beside the configs, e.g. logos/school.png", loc, s.Logo)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("%s: logo: %w\n\thint: the path is relative to the schools folder", loc, err)
	}
	switch {
	case len(data) > 8 && string(data[1:4]) == "PNG":
		return data, "png", nil
	case len(data) > 3 && data[0] == 0xFF && data[1] == 0xD8:
		return data, "jpg", nil
	}
	return nil, "", fmt.Errorf("%s: logo: %s is not a PNG or JPEG image", loc, s.Logo)
}

func progress(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format, args...)
	}
}

// parallel runs fn(0..n-1) on all cores and returns the errors in index
// order, so messages come out in the same order on every run.
func parallel(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), max(n, 1)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				errs[i] = fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	var out []error
	for _, e := range errs {
		if e != nil {
			out = append(out, e)
		}
	}
	return out
}
