// Package compose executes a policy's templates for one school and returns
// each document (the policy, its forms) as a Markdown body and, beside it in
// markdown.Meta, its front matter as data: the title block (from a shared,
// overridable partial), the contents entries, the record and the review
// state. It is the only step that sees both the school config and the
// templates; everything after it works from the body and that data alone.
package compose

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"text/template"
	"text/template/parse"
	"time"

	"github.com/yuin/goldmark/ast"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/markdown"
	"github.com/policypack/policypack/internal/policies"
	"github.com/policypack/policypack/internal/review"
)

// Data is the dot in every template.
type Data struct {
	School  *config.School
	Policy  PolicyData
	Section SectionData
	Form    FormData
	Pupil   Pupil
}

// PolicyData is the review position and identity of the policy being built.
type PolicyData struct {
	ID           string
	Title        string
	Version      string
	ApprovedBy   string
	ApprovedOn   config.Date
	LastReviewed config.Date
	NextReview   config.Date
	History      []config.HistoryEntry
	// AgreedBy is who agreed the policy before its approval ("" when the
	// school records no one).
	AgreedBy string
	Overdue  bool
	Review   review.Status
	// State is the policy's approval and review state, for the title
	// blocks (and the renderers, through Meta).
	State markdown.State
	// Facts are the school's values of the facts the policy declares
	// (policy.toml's [[facts]]), every declared one present: a fact the
	// school leaves out is its default, else empty.
	Facts map[string]any
}

// Facts is the policy's declared facts, so templates write
// {{ .Facts.phones_storage }}.
func (d Data) Facts() map[string]any { return d.Policy.Facts }

// Notice is the headline a policy's title block shows for a draft or a
// review that has come ("Review overdue since 24 May 2024"), or "".
func (p PolicyData) Notice() string { return p.State.Notice(p.NextReview.String()) }

// NoticeAction is the sentence that follows a notice.
func (p PolicyData) NoticeAction() string { return p.State.Action(p.Noun()) }

// Draft reports whether no approval has been recorded: no sentence may then
// claim one.
func (p PolicyData) Draft() bool { return p.State == markdown.StateDraft }

// Noun is the policy's own word for itself, the last word of its title
// ("Online Safety Procedure" calls itself "this procedure").
func (p PolicyData) Noun() string { return nounOf(p.Title) }

func nounOf(title string) string {
	f := strings.Fields(title)
	if len(f) == 0 {
		return "policy"
	}
	return strings.ToLower(f[len(f)-1])
}

// stateOf reads the policy's state. A policy is a draft until an approval
// date (or a review date) is recorded, whatever its review dates say: a
// draft cannot be overdue in its own text, though `due` and the dashboard
// still report its review date. Otherwise the review dates decide.
func stateOf(pc config.PolicyConfig, st review.Status) markdown.State {
	if pc.ApprovedOn.IsZero() && pc.LastReviewed.IsZero() {
		return markdown.StateDraft
	}
	switch st.State {
	case review.Overdue:
		return markdown.StateOverdue
	case review.Due:
		return markdown.StateDueToday
	case review.DueSoon:
		return markdown.StateDueSoon
	}
	return markdown.StateApproved
}

// SectionData identifies the section being rendered.
type SectionData struct {
	ID, Title, Number string
}

// FormData identifies the form being rendered.
type FormData struct {
	ID, Title string
}

// Pupil pre-fills a form from a roster; all fields are empty on blank forms.
type Pupil struct {
	Name, Forename, Surname, Year, Class string
}

// Output is one composed document.
type Output struct {
	Policy   *policies.Policy
	Kind     string        // "policy" or "form"
	ID       string        // policy id, or form id
	Path     string        // output path without extension, relative to the school's folder
	Markdown []byte        // the body only; the front matter is in Meta.Front
	Meta     markdown.Meta // what markdown.Parse needs beside the body
	Review   review.Status
	// Sections lists the policy's sections as built for this school (kind
	// "policy" only), for the coverage report and `check`'s deviation report.
	Sections []BuiltSection
	// Dangling lists, once per reference, the ids of sections the text
	// refers to (xref) that this school omitted or that render nothing.
	Dangling []string
}

// BuiltSection records what became of one template section for a school.
type BuiltSection struct {
	ID       string
	Title    string
	Number   string
	Omitted  bool     // omitted by the school (or under an omitted parent)
	ByParent bool     // omitted because an enclosing section was
	Empty    bool     // rendered nothing for this school (e.g. a key stage not taught)
	Replaced bool     // text replaced by the school
	Appended bool     // text added by the school
	Meets    []string // requirement ids this section meets as built
}

// Composer holds each policy's parsed templates; it is safe for concurrent
// use because every document executes on its own clone.
type Composer struct {
	cat     *policies.Set
	sets    map[string]*template.Template
	asOf    config.Date
	Creator string
	// SourceDate dates every document's file metadata when set (the
	// build's SOURCE_DATE_EPOCH); zero leaves each policy's own date.
	SourceDate time.Time
}

