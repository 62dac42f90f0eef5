// Package forms prints one school form per pupil of a roster, pre-filled
// with the pupil's name, year group and class, into one PDF (or Word
// document) or one per class or year group. It is the work behind
// `policypack forms`.
//
// Everything that can fail on the input (the roster, the config, the
// templates, the form itself, existing outputs) is checked before the first
// file is created; pupils are then composed, parsed and drawn on every core
// but added to the PDF one at a time, in roster order, so memory holds only
// the PDF being made. The files are written all or none (atomicfile.Batch),
// readable by their owner only, and errors name roster lines, never pupils.
package forms

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/policypack/policypack/internal/atomicfile"
	"github.com/policypack/policypack/internal/build"
	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/markdown"
	"github.com/policypack/policypack/internal/pdf"
	"github.com/policypack/policypack/internal/policies"
	"github.com/policypack/policypack/internal/roster"
)

// Options describe one print run.
type Options struct {
	SchoolsDir   string
	TemplatesDir string // "" for the built-in templates only
	School       string // school id
	Form         string // form id, e.g. parent-agreement
	Roster       string // CSV file
	Out          string // PDF file, or with SplitBy a folder
	// Format is "pdf" (the default) or "docx": a Word document with a
	// section per pupil, each starting a new page.
	Format  string
	Duplex  bool   // pad every form to an even number of pages
	SplitBy string // "", "class" or "year"
	Force   bool   // replace output files that exist
	// Encoding and Columns say how to read the roster (see roster.Options).
	Encoding string
	Columns  map[string]string
	// DryRun checks the roster, the school and the form and names the
	// files a run would write, writing nothing.
	DryRun  bool
	AsOf    config.Date
	Version string // written into the PDF's metadata
	// SourceDate dates the file's metadata when set (SOURCE_DATE_EPOCH).
	SourceDate time.Time
	// Notes receives what the office should check (pupils whose year
	// group the form cannot place); nil for none.
	Notes io.Writer
	// Progress, when not nil, is called once the number of forms is known
	// and returns the meter each drawn form is counted on.
	Progress func(total int) Meter
}

// Meter counts forms as they are drawn (a progress bar, say).
type Meter interface {
	Add(n int) error
	Finish() error
}

// Result says what a run wrote.
type Result struct {
	Forms int      // forms printed, one per pupil
	Pages int      // pages in all files; 0 for Word documents, which Word lays out
	Files []string // files written, in order
}

// OptionError is a problem with what was asked for (a form that does not
// exist, or has nothing to fill in from a roster; a grouping that is not
// class or year) rather than with the input files: the command line
// reports it as a usage error.
type OptionError struct{ Err error }

func (e *OptionError) Error() string { return e.Err.Error() }
func (e *OptionError) Unwrap() error { return e.Err }

func optionErrorf(format string, args ...any) error {
	return &OptionError{fmt.Errorf(format, args...)}
}

// errInterrupted is returned when ctx is cancelled (Ctrl-C).
var errInterrupted = errors.New("interrupted; nothing was written")

// run is one Print's state once its inputs are loaded and checked.
type run struct {
	opts    Options
	sess    *build.Session
	school  *config.School
	policy  *policies.Policy
	meta    markdown.Meta // the blank form's, with the school's logo
	pupils  []roster.Pupil
	groups  []roster.Group
	targets []string // one output file per group
}

