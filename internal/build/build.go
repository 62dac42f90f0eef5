// Package build runs the whole pipeline for a set of schools and writes the
// results under the output folder: config -> compose -> Markdown AST -> every
// format -> dist, plus dist/manifest.json and the dashboard dist/index.html.
// Everything is validated and composed before the first file is written, so
// bad input leaves dist as it was. Builds are incremental: a school whose
// inputs (config files, templates, program, formats, review state) hash as
// in the previous manifest, and whose files are still there, is not even
// composed again; identical bytes are never rewritten; and files a school no
// longer produces are removed (only files the previous manifest lists).
package build

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/coverage"
	"github.com/policypack/policypack/internal/dashboard"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/docx"
	"github.com/policypack/policypack/internal/html"
	"github.com/policypack/policypack/internal/markdown"
	"github.com/policypack/policypack/internal/pdf"
	"github.com/policypack/policypack/internal/policies"
	"github.com/policypack/policypack/internal/review"
	"github.com/policypack/policypack/internal/standards"
)

// Renderer turns a parsed document into one output format.
type Renderer func(*markdown.Document) ([]byte, error)

// renderers maps each output format to its renderer; "md" is the composed
// Markdown itself. It is fixed at compile time and unexported, so no caller
// can change what another build renders; FormatRenderer reads it.
var renderers = map[string]Renderer{
	"md":   func(d *markdown.Document) ([]byte, error) { return d.Markdown(), nil },
	"html": html.Render,
	"pdf":  pdf.Render,
	"docx": docx.Render,
}

// allFormats is the order files are written in.
var allFormats = []string{"md", "html", "pdf", "docx"}

// AllFormats returns every output format in the order files are written, as
// a fresh slice the caller may keep or change.
func AllFormats() []string { return slices.Clone(allFormats) }

// FormatRenderer returns the renderer of an output format, and false for a
// format policypack does not write.
func FormatRenderer(format string) (Renderer, bool) {
	r, ok := renderers[format]
	return r, ok
}

// MemoryLimit is the soft memory limit a build is meant to run under: it
// keeps a large trust's build within a CI runner's memory, as near it the
// collector works harder instead of letting the heap double. A memory
// limit is a setting of the whole process, so build never sets it: the
// policypack command does, once, in main (unless GOMEMLIMIT is set), and a
// benchmark that measures a build's memory does as main does.
const MemoryLimit = 200 << 20

// Options configures a build.
type Options struct {
	SchoolsDir   string
	TemplatesDir string // "" for the built-in templates only
	OutDir       string
	Formats      []string // subset of AllFormats; empty means all
	IDs          []string // schools to build; empty means all
	Shard        Shard    // the zero Shard builds every school
	AsOf         config.Date
	Strict       bool      // warnings are errors: an overdue review, an uncovered requirement (build)
	Progress     io.Writer // nil for silence
	Version      string    // written into document metadata
	// SourceDate dates every document's file metadata when set: the
	// SOURCE_DATE_EPOCH the command read (only the CLI reads the
	// environment). Zero leaves each policy's own date.
	SourceDate time.Time
}

// File is one file the build produced.
type File struct {
	School  string `json:"school"`
	Policy  string `json:"policy"`
	Doc     string `json:"document"` // policy id, form id or report id
	Kind    string `json:"kind"`     // policy, form, pack or report
	Format  string `json:"format"`
	Path    string `json:"path"` // relative to the output folder, slash-separated
	Size    int    `json:"size"`
	SHA256  string `json:"sha256"`
	Written bool   `json:"-"` // false when the file already held these bytes
}