// New parses every policy's templates once.
func New(cat *policies.Set, asOf config.Date) (*Composer, error) {
	c := &Composer{cat: cat, sets: map[string]*template.Template{}, asOf: asOf, Creator: "policypack"}
	var errs []error
	shared, err := cat.SharedTemplateFiles()
	if err != nil {
		return nil, err
	}
	for _, p := range cat.Policies {
		files, err := cat.TemplateFiles(p)
		if err != nil {
			return nil, err
		}
		set := template.New(p.ID).Option("missingkey=error").Funcs(baseFuncs())
		for _, f := range shared {
			if slices.Contains(files, f) {
				continue // the policy's own file of that name wins
			}
			src, err := cat.FS.ReadFile(f)
			if err != nil {
				return nil, err
			}
			if _, err := set.New(f).Parse(string(src)); err != nil {
				errs = append(errs, templateError(cat, p, f, err))
			}
		}
		for _, f := range files {
			src, err := cat.FS.ReadFile(p.Dir + "/" + f)
			if err != nil {
				return nil, err
			}
			if _, err := set.New(f).Parse(string(src)); err != nil {
				errs = append(errs, templateError(cat, p, f, err))
			}
		}
		errs = append(errs, hidden(cat, p, set)...)
		addEscapers(set)
		c.sets[p.ID] = set
		for _, name := range []string{titleBlockPartial, formTitleBlockPartial} {
			if set.Lookup(name) == nil {
				errs = append(errs, fmt.Errorf("%s: template %s not found (neither shared nor the policy's own)", cat.Name(p.Dir+"/policy.toml"), name))
			}
		}
		for _, f := range p.Forms {
			if set.Lookup(f.Template) == nil {
				errs = append(errs, fmt.Errorf("%s: form %q: template %s not found", cat.Name(p.Dir+"/policy.toml"), f.ID, f.Template))
			}
		}
	}
	return c, errors.Join(errs...)
}