// Print prints the form for every pupil of the roster and writes the
// file or files, all or none.
func Print(ctx context.Context, opts Options) (*Result, error) {
	switch opts.Format {
	case "":
		opts.Format = "pdf"
	case "pdf", "docx":
	default:
		return nil, optionErrorf("--format %q: use pdf or docx", opts.Format)
	}
	r, err := load(opts)
	if err != nil {
		return nil, err
	}
	if err := r.plan(); err != nil {
		return nil, err
	}
	if err := r.checkForm(); err != nil {
		return nil, err
	}
	if opts.DryRun {
		return &Result{Forms: len(r.pupils), Files: r.targets}, nil
	}
	var batch atomicfile.Batch
	defer batch.Cleanup()
	pages, err := r.draw(ctx, &batch)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, errInterrupted
	}
	if err := batch.Commit(opts.Force); err != nil {
		var ee *atomicfile.ExistError
		if errors.As(err, &ee) {
			return nil, existsError([]string{ee.Path})
		}
		return nil, err
	}
	return &Result{Forms: len(r.pupils), Pages: pages, Files: r.targets}, nil
}

// load reads the roster and opens the school's session and form.
func load(opts Options) (*run, error) {
	ro, err := readRoster(opts.Roster, opts.Format == "pdf", roster.Options{Encoding: opts.Encoding, Columns: opts.Columns})
	if err != nil {
		return nil, err
	}
	sess, err := build.Open(build.Options{
		SchoolsDir: opts.SchoolsDir, TemplatesDir: opts.TemplatesDir,
		IDs: []string{opts.School}, AsOf: opts.AsOf, Version: opts.Version, SourceDate: opts.SourceDate,
	})
	if err != nil {
		return nil, err
	}
	policy, err := findForm(sess.Templates, opts.Form)
	if err != nil {
		return nil, err
	}
	if s := sess.Set.Schools[0]; !s.Has(policy.ID) {
		file, line := s.Source.Pos("policies." + policy.ID + ".enabled")
		return nil, &diag.Error{File: file, Line: line, Key: "policies." + policy.ID + ".enabled",
			Msg:  fmt.Sprintf("%s does not have the %s policy, whose form %s is", s.ID, policy.ID, opts.Form),
			Hint: "switch the policy on for this school (enabled = true), or choose another form"}
	}
	r := &run{opts: opts, sess: sess, school: sess.Set.Schools[0], policy: policy, pupils: ro.Pupils}
	r.noteRoster(ro)
	return r, nil
}

// plan groups the pupils and names the output files, and refuses, before
// any work, to replace an existing file without Force.
func (r *run) plan() error {
	o := r.opts
	if o.SplitBy == "" {
		roster.Sort(r.pupils)
		r.groups, r.targets = []roster.Group{{Pupils: r.pupils}}, []string{o.Out}
		return checkTargets(r.targets, o.Force)
	}
	groups, err := roster.GroupBy(r.pupils, o.SplitBy)
	if err != nil {
		return optionErrorf("--split-by: %v", err)
	}
	r.groups = groups
	for _, g := range groups {
		r.targets = append(r.targets, filepath.Join(o.Out, o.Form+"-"+g.Slug+"."+o.Format))
	}
	if fi, err := os.Stat(o.Out); err == nil && !fi.IsDir() {
		return fmt.Errorf("--out %s: is a file; with --split-by it must be a folder", o.Out)
	}
	return checkTargets(r.targets, o.Force)
}