// Result reports what a build did.
type Result struct {
	Schools  []*config.School // the schools in this build's scope
	Files    []File           // every file of the schools in scope
	Rendered int              // schools composed and rendered
	Skipped  int              // schools whose inputs were unchanged
	Removed  []string         // stale files removed, relative paths
	Manifest string           // path of the manifest written
	// Warnings are what the operator must hear about the schools in scope:
	// forms made from a draft or an overdue policy (Warnings).
	Warnings []string
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

// Session is a loaded and validated set of schools with parsed templates,
// ready to compose and render any school in memory. Build uses one; a
// preview server can keep one and call RenderSchool per request.
type Session struct {
	Opts      Options
	Set       *config.Set
	Templates *policies.Set
	Composer  *compose.Composer
	Formats   []string
	reports   []Report        // see Reports
	logos     map[string]Logo // school id -> its logo, prepared by Open
	docx      docx.Options    // the trust's reference styles, if any
	std       *standards.Catalogue
	coverage  sync.Map // school id -> *coverage.Report, built while composing
	devs      sync.Map // school id -> policy id -> number of local deviations, counted while composing
}

// NoteCoverage builds school s's coverage report from its composed
// documents unless the session has it, so its manifest entry counts the
// requirements left uncovered (the preview composes schools one by one).
func (sess *Session) NoteCoverage(s *config.School, docs []compose.Output) error {
	if _, ok := sess.coverage.Load(s.ID); ok {
		return nil
	}
	rep, err := coverage.Build(sess.std, s, docs)
	if err != nil {
		return err
	}
	sess.coverage.Store(s.ID, rep)
	sess.devs.Store(s.ID, deviationsByPolicy(Deviations(s, docs)))
	return nil
}

// coverageHTML renders a school's coverage report, reusing the one built
// when its documents were composed.
func (sess *Session) coverageHTML(s *config.School, docs []compose.Output) ([]byte, error) {
	if rep, ok := sess.coverage.Load(s.ID); ok {
		return coverage.HTML(rep.(*coverage.Report)), nil
	}
	rep, err := coverage.Build(sess.std, s, docs)
	if err != nil {
		return nil, err
	}
	return coverage.HTML(rep), nil
}

// Open loads and validates the schools (config, review dates against the
// as-of date, and with Strict no overdue review), opens the templates and
// parses them. It composes nothing yet.
func Open(opts Options) (*Session, error) {
	return open(opts, true)
}

// OpenReviews is the loader of commands that read review dates and never
// compose (due): the schools, the policy set's policies, the policy, section
// and appendix ids each config names (so a mistyped id cannot hide a
// policy) and every review date, checked as Open checks them. It does not
// require the policies' facts, parse templates, or check logos and
// glyphs, so a school still being filled in can be listed. The session it
// returns can judge reviews (Session.ReviewPolicies) but not compose.
func OpenReviews(opts Options) (*Session, error) {
	return open(opts, false)
}

// open is Open (full) or OpenReviews: one sequence of checks, so the two
// report the same problem the same way.
func open(opts Options, full bool) (*Session, error) {
	formats, err := CheckFormats(opts.Formats)
	if err != nil {
		return nil, err
	}
	// The policy set comes first: the loader checks each policy's facts
	// against what its policy.toml declares.
	cat, err := policies.Open(opts.TemplatesDir)
	if err != nil {
		return nil, err
	}
	// Reviews need only dates: a school whose policies' facts are not yet
	// filled in is still listed (nil declarations skip the facts' checks).
	decls := cat.Facts()
	if !full {
		decls = nil
	}
	set, err := config.LoadPolicies(opts.SchoolsDir, decls, opts.IDs...)
	if err != nil {
		return nil, err
	}
	if !opts.Shard.Whole() {
		set.Schools = slices.DeleteFunc(set.Schools, func(s *config.School) bool { return !opts.Shard.Has(s.ID) })
	}
	check := compose.CheckSchool
	if !full {
		check = compose.CheckRefs
	}
	var cerrs config.Errors
	for _, s := range set.Schools {
		if err := check(s, cat); err != nil {
			var es config.Errors
			if errors.As(err, &es) {
				cerrs = append(cerrs, es...)
			} else {
				return nil, err
			}
		}
	}
	if err := cerrs.Err(); err != nil {
		return nil, err
	}
	sess := &Session{Opts: opts, Set: set, Templates: cat, Formats: formats}
	if !full {
		if err := sess.checkReviews(); err != nil {
			return nil, err
		}
		return sess, nil
	}
	if sess.Composer, err = compose.New(cat, opts.AsOf); err != nil {
		return nil, err
	}
	if opts.Version != "" {
		sess.Composer.Creator = "policypack " + opts.Version
	}
	sess.Composer.SourceDate = opts.SourceDate
	if sess.std, err = coverage.Load(cat); err != nil {
		return nil, err
	}
	sess.reports = []Report{
		{ID: "coverage", Title: "Coverage", Format: "html", Render: sess.coverageHTML},
		{ID: dashboard.SchoolPageID, Title: "School page", Format: "html", Render: sess.schoolPage},
	}
	if sess.docx, err = DOCXOptions(cat); err != nil {
		return nil, err
	}
	if err := sess.checkReviews(); err != nil {
		return nil, err
	}
	if slices.Contains(formats, "pdf") {
		if err := checkGlyphs(set.Schools); err != nil {
			return nil, err
		}
	}
	// A missing or unreadable logo is found now, not after other schools'
	// files have been written; the session keeps each school's, prepared
	// once.
	if sess.logos, err = loadLogos(set.Schools, set.Dir); err != nil {
		return nil, err
	}
	return sess, nil
}

// checkGlyphs reports every config value with a character the PDF fonts
// cannot print (an emoji in a school's name, say), naming the file, line
// and key, before anything is composed or written.
func checkGlyphs(schools []*config.School) error {
	var errs config.Errors
	for _, s := range schools {
		config.Strings(s, func(key, value string) {
			missing := pdf.MissingGlyphs(value)
			if len(missing) == 0 {
				return
			}
			var chars []string
			for _, r := range missing {
				chars = append(chars, fmt.Sprintf("%U %q", r, r))
			}
			file, line := s.Source.Pos(bracketsRe.ReplaceAllString(key, ""))
			errs = append(errs, &config.Error{File: file, Line: line, Key: key,
				Msg:  "cannot be printed in PDF: " + strings.Join(chars, ", "),
				Hint: "the PDF fonts cover Latin (including Welsh, Polish and other European letters), Greek, Cyrillic and common symbols; remove the character or build without PDF (--format md,html,docx)"})
		})
	}
	return errs.Err()
}

var bracketsRe = regexp.MustCompile(`\[\d+\]`)

// Warnings lists what the operator must hear about schools' policies,
// one line each with where to fix it: a draft (no approval recorded), whose
// forms go out marked DRAFT; an overdue review, which only the policy's
// title block and the dashboard show; each value still to be confirmed; and
// each value that names a withdrawn service or scheme (not an error with
// --strict: the pack states what the school states). `check` prints them as warnings (or
// errors with --strict), and build and forms when they produce forms.
func (sess *Session) Warnings(schools []*config.School) []string {
	var out []string
	for _, s := range schools {
		for _, p := range sess.Templates.Policies {
			if !s.Has(p.ID) {
				continue // switched off for this school: nothing to warn of
			}
			if msg := stateProblem(s, p.ID, sess.Opts.AsOf); msg != "" {
				out = append(out, msg)
			}
		}
		out = append(out, unconfirmed(s)...)
		out = append(out, outdated(s)...)
	}
	return out
}

// outdated lists each config value that names a withdrawn service or
// scheme, at its key.
func outdated(s *config.School) []string {
	var out []string
	config.Strings(s, func(key, value string) {
		for _, w := range config.WithdrawnThings {
			if w.Match(value) {
				k := key
				if i := strings.IndexByte(k, '['); i >= 0 {
					k = k[:i]
				}
				file, line := s.Source.Pos(k)
				out = append(out, fmt.Sprintf("%s:%d: %s: %s %s; the policy still says so, marked [%s]", file, line, s.ID, key, w.Warning, w.Note))
			}
		}
	})
	return out
}

// unconfirmed lists the values a school has still to confirm, one line
// each, at its confirm list.
func unconfirmed(s *config.School) []string {
	if len(s.Confirm) == 0 {
		return nil
	}
	file, line := s.Source.Pos("confirm")
	var out []string
	for _, key := range s.Confirm {
		state := "not set"
		if set, _ := config.IsSet(s, key); set {
			state = "set, not confirmed"
		}
		out = append(out, fmt.Sprintf("%s:%d: %s: %s is still to be confirmed (%s); it prints as [%s: to be confirmed]", file, line, s.ID, key, state, compose.ConfirmLabel(s, key)))
	}
	return out
}

// stateProblem words a policy's draft or overdue state for the operator,
// or returns "".
func stateProblem(s *config.School, policy string, asOf config.Date) string {
	pc := s.Policies[policy]
	file, line := s.Source.Pos("policies." + policy)
	loc := file
	switch {
	case file != s.Source.File():
		// Set in defaults or the organisation file: the school's own
		// file is where its approval goes.
		loc = s.Source.File()
	case line > 0:
		loc = fmt.Sprintf("%s:%d", file, line)
	}
	if pc.ApprovedOn.IsZero() && pc.LastReviewed.IsZero() {
		return fmt.Sprintf("%s: %s: %s is a draft (no approved_on recorded); its documents and forms are marked DRAFT", loc, s.ID, policy)
	}
	if st := review.Of(pc, asOf, review.DefaultWindowDays); st.State == review.Overdue {
		return fmt.Sprintf("%s: %s: %s: %s", loc, s.ID, policy, st.Notice())
	}
	return ""
}

// checkReviews validates every policy's review dates and, with Strict,
// fails on a draft or an overdue review, listing each one with where to fix
// it.
func (sess *Session) checkReviews() error {
	var errs config.Errors
	var over []string
	for _, s := range sess.Set.Schools {
		for _, p := range sess.Templates.Policies {
			if !s.Has(p.ID) {
				continue
			}
			pc := s.Policies[p.ID]
			errs = append(errs, review.Validate(pc, "policies."+p.ID, sess.Opts.AsOf, s.Source.Pos)...)
			if msg := stateProblem(s, p.ID, sess.Opts.AsOf); sess.Opts.Strict && msg != "" {
				over = append(over, msg+" (--strict)")
			}
		}
		if sess.Opts.Strict {
			for _, msg := range unconfirmed(s) {
				over = append(over, msg+" (--strict)")
			}
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if len(over) > 0 {
		return &diag.Error{Msg: strings.Join(over, "\n"), Hint: "review the policy and record its approval (approved_on, last_reviewed, next_review) — or run without --strict"}
	}
	return nil
}

// Reports returns the per-school reports this session writes (the
// statutory coverage report, whose catalogue comes from this session's
// templates, and the school's page), as a fresh slice: a caller cannot change what the session
// writes.
func (sess *Session) Reports() []Report { return slices.Clone(sess.reports) }

// School returns the loaded school with id, or nil.
func (sess *Session) School(id string) *config.School {
	for _, s := range sess.Set.Schools {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// composeAll composes the given schools on all cores, returning each
// school's documents at its index; errors come back in school order so
// messages are the same on every run.
func (sess *Session) composeAll(schools []*config.School) ([][]compose.Output, error) {
	docs := make([][]compose.Output, len(schools))
	errs := parallel(len(schools), func(i int) error {
		outs, err := sess.Composer.School(schools[i])
		if err != nil {
			return err
		}
		// Template text the PDF fonts cannot print fails here too, before
		// anything is written (config text was checked by Open).
		if slices.Contains(sess.Formats, "pdf") {
			for _, o := range outs {
				if m := pdf.MissingGlyphs(string(o.Meta.Front.TitleBlock) + string(o.Markdown)); len(m) > 0 {
					return &diag.Error{File: schools[i].Source.File(), Msg: fmt.Sprintf("%s: the templates produce %U %q, which the PDF fonts cannot print", o.Path, m[0], m[0]),
						Hint: "change the template text, or build without PDF (--format md,html,docx)"}
				}
			}
		}
		// A bad requirement id in a school's section override must fail
		// here, before anything is written, not when its report renders.
		rep, err := coverage.Build(sess.std, schools[i], outs)
		if err != nil {
			return err
		}
		sess.coverage.Store(schools[i].ID, rep)
		sess.devs.Store(schools[i].ID, deviationsByPolicy(Deviations(schools[i], outs)))
		docs[i] = outs
		return nil
	})
	// A shared template's mistake is reported once, with the schools counted.
	return docs, errors.Join(compose.GroupTemplateErrors(errs, len(schools))...)
}

// Prepare loads and validates the schools and composes every document
// without rendering or writing anything. `check` stops here.
func Prepare(opts Options) (*config.Set, *compose.Composer, map[string][]compose.Output, error) {
	sess, docs, _, err := PrepareCoverage(opts)
	if err != nil {
		return nil, nil, nil, err
	}
	return sess.Set, sess.Composer, docs, nil
}

// PrepareCoverage is Prepare plus each school's statutory coverage report,
// in school order: the reports composing already built, not built again.
func PrepareCoverage(opts Options) (*Session, map[string][]compose.Output, []*coverage.Report, error) {
	sess, err := Open(opts)
	if err != nil {
		return nil, nil, nil, err
	}
	all, err := sess.composeAll(sess.Set.Schools)
	if err != nil {
		return nil, nil, nil, err
	}
	docs := make(map[string][]compose.Output, len(all))
	reps := make([]*coverage.Report, 0, len(all))
	for i, s := range sess.Set.Schools {
		docs[s.ID] = all[i]
		rep, _ := sess.coverage.Load(s.ID)
		reps = append(reps, rep.(*coverage.Report))
	}
	return sess, docs, reps, nil
}

// CheckFormats validates a --format list, defaulting to every format.
func CheckFormats(formats []string) ([]string, error) {
	if len(formats) == 0 {
		return AllFormats(), nil
	}
	var outs []string
	for _, f := range formats {
		f = strings.TrimSpace(strings.ToLower(f))
		if _, ok := renderers[f]; !ok {
			return nil, fmt.Errorf("unknown format %q (formats: %s)", f, strings.Join(allFormats, ", "))
		}
		if !slices.Contains(outs, f) {
			outs = append(outs, f)
		}
	}
	// Keep a stable order whatever order the user typed.
	slices.SortFunc(outs, func(a, b string) int { return slices.Index(allFormats, a) - slices.Index(allFormats, b) })
	return outs, nil
}

// reporter writes a build's progress lines. Workers render schools in
// parallel, and the writer they share (a terminal, a test's buffer) is not
// safe for concurrent use, so every line goes through one mutex; counting
// under the same lock also keeps the "n/total" lines in increasing order.
type reporter struct {
	mu    sync.Mutex
	w     io.Writer // nil for silence
	done  int       // schools rendered so far
	total int       // schools to render
	step  int       // print every step schools
}

func newReporter(w io.Writer) *reporter { return &reporter{w: w} }

// printf writes one progress line.
func (r *reporter) printf(format string, args ...any) {
	if r.w == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.w, format, args...)
}

// expect sets how many schools are to be rendered. Fewer than 20 finish too
// quickly for a count to help, so they print none.
func (r *reporter) expect(total int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done, r.total, r.step = 0, total, max(total/10, 1)
}

// rendered counts one school done, printing the count every tenth of the
// work and at the end.
func (r *reporter) rendered() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done++
	if r.w != nil && r.total >= 20 && (r.done%r.step == 0 || r.done == r.total) {
		fmt.Fprintf(r.w, "  %d/%d schools rendered\n", r.done, r.total)
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
