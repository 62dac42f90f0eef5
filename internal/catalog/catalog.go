// Package catalog finds the policies policypack can build: the built-in
// templates embedded in the binary, overlaid file by file by a trust's own
// templates folder, and each policy's metadata (policy.toml) which names its
// sections, appendices and forms. Policies are data, so a trust adds one
// without recompiling.
package catalog

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/policypack/policypack/templates"
)

// Section is one section of a policy, in document order.
type Section struct {
	ID       string   `toml:"id"`
	Title    string   `toml:"title"`
	Level    int      `toml:"level"`    // 1 = "1.", 2 = "1.1", 3 = unnumbered sub-heading
	Template string   `toml:"template"` // relative to the policy folder; default sections/<id>.md.tmpl
	Meets    []string `toml:"meets"`    // requirement ids from the standards catalogue

	explicit bool // Template was given in policy.toml, not defaulted
}

// Appendix is a part printed after the policy's body, each on a new page.
type Appendix struct {
	ID       string `toml:"id"`
	Title    string `toml:"title"`
	Form     string `toml:"form"`     // id of the form whose body this appendix prints
	Template string `toml:"template"` // or a template of its own
}

// Form is a standalone signature form built beside the policy.
type Form struct {
	ID       string `toml:"id"`
	Title    string `toml:"title"`
	Template string `toml:"template"` // default forms/<id>.md.tmpl
}

// Policy is a policy's metadata from its policy.toml.
type Policy struct {
	ID         string     `toml:"id"`
	Title      string     `toml:"title"`
	Subject    string     `toml:"subject"`
	Required   []string   `toml:"required"`
	Sections   []Section  `toml:"sections"`
	Appendices []Appendix `toml:"appendices"`
	Forms      []Form     `toml:"forms"`

	// Dir is the policy's folder in the catalog file system.
	Dir string `toml:"-"`
}

// Section returns the section with id, or nil.
func (p *Policy) Section(id string) *Section {
	for i := range p.Sections {
		if p.Sections[i].ID == id {
			return &p.Sections[i]
		}
	}
	return nil
}

// Form returns the form with id, or nil.
func (p *Policy) Form(id string) *Form {
	for i := range p.Forms {
		if p.Forms[i].ID == id {
			return &p.Forms[i]
		}
	}
	return nil
}

// SectionIDs lists the ids of every section, appendix and form.
func (p *Policy) SectionIDs() []string {
	var ids []string
	for _, s := range p.Sections {
		ids = append(ids, s.ID)
	}
	return ids
}

// Catalog is the layered template file system and the policies found in it.
type Catalog struct {
	FS       Overlay
	Policies []*Policy // sorted by id
	// Override is the trust's templates folder ("" for none), for messages.
	Override string
}

var idRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Open builds the catalog: the trust's folder (if any) over the built-ins.
func Open(overrideDir string) (*Catalog, error) {
	layers := Overlay{}
	if overrideDir != "" {
		st, err := os.Stat(overrideDir)
		if err != nil || !st.IsDir() {
			return nil, fmt.Errorf("%s: templates folder not found\n\thint: pass --templates with a folder laid out like the built-in templates (see `policypack init`)", overrideDir)
		}
		layers = append(layers, os.DirFS(overrideDir))
	}
	layers = append(layers, templates.FS)
	return New(layers, overrideDir)
}

// New builds a catalog over an arbitrary file system (tests use fstest.MapFS).
func New(fsys Overlay, overrideDir string) (*Catalog, error) {
	c := &Catalog{FS: fsys, Override: overrideDir}
	entries, err := fsys.ReadDir(".")
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		meta := path.Join(e.Name(), "policy.toml")
		data, err := fsys.ReadFile(meta)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		p, err := parsePolicy(c.name(meta), data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p.Dir = e.Name()
		if p.ID != e.Name() {
			errs = append(errs, fmt.Errorf("%s: id %q must match its folder name %q", c.name(meta), p.ID, e.Name()))
			continue
		}
		c.Policies = append(c.Policies, p)
	}
	sort.Slice(c.Policies, func(i, j int) bool { return c.Policies[i].ID < c.Policies[j].ID })
	// Forms are written to <school>/forms/<form>, and `forms --form` finds
	// them by id alone: two policies may not share a form id.
	owner := map[string]*Policy{}
	for _, p := range c.Policies {
		for _, f := range p.Forms {
			if q, ok := owner[f.ID]; ok {
				errs = append(errs, fmt.Errorf("%s: form id %q is also a form of the %s policy (%s)\n\thint: form ids are unique across policies; rename one",
					c.name(p.Dir+"/policy.toml"), f.ID, q.ID, c.name(q.Dir+"/policy.toml")))
				continue
			}
			owner[f.ID] = p
		}
	}
	// A template a policy names explicitly must exist; a section without
	// one of its own (the default path) is a heading over its subsections.
	for _, p := range c.Policies {
		for _, s := range p.Sections {
			if s.explicit {
				if _, err := fs.Stat(fsys, p.Dir+"/"+s.Template); err != nil {
					errs = append(errs, fmt.Errorf("%s: section %q: template %s not found", c.name(p.Dir+"/policy.toml"), s.ID, s.Template))
				}
			}
		}
		for _, a := range p.Appendices {
			if a.Form == "" {
				if _, err := fs.Stat(fsys, p.Dir+"/"+a.Template); err != nil {
					errs = append(errs, fmt.Errorf("%s: appendix %q: template %s not found", c.name(p.Dir+"/policy.toml"), a.ID, a.Template))
				}
			}
		}
	}
	return c, errors.Join(errs...)
}