// checkForm renders the form without a pupil: any error in the template,
// the logo or the QR code shows here, in full, with no pupil data in it.
func (r *run) checkForm() error {
	o, s, c := r.opts, r.school, r.sess.Composer
	logo := r.sess.Logo(s)
	blank, err := c.Form(s, r.policy, o.Form, compose.Pupil{})
	if err != nil {
		return err
	}
	// A form with no pupil fields (the staff code of conduct) would print
	// the same page once per pupil: refuse it and say where it is.
	probe, err := c.Form(s, r.policy, o.Form, compose.Pupil{Name: "Pupil Probe", Forename: "Pupil", Surname: "Probe", Year: "Year 1", Class: "Probe"})
	if err != nil {
		return err
	}
	if !strings.Contains(string(probe.Markdown), "Probe") {
		return &OptionError{&diag.Error{Msg: fmt.Sprintf("--form %s has no pupil fields to fill in from a roster", o.Form),
			Hint: fmt.Sprintf("print it from the built pack, dist/%s/forms/%s.%s", s.ID, o.Form, o.Format)}}
	}
	if o.Notes != nil {
		switch blank.Meta.State {
		case markdown.StateDraft:
			fmt.Fprintf(o.Notes, "warning: %s: the %s policy is a draft (no approved_on recorded): every form is marked DRAFT\n", s.ID, r.policy.ID)
		case markdown.StateOverdue:
			fmt.Fprintf(o.Notes, "warning: %s: the %s policy's review is overdue (since %s); the forms do not say so\n", s.ID, r.policy.ID, blank.Meta.NextReview)
		}
		if err := r.noteUnplacedYears(probe); err != nil {
			return err
		}
	}
	r.meta = blank.Meta
	// The copies are written wherever --out says, away from the school's
	// policies, so a mention of another policy is plain text, not a link
	// to a file that is not beside them.
	r.meta.Path = ""
	r.meta.Logo, r.meta.LogoType = logo.Data, logo.Type
	render := pdf.Render
	if o.Format == "docx" {
		render = r.sess.DOCX().Render
	}
	if _, err := render(markdown.Parse(blank.Markdown, r.meta)); err != nil {
		return fmt.Errorf("%s: form %s: %w", s.Source.File(), o.Form, err)
	}
	return nil
}

// noteUnplacedYears: a form with a version per stage prints the version
// for each pupil's year group; a year group it cannot place gets every
// version. Say which lines (never which pupils) so the office can check.
func (r *run) noteUnplacedYears(probe compose.Output) error {
	unknownYear, err := r.sess.Composer.Form(r.school, r.policy, r.opts.Form, compose.Pupil{Name: "Pupil Probe", Year: "?"})
	if err != nil {
		return err
	}
	if len(unknownYear.Markdown) <= len(probe.Markdown) {
		return nil
	}
	var lines []string
	for _, p := range r.pupils {
		if compose.StageOfYear(p.Year) == "" {
			lines = append(lines, strconv.Itoa(p.Line))
		}
	}
	if n := len(lines); n > 0 {
		if n > 10 {
			lines = append(lines[:10], "...")
		}
		fmt.Fprintf(r.opts.Notes, "note: %d pupil(s) have a year group that is not a school year (lines %s); they get every stage's version of the form\n", n, strings.Join(lines, ", "))
	}
	return nil
}