// School composes every document of every policy for one school.
func (c *Composer) School(s *config.School) ([]Output, error) {
	var outs []Output
	var errs []error
	for _, p := range c.cat.Policies {
		if !s.Has(p.ID) {
			continue
		}
		o, err := c.Policy(s, p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		outs = append(outs, o)
		for _, f := range p.Forms {
			fo, err := c.Form(s, p, f.ID, Pupil{})
			if err != nil {
				errs = append(errs, err)
				continue
			}
			outs = append(outs, fo)
		}
	}
	if err := unknownPolicies(s, c.cat); err != nil {
		errs = append(errs, err)
	}
	return outs, errors.Join(errs...)
}

// unknownPolicies reports [policies.<id>] tables that name no policy.
func unknownPolicies(s *config.School, cat *policies.Set) error {
	var errs config.Errors
	pids := make([]string, 0, len(s.Policies))
	for pid := range s.Policies {
		pids = append(pids, pid)
	}
	sort.Strings(pids)
	var ids []string
	for _, p := range cat.Policies {
		ids = append(ids, p.ID)
	}
	for _, pid := range pids {
		if cat.Policy(pid) == nil {
			file, line := s.Source.Pos("policies." + pid)
			errs = append(errs, &config.Error{File: file, Line: line, Key: "policies." + pid, Msg: "unknown policy", Hint: hintFor(pid, ids, "policies")})
		}
	}
	return errs.Err()
}

// CheckSchool checks what a school's config says about the policy set's
// policies without composing anything: the ids it refers to (CheckRefs) and
// each policy's required keys.
func CheckSchool(s *config.School, cat *policies.Set) error {
	errs := asErrors(s, CheckRefs(s, cat))
	for _, p := range cat.Policies {
		if s.Has(p.ID) {
			errs = append(errs, asErrors(s, checkRequired(s, p))...)
		}
	}
	return errs.Err()
}

// CheckRefs checks the policy, section and appendix ids a school's config
// names. Commands that never compose (due) call it, so a mistyped id cannot
// quietly hide a policy from them.
func CheckRefs(s *config.School, cat *policies.Set) error {
	errs := asErrors(s, unknownPolicies(s, cat))
	for _, p := range cat.Policies {
		pc := s.Policies[p.ID]
		errs = append(errs, asErrors(s, checkOverrides(s, p, pc))...)
		_, err := orderAppendices(s, p, pc.AppendixOrder)
		errs = append(errs, asErrors(s, err)...)
	}
	return errs.Err()
}

func asErrors(s *config.School, err error) config.Errors {
	var es config.Errors
	switch {
	case err == nil:
		return nil
	case errors.As(err, &es):
		return es
	}
	return config.Errors{{File: s.Source.File(), Msg: err.Error()}}
}

func hintFor(got string, ids []string, what string) string {
	if h := diag.DidYouMean(got, ids); h != "" {
		return h
	}
	return what + ": " + strings.Join(ids, ", ")
}

func (c *Composer) policyData(s *config.School, p *policies.Policy) PolicyData {
	pc := s.Policies[p.ID]
	st := review.Of(pc, c.asOf, review.DefaultWindowDays)
	title := p.Title
	if pc.Title != "" {
		title = pc.Title
	}
	return PolicyData{
		ID: p.ID, Title: title, Version: pc.Version, ApprovedBy: pc.ApprovedBy,
		ApprovedOn: pc.ApprovedOn, LastReviewed: pc.LastReviewed, NextReview: st.Next,
		History: pc.History, AgreedBy: pc.AgreedBy, Overdue: st.State == review.Overdue, Review: st, State: stateOf(pc, st),
		Facts: markFacts(s, p, config.TypedFacts(pc.Facts, p.Facts)),
	}
}

func (c *Composer) meta(s *config.School, pd PolicyData, subject string) markdown.Meta {
	created := c.SourceDate
	if created.IsZero() {
		date := pd.ApprovedOn
		if !pd.LastReviewed.IsZero() {
			date = pd.LastReviewed
		}
		if !date.IsZero() {
			created = date.Time()
		}
	}
	return markdown.Meta{
		School: s.Name, Title: pd.Title, Subject: subject, Version: pd.Version,
		ApprovedBy: pd.ApprovedBy, ApprovedOn: pd.ApprovedOn.String(), LastReviewed: pd.LastReviewed.String(),
		NextReview: pd.NextReview.String(), State: pd.State, Noun: pd.Noun(), Lang: "en-GB",
		Creator: c.Creator, Created: created,
	}
}

// exec runs one named template on a fresh clone bound to this school.
type execer struct {
	set    *template.Template
	cat    *policies.Set
	policy *policies.Policy
	school *config.School
}

func (c *Composer) execer(s *config.School, p *policies.Policy, pupil Pupil) (*execer, error) {
	set, err := c.sets[p.ID].Clone()
	if err != nil {
		return nil, err
	}
	st := &state{school: s, pupil: pupil, cat: c.cat}
	set.Funcs(st.funcs())
	return &execer{set: set, cat: c.cat, policy: p, school: s}, nil
}

// Budgets of one template execution. A trust's template is code: it can
// loop without end or print gigabytes. A policy's longest document is a
// few hundred kilobytes, made in milliseconds.
const MaxOutput = 8 << 20

// execTime is the time budget of one execution (a variable so tests can
// shorten it).
var execTime = 10 * time.Second

// budget is the writer a template executes into: it fails the execution
// once the output passes MaxOutput or the time is up, so a runaway
// template stops at its next write.
type budget struct {
	buf      bytes.Buffer
	deadline time.Time
	stopped  atomic.Bool
}

var (
	errTooLong = fmt.Errorf("the template wrote more than %d MiB", MaxOutput>>20)
	errTooSlow = errors.New("the template ran for too long (over 10 s)")
)

func (b *budget) Write(p []byte) (int, error) {
	if b.stopped.Load() || time.Now().After(b.deadline) {
		return 0, errTooSlow
	}
	if b.buf.Len()+len(p) > MaxOutput {
		return 0, errTooLong
	}
	return b.buf.Write(p)
}

func (e *execer) run(name string, data Data) (string, error) {
	b := &budget{deadline: time.Now().Add(execTime)}
	done := make(chan error, 1)
	go func() { done <- e.set.ExecuteTemplate(b, name, data) }()
	var err error
	select {
	case err = <-done:
	case <-time.After(execTime):
		// A loop that writes nothing cannot be interrupted: abandon it (it
		// stops at its next write) and report the template.
		b.stopped.Store(true)
		err = errTooSlow
	}
	if err != nil {
		if errors.Is(err, errTooLong) || errors.Is(err, errTooSlow) {
			cause := errTooLong
			if errors.Is(err, errTooSlow) {
				cause = errTooSlow
			}
			return "", &TemplateError{School: e.school, Diag: &diag.Error{File: e.cat.Name(templateFile(e.cat, e.policy, name)), Err: cause,
				Msg: cause.Error(), Hint: "look for a loop without end or a value repeated without bound in this template or a partial it calls"}}
		}
		d := templateError(e.cat, e.policy, name, err)
		friendly(d)
		return "", &TemplateError{School: e.school, Diag: d}
	}
	return b.buf.String(), nil
}

// hidden reports every use in the policy's templates of a field a template
// must not read: .Source (on a school, it is where the build machine keeps
// the configs; its methods print absolute paths).
func hidden(cat *policies.Set, p *policies.Policy, set *template.Template) []error {
	var errs []error
	for _, t := range set.Templates() {
		if t.Tree == nil || t.Tree.Root == nil {
			continue
		}
		tree := t.Tree
		walkNodes(tree.Root, func(n parse.Node) {
			var idents []string
			switch n := n.(type) {
			case *parse.FieldNode:
				idents = n.Ident
			case *parse.ChainNode:
				idents = n.Field
			case *parse.VariableNode:
				idents = n.Ident[1:]
			}
			if slices.Contains(idents, "Source") {
				loc, _ := tree.ErrorContext(n)
				_, line := splitLoc(loc)
				errs = append(errs, &diag.Error{File: cat.Name(templateFile(cat, p, t.Name())), Line: line, Msg: ".Source is not available to templates",
					Hint: "it holds the build machine's paths, which a published policy must not show"})
			}
		})
	}
	return errs
}

// splitLoc splits text/template's "name:line:col" location.
func splitLoc(loc string) (string, int) {
	parts := strings.Split(loc, ":")
	if len(parts) < 3 {
		return loc, 0
	}
	line, _ := strconv.Atoi(parts[len(parts)-2])
	return strings.Join(parts[:len(parts)-2], ":"), line
}

// walkNodes calls fn on every node under n.
func walkNodes(n parse.Node, fn func(parse.Node)) {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return
	}
	fn(n)
	switch n := n.(type) {
	case *parse.ListNode:
		for _, c := range n.Nodes {
			walkNodes(c, fn)
		}
	case *parse.ActionNode:
		walkNodes(n.Pipe, fn)
	case *parse.PipeNode:
		for _, c := range n.Cmds {
			walkNodes(c, fn)
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			walkNodes(a, fn)
		}
	case *parse.ChainNode:
		walkNodes(n.Node, fn)
	case *parse.IfNode:
		walkNodes(n.Pipe, fn)
		walkNodes(n.List, fn)
		walkNodes(n.ElseList, fn)
	case *parse.RangeNode:
		walkNodes(n.Pipe, fn)
		walkNodes(n.List, fn)
		walkNodes(n.ElseList, fn)
	case *parse.WithNode:
		walkNodes(n.Pipe, fn)
		walkNodes(n.List, fn)
		walkNodes(n.ElseList, fn)
	case *parse.TemplateNode:
		walkNodes(n.Pipe, fn)
	}
}

