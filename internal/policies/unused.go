package policies

import (
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/policypack/policypack/internal/diag"
)

// Unused is a file of the trust's templates folder that no build reads: saved
// under a misspelt folder or name (section/ for sections/), it would
// otherwise be listed as the trust's own and silently do nothing.
type Unused struct {
	Path    string // slash-separated, relative to the templates folder
	Suggest string // the path it was probably meant to have, or ""
}

// Unused lists the trust's template files that no policy reads: not a
// policy's metadata, not a section, form or appendix template, not a partial
// and not named by a {{ template "..." }} call in any template. Sorted.
func (c *Set) Unused() ([]Unused, error) {
	if c.Override == "" || len(c.FS) < 2 {
		return nil, nil
	}
	used := map[string]bool{}
	var known []string
	for _, p := range c.Policies {
		used[path.Join(p.Dir, "policy.toml")] = true
		for _, s := range p.Sections {
			used[path.Join(p.Dir, s.Template)] = true
		}
		for _, f := range p.Forms {
			used[path.Join(p.Dir, f.Template)] = true
		}
		for _, a := range p.Appendices {
			if a.Template != "" {
				used[path.Join(p.Dir, a.Template)] = true
			}
		}
	}
	for k := range used {
		known = append(known, k)
	}
	// Every built-in file is a path a trust might have meant.
	_ = fs.WalkDir(c.FS[len(c.FS)-1], ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && IsTemplateFile(p) && !used[p] {
			known = append(known, p)
		}
		return nil
	})
	slices.Sort(known)
	// A template a trust calls by name from another is used.
	var texts []string
	_ = fs.WalkDir(c.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md.tmpl") {
			if b, err := fs.ReadFile(c.FS, p); err == nil {
				texts = append(texts, string(b))
			}
		}
		return nil
	})
	called := func(p string) bool {
		_, rel, _ := strings.Cut(p, "/")
		for _, t := range texts {
			if strings.Contains(t, strconv.Quote(rel)) || strings.Contains(t, strconv.Quote(p)) {
				return true
			}
		}
		return false
	}
	var out []Unused
	err := fs.WalkDir(c.FS[0], ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !IsTemplateFile(p) || used[p] {
			return err
		}
		if strings.HasPrefix(p, "standards/") || strings.HasPrefix(p, SharedDir+"/") {
			return nil
		}
		if dir, rest, ok := strings.Cut(p, "/"); ok && strings.HasPrefix(rest, "partials/") && c.Policy(dir) != nil {
			return nil
		}
		if called(p) {
			return nil
		}
		out = append(out, Unused{Path: p, Suggest: diag.Closest(p, known)})
		return nil
	})
	return out, err
}