// draw makes each group's PDF and stages it in batch, returning the pages
// drawn in all.
func (r *run) draw(ctx context.Context, batch *atomicfile.Batch) (int, error) {
	o := r.opts
	if o.Format == "docx" {
		return 0, r.drawDOCX(ctx, batch)
	}
	var meter Meter
	if o.Progress != nil {
		meter = o.Progress(len(r.pupils))
	}
	total := 0
	for i, g := range r.groups {
		bookMeta := r.meta
		if g.Key != "" {
			bookMeta.Title = r.meta.Title + " – " + g.Key
		}
		book, err := pdf.NewBook(pdf.BookOptions{Meta: bookMeta, Duplex: o.Duplex})
		if err != nil {
			return 0, err
		}
		err = eachPrepared(ctx, g.Pupils, r.prepare, func(pu roster.Pupil, p *pdf.Prepared, err error) error {
			if err == nil && book.AddPrepared(p) != nil {
				err = errors.New("the form could not be drawn for this pupil")
			}
			if err != nil {
				return fmt.Errorf("%s: line %d: %w", o.Roster, pu.Line, err)
			}
			if meter != nil {
				_ = meter.Add(1)
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
		err = batch.Stage(r.targets[i], func(w io.Writer) error {
			_, err := book.WriteTo(w)
			return err
		})
		if err != nil {
			return 0, fmt.Errorf("--out: %w", err)
		}
		total += book.Pages()
	}
	if meter != nil {
		_ = meter.Finish()
	}
	return total, nil
}

// drawDOCX makes each group's Word document, a section per pupil, and
// stages it in batch. Word lays out the pages, so none are counted.
func (r *run) drawDOCX(ctx context.Context, batch *atomicfile.Batch) error {
	o := r.opts
	var meter Meter
	if o.Progress != nil {
		meter = o.Progress(len(r.pupils))
	}
	for i, g := range r.groups {
		bookMeta := r.meta
		if g.Key != "" {
			bookMeta.Title = r.meta.Title + " – " + g.Key
		}
		docs := make([]*markdown.Document, 0, len(g.Pupils))
		for _, pu := range g.Pupils {
			if err := ctx.Err(); err != nil {
				return errInterrupted
			}
			doc, err := r.compose(pu)
			if err != nil {
				return fmt.Errorf("%s: line %d: %w", o.Roster, pu.Line, err)
			}
			docs = append(docs, doc)
			if meter != nil {
				_ = meter.Add(1)
			}
		}
		data, err := r.sess.DOCX().RenderBook(bookMeta, docs, o.Duplex)
		if err != nil {
			// The blank form rendered: only pupil data can fail here,
			// and it must not reach a terminal or a log.
			return fmt.Errorf("%s: the forms could not be written", o.Roster)
		}
		err = batch.Stage(r.targets[i], func(w io.Writer) error {
			_, err := w.Write(data)
			return err
		})
		if err != nil {
			return fmt.Errorf("--out: %w", err)
		}
	}
	if meter != nil {
		_ = meter.Finish()
	}
	return nil
}

// compose composes and parses one pupil's form. Like prepare's, its errors
// carry no detail.
func (r *run) compose(pu roster.Pupil) (*markdown.Document, error) {
	o, err := r.sess.Composer.Form(r.school, r.policy, r.opts.Form, compose.Pupil{
		Name: pu.FullName(), Forename: pu.Forename, Surname: pu.Surname, Year: pu.Year, Class: pu.Class,
	})
	if err != nil {
		return nil, errors.New("the form could not be composed for this pupil")
	}
	return markdown.Parse(o.Markdown, r.meta), nil
}

// prepare composes, parses and lays out one pupil's form. Its errors carry
// no detail: after the blank form rendered, only the pupil's own data can
// make one fail, and that must not reach a terminal or a log.
func (r *run) prepare(pu roster.Pupil) (*pdf.Prepared, error) {
	o, err := r.sess.Composer.Form(r.school, r.policy, r.opts.Form, compose.Pupil{
		Name: pu.FullName(), Forename: pu.Forename, Surname: pu.Surname, Year: pu.Year, Class: pu.Class,
	})
	if err != nil {
		return nil, errors.New("the form could not be composed for this pupil")
	}
	outline := pu.Surname + ", " + pu.Forename
	if pu.Class != "" {
		outline += " (" + pu.Class + ")"
	}
	prep, err := pdf.Prepare(markdown.Parse(o.Markdown, r.meta), outline)
	if err != nil {
		return nil, errors.New("the form could not be laid out for this pupil")
	}
	return prep, nil
}

// readRoster reads and checks the whole roster; with pdfGlyphs, that the
// PDF fonts can print every name. Its errors (from package roster and
// here) name lines, never pupils.
func readRoster(path string, pdfGlyphs bool, ropts roster.Options) (*roster.Roster, error) {
	// A FIFO would block for ever and a device never end: only a regular
	// file is opened.
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return nil, &diag.Error{File: path, Msg: "--roster: is not a regular file", Hint: "export the roster from the school's system as a CSV file and give its path"}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--roster: %w", err)
	}
	defer f.Close()
	ro, err := roster.ReadWith(path, f, ropts)
	var me *roster.MapError
	if errors.As(err, &me) {
		return nil, &OptionError{err}
	}
	if err != nil || !pdfGlyphs {
		return ro, err
	}
	pupils := ro.Pupils
	// A character the PDF fonts lack would stop the run half way; find
	// every one now. The message gives the code point, not the name.
	rerr := &roster.RowsError{File: path}
	for _, p := range pupils {
		for _, fld := range []struct{ name, v string }{
			{"forename", p.Forename}, {"surname", p.Surname}, {"year", p.Year}, {"class", p.Class},
		} {
			if miss := pdf.MissingGlyphs(fld.v); len(miss) > 0 {
				why := fmt.Sprintf("the %s has a character the PDF fonts cannot print (U+%04X)", fld.name, miss[0])
				if len(rerr.Problems) < roster.MaxProblems {
					rerr.Problems = append(rerr.Problems, roster.Problem{Line: p.Line, Reason: why})
				} else {
					rerr.More++
				}
				break
			}
		}
	}
	if len(rerr.Problems) > 0 {
		return nil, rerr
	}
	return ro, nil
}

// noteRoster tells the office what it should check about the roster, by
// line and count, never by name: the encoding it was read as when that was
// not UTF-8, pupils listed twice, and year groups outside the school's key
// stages (Year 9 in a primary is a typo or the wrong class list).
func (r *run) noteRoster(ro *roster.Roster) {
	w := r.opts.Notes
	if w == nil {
		return
	}
	file := r.opts.Roster
	if ro.Encoding != "UTF-8" && ro.Detected {
		fmt.Fprintf(w, "note: %s: read as %s (not UTF-8); if names look wrong, pass --encoding\n", file, ro.Encoding)
	}
	for _, p := range ro.Notes {
		fmt.Fprintf(w, "warning: %s: line %d: %s\n", file, p.Line, p.Reason)
	}
	var lines []string
	years := map[string]bool{}
	for _, p := range ro.Pupils {
		if st := compose.StageOfYear(p.Year); st != "" && !slices.Contains(r.school.KeyStages, st) {
			lines = append(lines, strconv.Itoa(p.Line))
			years[p.Year] = true
		}
	}
	if n := len(lines); n > 0 {
		if n > 10 {
			lines = append(lines[:10], "...")
		}
		ys := slices.Sorted(maps.Keys(years))
		fmt.Fprintf(w, "warning: %s: %d pupil(s) in %s, outside the school's key stages (%s) (lines %s): check the roster is this school's\n",
			file, n, strings.Join(ys, ", "), strings.Join(r.school.KeyStages, ", "), strings.Join(lines, ", "))
	}
}

// findForm finds the policy that has the form, in the policy set's order.
func findForm(cat *policies.Set, id string) (*policies.Policy, error) {
	var ids []string
	for _, p := range cat.Policies {
		if p.Form(id) != nil {
			return p, nil
		}
		for _, f := range p.Forms {
			ids = append(ids, f.ID)
		}
	}
	slices.Sort(ids)
	return nil, optionErrorf("--form: no form %q (forms: %s)", id, strings.Join(slices.Compact(ids), ", "))
}

// checkTargets refuses to replace an existing file without force, and
// never replaces a folder.
func checkTargets(targets []string, force bool) error {
	var exist []string
	for _, t := range targets {
		fi, err := os.Lstat(t)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return fmt.Errorf("--out: %w", err)
		case !fi.Mode().IsRegular():
			return fmt.Errorf("--out: %s exists and is not a file", t)
		case !force:
			exist = append(exist, t)
		}
	}
	if len(exist) == 0 {
		return nil
	}
	return existsError(exist)
}

func existsError(exist []string) error {
	if len(exist) == 1 {
		return &diag.Error{Msg: exist[0] + " already exists; nothing was written", Hint: "use --force to replace it"}
	}
	return &diag.Error{Msg: fmt.Sprintf("%d output files already exist (%s, ...); nothing was written", len(exist), exist[0]), Hint: "use --force to replace them"}
}