// name is how messages refer to a catalog file: the trust's path if it
// overrides the file, else "templates/<path> (built-in)".
func (c *Catalog) name(p string) string {
	if c.Override != "" && c.FS.Origin(p) == 0 {
		return path.Join(c.Override, p)
	}
	return "templates/" + p + " (built-in)"
}

// Name is the exported form of name, for other packages' messages.
func (c *Catalog) Name(p string) string { return c.name(p) }

// Policy returns the policy with id, or nil.
func (c *Catalog) Policy(id string) *Policy {
	for _, p := range c.Policies {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// Overrides lists the files of the trust's folder that replace a built-in
// file, and those it adds, slash-separated and sorted.
func (c *Catalog) Overrides() (replaced, added []string, err error) {
	if c.Override == "" || len(c.FS) < 2 {
		return nil, nil, nil
	}
	err = fs.WalkDir(c.FS[0], ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !IsTemplateFile(p) {
			return err
		}
		if _, serr := fs.Stat(c.FS[1], p); serr == nil {
			if a, _ := fs.ReadFile(c.FS[0], p); !bytesEqualFS(c.FS[1], p, a) {
				replaced = append(replaced, p)
			}
		} else {
			added = append(added, p)
		}
		return nil
	})
	return replaced, added, err
}

// IsTemplateFile reports whether a path in the catalog is one a build
// reads: a template, a policy's metadata or a requirements catalogue (not a
// README or an editor's backup).
func IsTemplateFile(p string) bool {
	return strings.HasSuffix(p, ".md.tmpl") || path.Base(p) == "policy.toml" ||
		strings.HasPrefix(p, "standards/") && strings.HasSuffix(p, ".toml")
}

// bytesEqualFS reports whether fsys holds exactly data at p: a trust folder
// that copies a built-in file unchanged does not deviate from it.
func bytesEqualFS(fsys fs.FS, p string, data []byte) bool {
	b, err := fs.ReadFile(fsys, p)
	return err == nil && string(b) == string(data)
}

// TemplateFiles lists every *.md.tmpl file under the policy's folder,
// relative to it, sorted.
func (c *Catalog) TemplateFiles(p *Policy) ([]string, error) {
	var out []string
	err := fs.WalkDir(c.FS, p.Dir, func(fp string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(fp, ".md.tmpl") {
			out = append(out, strings.TrimPrefix(fp, p.Dir+"/"))
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// SharedDir holds the partials every policy can use (the title blocks), at
// the top of the templates folder beside the policies' folders.
const SharedDir = "partials"

// SharedTemplateFiles lists the *.md.tmpl files under SharedDir, relative
// to the top of the catalog (so "partials/title-block.md.tmpl"), sorted. A
// policy's own file of the same name takes its place for that policy.
func (c *Catalog) SharedTemplateFiles() ([]string, error) {
	var out []string
	err := fs.WalkDir(c.FS, SharedDir, func(fp string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(fp, ".md.tmpl") {
			out = append(out, fp)
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	sort.Strings(out)
	return out, err
}

func parsePolicy(file string, data []byte) (*Policy, error) {
	var p Policy
	md, err := toml.Decode(string(data), &p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var errs []string
	for _, k := range md.Undecoded() {
		errs = append(errs, fmt.Sprintf("%s: unknown key %q", file, k.String()))
	}
	if p.ID == "" || !idRe.MatchString(p.ID) {
		errs = append(errs, fmt.Sprintf("%s: id %q must be lowercase letters, digits and hyphens", file, p.ID))
	}
	if p.Title == "" {
		errs = append(errs, fmt.Sprintf("%s: title is required", file))
	}
	seen := map[string]bool{}
	check := func(kind, id string) {
		if !idRe.MatchString(id) {
			errs = append(errs, fmt.Sprintf("%s: %s id %q must be lowercase letters, digits and hyphens", file, kind, id))
		}
		if seen[id] {
			errs = append(errs, fmt.Sprintf("%s: %s id %q is used twice", file, kind, id))
		}
		seen[id] = true
	}
	for i := range p.Sections {
		s := &p.Sections[i]
		check("section", s.ID)
		if s.Level < 1 || s.Level > 3 {
			errs = append(errs, fmt.Sprintf("%s: section %q: level must be 1, 2 or 3", file, s.ID))
		}
		if s.Template == "" {
			s.Template = "sections/" + s.ID + ".md.tmpl"
		} else {
			s.explicit = true
		}
	}
	forms := map[string]bool{}
	for i := range p.Forms {
		f := &p.Forms[i]
		check("form", f.ID)
		forms[f.ID] = true
		if f.Template == "" {
			f.Template = "forms/" + f.ID + ".md.tmpl"
		}
	}
	for i := range p.Appendices {
		a := &p.Appendices[i]
		check("appendix", a.ID)
		switch {
		case a.Form != "" && !forms[a.Form]:
			errs = append(errs, fmt.Sprintf("%s: appendix %q: unknown form %q", file, a.ID, a.Form))
		case a.Form == "" && a.Template == "":
			a.Template = "appendices/" + a.ID + ".md.tmpl"
		}
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	return &p, nil
}