// templateError names the file a template error happened in (a partial,
// perhaps, not the template that was run) the way the user knows it: the
// trust's path for an override, templates/... for a built-in.
func templateError(cat *policies.Set, p *policies.Policy, name string, err error) *diag.Error {
	d, ok := diag.Template(err)
	if !ok {
		return &diag.Error{File: cat.Name(templateFile(cat, p, name)), Msg: err.Error(), Err: err}
	}
	d.File = cat.Name(templateFile(cat, p, d.File))
	if m := undeclaredFact.FindStringSubmatch(d.Msg); m != nil && d.Hint == "" {
		var names []string
		for _, f := range p.Facts {
			names = append(names, f.Name)
		}
		d.Hint = cmp.Or(diag.DidYouMean(m[1], names),
			fmt.Sprintf("the %s policy declares no fact %q: add a [[facts]] entry for it to %s", p.ID, m[1], cat.Name(p.Dir+"/policy.toml")))
	}
	return d
}

// undeclaredFact finds a template's read of a fact its policy does not
// declare, in text/template's message.
var undeclaredFact = regexp.MustCompile(`<\.(?:Policy\.)?Facts\.(\w+)>: map has no entry for key`)

// templateFile is the policy set path of a template: the policy's own file,
// else a shared partial of that name.
func templateFile(cat *policies.Set, p *policies.Policy, name string) string {
	own := p.Dir + "/" + name
	if _, err := fs.Stat(cat.FS, own); err != nil && strings.HasPrefix(name, policies.SharedDir+"/") {
		return name
	}
	return own
}

