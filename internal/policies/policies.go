// Package policies finds the policies policypack can build: the built-in
// templates embedded in the binary, overlaid file by file by a trust's own
// templates folder, and each policy's metadata (policy.toml) which names its
// sections, appendices and forms. Policies are data, so a trust adds one
// without recompiling.
package policies

import (
	"testing/fstest"

	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/policypack/policypack/templates"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/ident"
	"github.com/policypack/policypack/internal/infile"
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
	ID      string `toml:"id"`
	Title   string `toml:"title"`
	Subject string `toml:"subject"`
	// Names are other names schools call the policy by ("Safeguarding
	// and child protection policy"): an entry of a school's
	// linked_policies that reads as one of them, or as the title, is
	// this policy.
	Names      []string   `toml:"names"`
	Required   []string   `toml:"required"`
	Sections   []Section  `toml:"sections"`
	Appendices []Appendix `toml:"appendices"`
	Forms      []Form     `toml:"forms"`
	// Facts are the policy's own config keys, which a school sets under
	// [policies.<id>.facts]; the loader checks them and templates read
	// them as .Facts.<name>.
	Facts []config.Fact `toml:"facts"`

	// Dir is the policy's folder in the policy set's file system.
	Dir string `toml:"-"`

	lines *diag.TOMLLines // where each key is written in policy.toml, for errors
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
type Set struct {
	FS       Overlay
	Policies []*Policy // sorted by id
	// Override is the trust's templates folder ("" for none), for messages.
	Override string
}

// Open builds the policy set: the trust's folder (if any) over the built-ins.
func Open(overrideDir string) (*Set, error) {
	layers := Overlay{}
	if overrideDir != "" {
		st, err := os.Stat(overrideDir)
		if err != nil || !st.IsDir() {
			return nil, &diag.Error{File: overrideDir, Msg: "templates folder not found", Hint: "pass --templates with a folder laid out like the built-in templates (see `policypack init`)"}
		}
		snap, err := snapshot(overrideDir)
		if err != nil {
			return nil, err
		}
		layers = append(layers, snap)
	}
	layers = append(layers, templates.FS)
	return New(layers, overrideDir)
}

// Bounds on one file of a trust's templates folder: a template, policy or
// standards file is text of a few kilobytes; a Word reference document
// may carry fonts and pictures.
const (
	MaxFileBytes      = 1 << 20
	MaxReferenceBytes = 32 << 20
)

// snapshot reads every file of a trust's templates folder that a build
// uses (IsTemplateFile) once, into memory: templates, policies and
// standards are then parsed and hashed from the same bytes, and a link
// out of the folder, a FIFO or a device is refused (see infile) instead of
// being followed into /proc/self/environ or blocking the build.
func snapshot(dir string) (fstest.MapFS, error) {
	in, err := infile.Open(dir)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	files, err := in.ReadAll(func(name string) int64 {
		switch {
		case !IsTemplateFile(name):
			return 0
		case strings.HasSuffix(name, ".docx"):
			return MaxReferenceBytes
		}
		return MaxFileBytes
	})
	if err != nil {
		return nil, err
	}
	m := fstest.MapFS{}
	for name, data := range files {
		m[name] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return m, nil
}

// New builds a policy set over an arbitrary file system (tests use fstest.MapFS).
func New(fsys Overlay, overrideDir string) (*Set, error) {
	c := &Set{FS: fsys, Override: overrideDir}
	entries, err := fsys.ReadDir(".")
	if err != nil {
		return nil, err
	}
	var errs diag.List
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
		p, perrs := parsePolicy(c.name(meta), data)
		if perrs != nil {
			errs = append(errs, perrs...)
			continue
		}
		p.Dir = e.Name()
		if p.ID != e.Name() {
			errs = append(errs, &diag.Error{File: c.name(meta), Line: p.lines.Line("id"), Key: "id", Msg: fmt.Sprintf("%q must match its folder name %q", p.ID, e.Name())})
			continue
		}
		c.Policies = append(c.Policies, p)
	}
	sort.Slice(c.Policies, func(i, j int) bool { return c.Policies[i].ID < c.Policies[j].ID })
	// Forms are written to <school>/forms/<form>, and `forms --form` finds
	// them by id alone: two policies may not share a form id.
	owner := map[string]*Policy{}
	for _, p := range c.Policies {
		for i, f := range p.Forms {
			if q, ok := owner[f.ID]; ok {
				errs = append(errs, &diag.Error{File: c.name(p.Dir + "/policy.toml"), Line: p.at("forms", i, "id"), Msg: fmt.Sprintf("form id %q is also a form of the %s policy (%s)", f.ID, q.ID, c.name(q.Dir+"/policy.toml")),
					Hint: "form ids are unique across policies; rename one"})
				continue
			}
			owner[f.ID] = p
		}
	}
	// A template a policy names explicitly must exist; a section without
	// one of its own (the default path) is a heading over its subsections.
	for _, p := range c.Policies {
		for i, s := range p.Sections {
			if s.explicit {
				if _, err := fs.Stat(fsys, p.Dir+"/"+s.Template); err != nil {
					errs = append(errs, &diag.Error{File: c.name(p.Dir + "/policy.toml"), Line: p.at("sections", i, "template"),
						Msg: fmt.Sprintf("section %q: template %s not found", s.ID, s.Template)})
				}
			}
		}
		for i, a := range p.Appendices {
			if a.Form == "" {
				if _, err := fs.Stat(fsys, p.Dir+"/"+a.Template); err != nil {
					errs = append(errs, &diag.Error{File: c.name(p.Dir + "/policy.toml"), Line: p.at("appendices", i, "template"),
						Msg: fmt.Sprintf("appendix %q: template %s not found", a.ID, a.Template)})
				}
			}
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// name is how messages refer to a template file: the trust's path if it
// overrides the file, else "templates/<path> (built-in)".
func (c *Set) name(p string) string {
	if c.Override != "" && c.FS.Origin(p) == 0 {
		return path.Join(c.Override, p)
	}
	return "templates/" + p + " (built-in)"
}

// Name is the exported form of name, for other packages' messages.
func (c *Set) Name(p string) string { return c.name(p) }

// Facts lists every policy's declared facts, in policy order, for the
// config loader, the JSON Schema, the scaffold and the reference.
func (c *Set) Facts() []config.PolicyFacts {
	out := make([]config.PolicyFacts, 0, len(c.Policies))
	for _, p := range c.Policies {
		out = append(out, config.PolicyFacts{ID: p.ID, Title: p.Title, Facts: p.Facts})
	}
	return out
}

// Policy returns the policy with id, or nil.
func (c *Set) Policy(id string) *Policy {
	for _, p := range c.Policies {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// Overrides lists the files of the trust's folder that replace a built-in
// file, and those it adds, slash-separated and sorted.
func (c *Set) Overrides() (replaced, added []string, err error) {
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

// IsTemplateFile reports whether a path in the policy set is one a build
// reads: a template, a policy's metadata, a requirements catalogue or the
// Word reference document whose styles Word output takes (not a README or
// an editor's backup).
func IsTemplateFile(p string) bool {
	return strings.HasSuffix(p, ".md.tmpl") || path.Base(p) == "policy.toml" || p == "reference.docx" ||
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
func (c *Set) TemplateFiles(p *Policy) ([]string, error) {
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
// to the top of the policy set (so "partials/title-block.md.tmpl"), sorted. A
// policy's own file of the same name takes its place for that policy.
func (c *Set) SharedTemplateFiles() ([]string, error) {
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

// policyKeys lists the keys each table of a policy.toml accepts.
func policyKeys(parent toml.Key) []string {
	switch parent.String() {
	case "":
		return diag.TOMLKeys[Policy]()
	case "sections":
		return diag.TOMLKeys[Section]()
	case "appendices":
		return diag.TOMLKeys[Appendix]()
	case "forms":
		return diag.TOMLKeys[Form]()
	case "facts":
		return diag.TOMLKeys[config.Fact]()
	}
	return nil
}

// at returns the line of key in the nth element of table, else the line of
// that element's header.
func (p *Policy) at(table string, nth int, key string) int {
	return cmp.Or(p.lines.In(table, nth, key), p.lines.Header(table, nth))
}

func parsePolicy(file string, data []byte) (*Policy, diag.List) {
	if e := diag.TOMLDepth(file, data); e != nil {
		return nil, diag.List{e}
	}
	p := Policy{lines: diag.ScanTOML(data)}
	md, err := toml.Decode(string(data), &p)
	if err != nil {
		return nil, diag.List{diag.TOML(file, err)}
	}
	errs := diag.UnknownKeys(file, md, p.lines, policyKeys)
	add := func(line int, key, format string, args ...any) {
		errs = append(errs, &diag.Error{File: file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	if p.ID == "" || !ident.Valid(p.ID) {
		add(p.lines.Line("id"), "id", "%q must be lowercase letters, digits and hyphens", p.ID)
	}
	if p.Title == "" {
		add(p.lines.Line("title"), "title", "is required")
	}
	seen := map[string]bool{}
	check := func(table string, i int, kind, id string) {
		if !ident.Valid(id) {
			add(p.at(table, i, "id"), "", "%s id %q must be lowercase letters, digits and hyphens", kind, id)
		}
		if seen[id] {
			add(p.at(table, i, "id"), "", "%s id %q is used twice", kind, id)
		}
		seen[id] = true
	}
	for i := range p.Sections {
		s := &p.Sections[i]
		check("sections", i, "section", s.ID)
		if s.Level < 1 || s.Level > 3 {
			add(p.at("sections", i, "level"), "", "section %q: level must be 1, 2 or 3", s.ID)
		}
		if s.Template == "" {
			s.Template = "sections/" + s.ID + ".md.tmpl"
		} else {
			s.explicit = true
		}
	}
	names := map[string]bool{}
	for i, f := range p.Facts {
		if names[f.Name] {
			add(p.at("facts", i, "name"), "", "fact %q is declared twice", f.Name)
		}
		names[f.Name] = true
		for _, pr := range config.CheckFact(f) {
			errs = append(errs, &diag.Error{File: file, Line: p.at("facts", i, pr.Key), Msg: fmt.Sprintf("fact %q: %s: %s", f.Name, pr.Key, pr.Msg), Hint: pr.Hint})
		}
	}
	forms := map[string]bool{}
	for i := range p.Forms {
		f := &p.Forms[i]
		check("forms", i, "form", f.ID)
		forms[f.ID] = true
		if f.Template == "" {
			f.Template = "forms/" + f.ID + ".md.tmpl"
		}
	}
	for i := range p.Appendices {
		a := &p.Appendices[i]
		check("appendices", i, "appendix", a.ID)
		switch {
		case a.Form != "" && !forms[a.Form]:
			add(p.at("appendices", i, "form"), "", "appendix %q: unknown form %q", a.ID, a.Form)
		case a.Form == "" && a.Template == "":
			a.Template = "appendices/" + a.ID + ".md.tmpl"
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return &p, nil
}