// Policy composes a school's policy document: its body (numbered sections,
// then appendices) as Markdown, and its front matter (title block, record,
// state, contents) as data in Meta.
func (c *Composer) Policy(s *config.School, p *policies.Policy) (Output, error) {
	s = markUnconfirmed(s)
	pd := c.policyData(s, p)
	pc := s.Policies[p.ID]
	ex, err := c.execer(s, p, Pupil{})
	if err != nil {
		return Output{}, err
	}
	if err := checkRequired(s, p); err != nil {
		return Output{}, err
	}
	if err := checkOverrides(s, p, pc); err != nil {
		return Output{}, err
	}
	appendices, err := orderAppendices(s, p, pc.AppendixOrder)
	if err != nil {
		return Output{}, err
	}
	for i, a := range appendices {
		if appendices[i].Title, err = ex.titleOf(a.ID, a.Title, Data{School: s, Policy: pd}); err != nil {
			return Output{}, err
		}
	}
	built, bodies, err := ex.sections(pd, pc)
	if err != nil {
		return Output{}, err
	}
	kept := keepAndNumber(p, built, bodies)
	entries := contentsEntries(p, built, kept, appendices, pc.AppendixNumbering)

	var md strings.Builder
	byID := map[string]markdown.Entry{}
	for _, e := range entries {
		byID[e.ID] = e
	}
	for i, sec := range p.Sections {
		if !kept[i] {
			continue
		}
		e, ok := byID[sec.ID]
		if !ok { // a level 3 section: a heading, unnumbered
			e = markdown.Entry{ID: sec.ID, Title: built[i].Title}
		}
		fmt.Fprintf(&md, "%s %s {#%s}\n\n", strings.Repeat("#", sec.Level+1), e.MarkdownLabel(), sec.ID)
		if bodies[i] != "" {
			md.WriteString(bodies[i])
			md.WriteString("\n\n")
		}
	}
	if err := ex.appendices(&md, pd, appendices, byID); err != nil {
		return Output{}, err
	}

	numbers := map[string]SectionData{}
	for _, e := range entries {
		numbers[e.ID] = SectionData{ID: e.ID, Title: e.Title, Number: e.Number}
		if e.Appendix {
			numbers[e.ID] = SectionData{ID: e.ID, Title: e.Title, Number: "Appendix " + e.Number}
		}
	}
	for i, b := range built {
		if _, ok := numbers[b.ID]; kept[i] && !ok {
			numbers[b.ID] = SectionData{ID: b.ID, Title: b.Title}
		}
	}
	titles := map[string]string{}
	for _, b := range built {
		titles[b.ID] = b.Title
	}
	text, dangling, err := resolveXrefs(md.String(), numbers, titles, pd.Noun(), p, s)
	if err != nil {
		return Output{}, err
	}
	text = showUnconfirmed(s, text)
	title, err := ex.run(titleBlockPartial, Data{School: s, Policy: pd})
	if err != nil {
		return Output{}, err
	}
	meta := c.meta(s, pd, p.Subject)
	meta.Path = p.ID
	meta.Front = markdown.Front{TitleBlock: []byte(showUnconfirmed(s, strings.TrimSpace(title)) + "\n"), Contents: entries}
	if err := checkOutput(string(meta.Front.TitleBlock)+text, s, p.ID); err != nil {
		return Output{}, err
	}
	if err := c.checkPolicyLinks(string(meta.Front.TitleBlock)+text, s, p.ID); err != nil {
		return Output{}, err
	}
	return Output{
		Policy: p, Kind: "policy", ID: p.ID, Path: p.ID, Markdown: []byte(text),
		Meta: meta, Review: pd.Review, Sections: built, Dangling: dangling,
	}, nil
}

// titleOf runs a section's, appendix's or form's title when it is itself a
// template (naming a role or the school's word for its agreements); its
// text is escaped where the heading is written, like any title.
func (e *execer) titleOf(id, src string, data Data) (string, error) {
	if !strings.Contains(src, "{{") {
		return src, nil
	}
	name := "title:" + id
	if _, err := e.set.New(name).Parse(src); err != nil {
		return "", fmt.Errorf("templates/%s/policy.toml: section %q: title: %w", e.policy.Dir, id, err)
	}
	var buf bytes.Buffer
	if err := e.set.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("templates/%s/policy.toml: section %q: title: %w", e.policy.Dir, id, err)
	}
	return ucfirstString(strings.TrimSpace(showUnconfirmed(e.school, buf.String()))), nil
}

// The title blocks are shared partials (templates/partials/), so a trust
// rewords every policy's title block with one file; a policy may still
// carry its own under its folder.
const (
	titleBlockPartial     = "partials/title-block.md.tmpl"
	formTitleBlockPartial = "partials/form-title-block.md.tmpl"
)

// sections runs each section's template (or the school's replacement text)
// and records what became of it; a section under an omitted one is omitted
// with it. bodies[i] is section i's trimmed text.
func (e *execer) sections(pd PolicyData, pc config.PolicyConfig) (built []BuiltSection, bodies []string, err error) {
	p, s := e.policy, e.school
	built = make([]BuiltSection, len(p.Sections))
	bodies = make([]string, len(p.Sections))
	var errs []error
	omitUntil := -1 // level of an omitted ancestor, or -1
	for i, sec := range p.Sections {
		b := &built[i]
		b.ID, b.Title = sec.ID, sec.Title
		// A heading that names a role names it as the school does
		// ("The {{ .School.Roles.DSL }}"), so heading and text agree.
		t, err := e.titleOf(sec.ID, sec.Title, Data{School: s, Policy: pd})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		b.Title = t
		ov := pc.Sections[sec.ID]
		if ov.Title != "" {
			b.Title = ov.Title
		}
		if omitUntil >= 0 && sec.Level > omitUntil {
			b.Omitted, b.ByParent = true, true
			continue
		}
		omitUntil = -1
		if ov.Omit {
			b.Omitted = true
			omitUntil = sec.Level
			continue
		}
		body := ""
		b.Meets = slices.Clone(sec.Meets)
		switch {
		case ov.Replace != "":
			body = ov.Replace
			b.Replaced = true
			b.Meets = slices.Clone(ov.Meets)
		case e.set.Lookup(sec.Template) != nil:
			out, err := e.run(sec.Template, Data{School: s, Policy: pd, Section: SectionData{ID: sec.ID, Title: b.Title}})
			if err != nil {
				errs = append(errs, err)
				continue
			}
			// The rule a school's own text obeys holds for a template too:
			// compose writes the numbered headings; one of the template's
			// own would break the numbering and the contents.
			if msg := headingProblem(out); msg != "" {
				errs = append(errs, e.headingError(sec, msg))
				continue
			}
			body = out
		}
		if ov.Append != "" {
			body = strings.TrimRight(body, "\n") + "\n\n" + ov.Append
			b.Appended = true
		}
		bodies[i] = strings.TrimSpace(body)
	}
	return built, bodies, errors.Join(errs...)
}

// keepAndNumber keeps a section when it has text or a kept subsection,
// marks the others empty, and numbers the kept sections of levels 1 and 2.
func keepAndNumber(p *policies.Policy, built []BuiltSection, bodies []string) []bool {
	n := len(p.Sections)
	kept := make([]bool, n)
	for i := n - 1; i >= 0; i-- {
		if built[i].Omitted {
			continue
		}
		kept[i] = bodies[i] != ""
		for j := i + 1; j < n && p.Sections[j].Level > p.Sections[i].Level; j++ {
			if kept[j] {
				kept[i] = true
				break
			}
		}
		if !kept[i] {
			built[i].Empty = true
			built[i].Meets = nil
		}
	}
	var n1, n2 int
	for i, sec := range p.Sections {
		if !kept[i] {
			continue
		}
		switch sec.Level {
		case 1:
			n1++
			n2 = 0
			built[i].Number = strconv.Itoa(n1)
		case 2:
			n2++
			built[i].Number = fmt.Sprintf("%d.%d", n1, n2)
		}
	}
	return kept
}

// contentsEntries lists the kept sections of levels 1 and 2 and then the
// appendices, labelled A, B, ... or 1, 2, ... as the school asks.
func contentsEntries(p *policies.Policy, built []BuiltSection, kept []bool, appendices []policies.Appendix, numbering string) []markdown.Entry {
	var out []markdown.Entry
	for i, sec := range p.Sections {
		if kept[i] && sec.Level <= 2 {
			out = append(out, markdown.Entry{ID: sec.ID, Number: built[i].Number, Title: built[i].Title, Level: sec.Level})
		}
	}
	for i, a := range appendices {
		num := string(rune('A' + i))
		if numbering == "numbers" {
			num = strconv.Itoa(i + 1)
		}
		out = append(out, markdown.Entry{ID: a.ID, Number: num, Title: a.Title, Level: 1, Appendix: true})
	}
	return out
}

// appendices writes each appendix on a new page under its labelled heading.
func (e *execer) appendices(md *strings.Builder, pd PolicyData, appendices []policies.Appendix, byID map[string]markdown.Entry) error {
	var errs []error
	for _, a := range appendices {
		var body string
		var err error
		if a.Form != "" {
			f := e.policy.Form(a.Form)
			body, err = e.run(f.Template, Data{School: e.school, Policy: pd, Form: FormData{ID: f.ID, Title: a.Title}})
		} else {
			body, err = e.run(a.Template, Data{School: e.school, Policy: pd})
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		fmt.Fprintf(md, "%s\n\n## %s {#%s}\n\n%s\n\n", markdown.PageBreakMarker, byID[a.ID].MarkdownLabel(), a.ID, strings.TrimSpace(body))
	}
	return errors.Join(errs...)
}

// orderAppendices puts the appendices the school lists first, in its order,
// and the rest after them in the policy's order.
func orderAppendices(s *config.School, p *policies.Policy, order []string) ([]policies.Appendix, error) {
	var out []policies.Appendix
	used := map[string]bool{}
	var errs config.Errors
	var ids []string
	for _, a := range p.Appendices {
		ids = append(ids, a.ID)
	}
	for i, id := range order {
		found := false
		for _, a := range p.Appendices {
			if a.ID == id && !used[id] {
				out = append(out, a)
				used[id], found = true, true
			}
		}
		if !found {
			key := "policies." + p.ID + ".appendix_order"
			file, line := s.Source.Pos(key)
			errs = append(errs, &config.Error{File: file, Line: line, Key: fmt.Sprintf("%s[%d]", key, i),
				Msg: fmt.Sprintf("no appendix %q in the %s policy (or listed twice)", id, p.ID), Hint: hintFor(id, ids, "appendices")})
		}
	}
	for _, a := range p.Appendices {
		if !used[a.ID] {
			out = append(out, a)
		}
	}
	return out, errs.Err()
}

// Form composes one standalone form, pre-filled for pupil (zero for blank).
func (c *Composer) Form(s *config.School, p *policies.Policy, formID string, pupil Pupil) (Output, error) {
	f := p.Form(formID)
	if f == nil {
		var ids []string
		for _, f := range p.Forms {
			ids = append(ids, f.ID)
		}
		return Output{}, &diag.Error{Msg: fmt.Sprintf("unknown form %q", formID), Hint: hintFor(formID, ids, "forms")}
	}
	s = markUnconfirmed(s)
	pd := c.policyData(s, p)
	ex, err := c.execer(s, p, pupil)
	if err != nil {
		return Output{}, err
	}
	ftitle, err := ex.titleOf(f.ID, f.Title, Data{School: s, Policy: pd})
	if err != nil {
		return Output{}, err
	}
	body, err := ex.run(f.Template, Data{School: s, Policy: pd, Form: FormData{ID: f.ID, Title: ftitle}, Pupil: pupil})
	if err != nil {
		return Output{}, err
	}
	title, err := ex.run(formTitleBlockPartial, Data{School: s, Policy: pd, Form: FormData{ID: f.ID, Title: ftitle}})
	if err != nil {
		return Output{}, err
	}
	text := strings.TrimSpace(body) + "\n"
	numbers := map[string]SectionData{}
	titles := map[string]string{}
	for _, sec := range p.Sections {
		if titles[sec.ID], err = ex.titleOf(sec.ID, sec.Title, Data{School: s, Policy: pd}); err != nil {
			return Output{}, err
		}
	}
	text, _, err = resolveXrefs(text, numbers, titles, pd.Noun(), p, s)
	if err != nil {
		return Output{}, err
	}
	text = showUnconfirmed(s, text)
	meta := c.meta(s, pd, ftitle+" ("+pd.Title+")")
	meta.Title = ftitle
	meta.Form = true
	meta.QR = s.Website
	meta.Path = "forms/" + f.ID
	meta.Front = markdown.Front{TitleBlock: []byte(showUnconfirmed(s, strings.TrimSpace(title)) + "\n")}
	if err := checkOutput(string(meta.Front.TitleBlock)+text, s, p.ID); err != nil {
		return Output{}, err
	}
	if err := c.checkPolicyLinks(string(meta.Front.TitleBlock)+text, s, p.ID); err != nil {
		return Output{}, err
	}
	return Output{Policy: p, Kind: "form", ID: f.ID, Path: "forms/" + f.ID, Markdown: []byte(text), Meta: meta, Review: pd.Review}, nil
}

var xrefRe = regexp.MustCompile("\x00xref:([^\x00]*)\x00xref:")

// resolveXrefs links each xref to its section's number; a section the
// school omitted (or that is empty) is named in words, by its title as
// built for this school (titles) and the document's noun.
func resolveXrefs(text string, numbers map[string]SectionData, titles map[string]string, noun string, p *policies.Policy, s *config.School) (string, []string, error) {
	var errs []error
	var dangling []string
	out := xrefRe.ReplaceAllStringFunc(text, func(m string) string {
		id := xrefRe.FindStringSubmatch(m)[1]
		sd, ok := numbers[id]
		if !ok {
			if p.Section(id) != nil {
				// The section exists but this school omitted it or it is empty:
				// refer to it by name rather than leave a dead link, and let
				// check tell the school its text still refers to it.
				dangling = append(dangling, id)
				// "the filtering and monitoring section"; a title that
				// names a role keeps the school's capitals ("the
				// Designated Safeguarding Lead section"), without a
				// second "the".
				t := titles[id]
				if rest, ok := strings.CutPrefix(t, "The "); ok {
					t = rest
				} else {
					t = strings.ToLower(t)
				}
				return "the " + EscapeMarkdown(t) + " section of this " + noun
			}
			errs = append(errs, &diag.Error{File: s.Source.File(), Key: "xref", Msg: fmt.Sprintf("unknown section %q", id), Hint: hintFor(id, p.SectionIDs(), "sections")})
			return ""
		}
		// A no-break space keeps "section 14" and "appendix B" on one line.
		label := "section\u00a0" + sd.Number
		if n, ok := strings.CutPrefix(sd.Number, "Appendix "); ok {
			label = "appendix\u00a0" + n
		} else if sd.Number == "" {
			label = "“" + EscapeMarkdown(sd.Title) + "”"
		}
		return "[" + label + "](#" + id + ")"
	})
	return out, dangling, errors.Join(errs...)
}

// policyLinkRe finds links to other policies in composed Markdown,
// whatever follows the scheme, so a malformed one is reported too.
var policyLinkRe = regexp.MustCompile(`\]\(` + markdown.PolicyScheme + `([^)\s]*)\)`)

// checkPolicyLinks refuses a link to a policy the school does not have
// (written by hand in a school's replacement text or a trust's template;
// the policy function writes a link only to a policy the school has), so
// no output links to a file the build does not write.
func (c *Composer) checkPolicyLinks(text string, s *config.School, policy string) error {
	for _, m := range policyLinkRe.FindAllStringSubmatch(text, -1) {
		id := m[1]
		if _, ok := markdown.PolicyLinkID(markdown.PolicyScheme + id); ok && c.cat.Policy(id) != nil && s.Has(id) {
			continue
		}
		ids := []string{}
		for _, q := range c.cat.Policies {
			if s.Has(q.ID) {
				ids = append(ids, q.ID)
			}
		}
		return &diag.Error{File: s.Source.File(), Key: "policies." + policy,
			Msg:  fmt.Sprintf("policy %s: a link to policy %q, which this school does not have", policy, id),
			Hint: hintFor(id, ids, "link only to a policy the school has ({{ policy \"id\" }} does this for you); the school's policies are")}
	}
	return nil
}

func checkOutput(text string, s *config.School, policy string) error {
	for _, bad := range []string{"<no value>", "<nil>"} {
		if i := strings.Index(text, bad); i >= 0 {
			line := strings.Count(text[:i], "\n") + 1
			return &diag.Error{File: s.Source.File(), Msg: fmt.Sprintf("policy %s: %q rendered at line %d of the Markdown", policy, bad, line),
				Hint: "a template printed a value that is not set; wrap it in {{ if }} or set it in the config"}
		}
	}
	return nil
}

func checkRequired(s *config.School, p *policies.Policy) error {
	var errs config.Errors
	for _, key := range p.Required {
		set, known := config.IsSet(s, key)
		if !known {
			return fmt.Errorf("templates/%s/policy.toml: required key %q is not a config key", p.Dir, key)
		}
		if !set && !s.Unconfirmed(key) {
			file := s.Source.File()
			errs = append(errs, &config.Error{File: file, Key: key, Msg: fmt.Sprintf("missing required value for the %s policy", p.ID),
				Hint: "set " + key + " in this file, " + config.DefaultsFile + " or the organisation file (see `policypack schema`); if the school has not yet decided, list it in confirm"})
		}
	}
	return errs.Err()
}

// headingProblem reports what is wrong, if anything, with the headings of a
// school's section text: a level 1 or 2 heading would break the policy's
// outline and numbering, and an {#id} could clash with a section's own.
func headingProblem(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	doc := markdown.Parse([]byte(text), markdown.Meta{})
	msg := ""
	_ = ast.Walk(doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !entering || !ok || msg != "" {
			return ast.WalkContinue, nil
		}
		if h.Level <= 2 {
			msg = fmt.Sprintf("a level %d heading (%q) would break the policy's outline", h.Level, doc.Text(h))
		} else if _, ok := h.AttributeString("id"); ok && bytes.Contains(doc.Source, []byte("{#")) {
			msg = fmt.Sprintf("the heading %q sets its own id", doc.Text(h))
		}
		return ast.WalkContinue, nil
	})
	return msg
}

func checkOverrides(s *config.School, p *policies.Policy, pc config.PolicyConfig) error {
	var errs config.Errors
	ids := make([]string, 0, len(pc.Sections))
	for id := range pc.Sections {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if p.Section(id) == nil {
			key := "policies." + p.ID + ".sections." + id
			file, line := s.Source.Pos(key)
			errs = append(errs, &config.Error{File: file, Line: line, Key: key, Msg: fmt.Sprintf("no section %q in the %s policy", id, p.ID), Hint: hintFor(id, p.SectionIDs(), "sections")})
		}
		ov := pc.Sections[id]
		for _, f := range [...]struct{ field, text string }{{"replace", ov.Replace}, {"append", ov.Append}} {
			if msg := headingProblem(f.text); msg != "" {
				key := "policies." + p.ID + ".sections." + id + "." + f.field
				file, line := s.Source.Pos(key)
				errs = append(errs, &config.Error{File: file, Line: line, Key: key, Msg: msg,
					Hint: "section text may use ### and #### sub-headings without {#id}; the policy numbers and links its own sections"})
			}
		}
		if ov.Omit && (ov.Replace != "" || ov.Append != "") {
			key := "policies." + p.ID + ".sections." + id
			file, line := s.Source.Pos(key)
			errs = append(errs, &config.Error{File: file, Line: line, Key: key, Msg: "omit cannot be combined with replace or append", Hint: "remove omit = true to keep the section"})
		}
	}
	return errs.Err()
}

// headingError locates a section template's own heading: the first line of
// the template's source that starts one (the composed text's lines are not
// the template's).
func (e *execer) headingError(sec policies.Section, msg string) error {
	file := path.Join(e.policy.Dir, sec.Template)
	line := 0
	if src, err := fs.ReadFile(e.cat.FS, file); err == nil {
		for i, l := range strings.Split(string(src), "\n") {
			if t := strings.TrimLeft(l, " "); strings.HasPrefix(t, "# ") || strings.HasPrefix(t, "## ") || t == "#" || t == "##" {
				line = i + 1
				break
			}
		}
	}
	return &TemplateError{School: e.school, Diag: &diag.Error{File: e.cat.Name(file), Line: line, Msg: "section " + strconv.Quote(sec.ID) + ": " + msg,
		Hint: "compose writes the section's numbered heading from policy.toml's title; use ### for a sub-heading, or add a section to policy.toml"}}
}
