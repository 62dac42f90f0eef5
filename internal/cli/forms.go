package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/policypack/policypack/internal/build"
	"github.com/policypack/policypack/internal/catalog"
	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/markdown"
	"github.com/policypack/policypack/internal/pdf"
	"github.com/policypack/policypack/internal/roster"
)

// FormsOptions are the flags of `policypack forms`.
type FormsOptions struct {
	IO           IO
	SchoolsDir   string
	TemplatesDir string
	School       string // school id
	Form         string // form id, e.g. parent-agreement
	Roster       string // CSV file
	Out          string // PDF file, or with SplitBy a folder
	Duplex       bool
	SplitBy      string // "", "class" or "year"
	Force        bool
	AsOf         string
	Quiet        bool
	// Progress forces the progress bar on (true) or off (false); nil shows
	// it for a large roster when standard error is a terminal.
	Progress *bool
}

// progressMin is the smallest roster that gets a progress bar: a class's
// forms take a fraction of a second and need none.
const progressMin = 200

func newFormsCmd(io IO) *cobra.Command {
	opts := &FormsOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "forms --school ID --form FORM --roster FILE.csv --out FILE.pdf",
		Short: "Print a form once per pupil, pre-filled from a roster",
		Long: `Forms prints one copy of a school's form for every pupil in a roster exported
from the school's management system, with the pupil's name, year group and class
filled in and the parent's fields left blank, sorted by class, surname and
forename, into one PDF (or, with --split-by class, one PDF per class in the --out
folder, named <form>-<class>.pdf).

The roster is all or nothing: every row is checked first, and a bad row (unbalanced
quotes, no name) is reported by its line number, never its content, and nothing is
written. An existing output file is kept unless --force is given. Output files are
written whole or not at all, readable by their owner only (they hold pupil data),
and no other copy of the pupil data is left anywhere. Messages give line numbers
and counts, never names.`,
		Example: `  policypack forms --school hevingham-marsham --form parent-agreement \
                   --roster pupils.csv --out parent-agreements.pdf
  policypack forms --school hevingham-marsham --form pupil-code-of-conduct \
                   --roster pupils.csv --split-by class --duplex --out forms/`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runForms(cmd.Context(), opts)
		},
	}
	addSourceFlags(cmd, &opts.SchoolsDir, &opts.TemplatesDir)
	f := cmd.Flags()
	f.StringVar(&opts.School, "school", "", "id of the school (its config file name without .toml)")
	f.StringVar(&opts.Form, "form", "", "id of the form, e.g. parent-agreement, pupil-code-of-conduct")
	f.StringVar(&opts.Roster, "roster", "", "roster CSV exported from the school's management system")
	f.StringVar(&opts.Out, "out", "", "PDF file to write; with --split-by, the folder to write one PDF per group into")
	f.BoolVar(&opts.Duplex, "duplex", false, "pad every form to an even number of pages, for double-sided printing")
	f.StringVar(&opts.SplitBy, "split-by", "", "write one PDF per class (class) or year group (year)")
	f.BoolVar(&opts.Force, "force", false, "replace output files that already exist")
	f.StringVar(&opts.AsOf, "as-of", "", "date to judge reviews against, YYYY-MM-DD (default SOURCE_DATE_EPOCH or today)")
	f.BoolVarP(&opts.Quiet, "quiet", "q", false, "print nothing but errors")
	return cmd
}

// runForms does the work of `policypack forms`. Everything that can fail on
// the input (flags, roster, config, templates, the form itself, existing
// outputs) is checked before the first file is created; pupils are then
// composed, parsed and drawn one at a time, so memory holds only the PDF
// being made.
func runForms(ctx context.Context, opts *FormsOptions) error {
	if err := checkFormsFlags(opts); err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	// An interrupt must not leave a half-written temporary file of pupil
	// data behind: catch it and clean up on the way out.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	pupils, err := readRoster(opts.Roster)
	if err != nil {
		return err
	}
	asOf, err := asOfDate(opts.AsOf)
	if err != nil {
		return err
	}
	sess, err := build.Open(build.Options{
		SchoolsDir: opts.SchoolsDir, TemplatesDir: opts.TemplatesDir,
		IDs: []string{opts.School}, AsOf: asOf, Version: Version,
	})
	if err != nil {
		return err
	}
	s := sess.Set.Schools[0]
	policy, err := findForm(sess.Catalog, opts.Form)
	if err != nil {
		return err
	}

	// The output files, all checked before anything is drawn.
	var groups []roster.Group
	var targets []string
	if opts.SplitBy != "" {
		if groups, err = roster.GroupBy(pupils, opts.SplitBy); err != nil {
			return usagef("--split-by: %v", err)
		}
		for _, g := range groups {
			targets = append(targets, filepath.Join(opts.Out, opts.Form+"-"+g.Slug+".pdf"))
		}
		if fi, err := os.Stat(opts.Out); err == nil && !fi.IsDir() {
			return fmt.Errorf("--out %s: is a file; with --split-by it must be a folder", opts.Out)
		}
	} else {
		roster.Sort(pupils)
		groups = []roster.Group{{Pupils: pupils}}
		targets = []string{opts.Out}
	}
	if err := checkTargets(targets, opts.Force); err != nil {
		return err
	}

	// The form without a pupil: any error in the template, the logo or
	// the QR code shows here, in full, with no pupil data in it.
	logo, logoType, err := build.LoadLogo(s, sess.Set.Dir)
	if err != nil {
		return err
	}
	blank, err := sess.Composer.Form(s, policy, opts.Form, compose.Pupil{})
	if err != nil {
		return err
	}
	// A form with no pupil fields (the staff code of conduct) would print
	// the same page once per pupil: refuse it and say where it is.
	probe, err := sess.Composer.Form(s, policy, opts.Form, compose.Pupil{Name: "Pupil Probe", Forename: "Pupil", Surname: "Probe", Year: "Year 1", Class: "Probe"})
	if err != nil {
		return err
	}
	if !strings.Contains(string(probe.Markdown), "Probe") {
		return usagef("%w", &diag.Error{Msg: fmt.Sprintf("--form %s has no pupil fields to fill in from a roster", opts.Form),
			Hint: fmt.Sprintf("print it from the built pack, dist/%s/forms/%s.pdf", s.ID, opts.Form)})
	}
	// A form with a version per stage prints the version for each pupil's
	// year group; a year group it cannot place gets every version. Say
	// which lines (never which pupils) so the office can check them.
	if !opts.Quiet {
		unknownYear, err := sess.Composer.Form(s, policy, opts.Form, compose.Pupil{Name: "Pupil Probe", Year: "?"})
		if err != nil {
			return err
		}
		if len(unknownYear.Markdown) > len(probe.Markdown) {
			var lines []string
			for _, p := range pupils {
				if compose.StageOfYear(p.Year) == "" {
					lines = append(lines, strconv.Itoa(p.Line))
				}
			}
			if n := len(lines); n > 0 {
				if n > 10 {
					lines = append(lines[:10], "...")
				}
				fmt.Fprintf(opts.IO.ErrOut, "note: %d pupil(s) have a year group that is not a school year (lines %s); they get every stage's version of the form\n", n, strings.Join(lines, ", "))
			}
		}
	}
	meta := blank.Meta
	meta.Logo, meta.LogoType = logo, logoType
	if _, err := pdf.Render(markdown.Parse(blank.Markdown, meta)); err != nil {
		return fmt.Errorf("%s: form %s: %w", s.Source.File(), opts.Form, err)
	}

	bar := newFormsBar(opts, len(pupils))
	w := &formsWriter{}
	defer w.cleanup()
	total := 0
	for i, g := range groups {
		bookMeta := meta
		if g.Key != "" {
			bookMeta.Title = meta.Title + " – " + g.Key
		}
		book, err := pdf.NewBook(pdf.BookOptions{Meta: bookMeta, Duplex: opts.Duplex})
		if err != nil {
			return err
		}
		err = eachPrepared(ctx, g.Pupils, func(pu roster.Pupil) (*pdf.Prepared, error) {
			return preparePupil(sess.Composer, s, policy, opts.Form, meta, pu)
		}, func(pu roster.Pupil, p *pdf.Prepared, err error) error {
			if err == nil {
				err = book.AddPrepared(p)
				if err != nil {
					err = errors.New("the form could not be drawn for this pupil")
				}
			}
			if err != nil {
				return fmt.Errorf("%s: line %d: %w", opts.Roster, pu.Line, err)
			}
			if bar != nil {
				_ = bar.Add(1)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := w.stage(targets[i], book); err != nil {
			return err
		}
		total += book.Pages()
	}
	if bar != nil {
		_ = bar.Finish()
	}
	if err := ctx.Err(); err != nil {
		return errors.New("interrupted; nothing was written")
	}
	if err := w.commit(opts.Force); err != nil {
		return err
	}
	if !opts.Quiet {
		if opts.SplitBy != "" {
			fmt.Fprintf(opts.IO.ErrOut, "wrote %d form(s), %d page(s), in %d file(s) in %s\n", len(pupils), total, len(targets), opts.Out)
		} else {
			fmt.Fprintf(opts.IO.ErrOut, "wrote %d form(s), %d page(s), to %s\n", len(pupils), total, opts.Out)
		}
	}
	return nil
}

func checkFormsFlags(opts *FormsOptions) error {
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"--school", opts.School}, {"--form", opts.Form}, {"--roster", opts.Roster}, {"--out", opts.Out},
	} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return usagef("forms needs %s\nRun 'policypack forms --help' for usage.", strings.Join(missing, ", "))
	}
	switch opts.SplitBy {
	case "", "class", "year":
	default:
		return usagef("--split-by %q: use class or year", opts.SplitBy)
	}
	return nil
}

// readRoster reads and checks the whole roster. Its errors (from package
// roster and here) name lines, never pupils.
func readRoster(path string) ([]roster.Pupil, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--roster: %w", err)
	}
	defer f.Close()
	pupils, err := roster.Read(path, f)
	if err != nil {
		return nil, err
	}
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
	return pupils, nil
}

// findForm finds the policy that has the form, in catalog order.
func findForm(cat *catalog.Catalog, id string) (*catalog.Policy, error) {
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
	return nil, usagef("--form: no form %q (forms: %s)", id, strings.Join(slices.Compact(ids), ", "))
}

// preparePupil composes, parses and lays out one pupil's form. Its errors
// carry no detail: after the blank form rendered, only the pupil's own data
// can make one fail, and that must not reach a terminal or a log.
func preparePupil(c *compose.Composer, s *config.School, p *catalog.Policy, form string, meta markdown.Meta, pu roster.Pupil) (*pdf.Prepared, error) {
	o, err := c.Form(s, p, form, compose.Pupil{
		Name: pu.FullName(), Forename: pu.Forename, Surname: pu.Surname, Year: pu.Year, Class: pu.Class,
	})
	if err != nil {
		return nil, errors.New("the form could not be composed for this pupil")
	}
	outline := pu.Surname + ", " + pu.Forename
	if pu.Class != "" {
		outline += " (" + pu.Class + ")"
	}
	prep, err := pdf.Prepare(markdown.Parse(o.Markdown, meta), outline)
	if err != nil {
		return nil, errors.New("the form could not be laid out for this pupil")
	}
	return prep, nil
}

// eachPrepared runs prepare on the pupils on every core and hands the
// results to use one at a time, in roster order. At most a few documents per
// core are prepared ahead of use, so memory does not grow with the roster.
// The first error from use (or cancellation) stops the run.
func eachPrepared(ctx context.Context, pupils []roster.Pupil,
	prepare func(roster.Pupil) (*pdf.Prepared, error),
	use func(roster.Pupil, *pdf.Prepared, error) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		p   *pdf.Prepared
		err error
	}
	window := 2 * runtime.GOMAXPROCS(0)
	slots := make(chan struct{}, window)
	futures := make(chan chan result, window)
	go func() {
		defer close(futures)
		for _, pu := range pupils {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			ch := make(chan result, 1)
			go func() {
				p, err := prepare(pu)
				ch <- result{p, err}
			}()
			select {
			case futures <- ch:
			case <-ctx.Done():
				return
			}
		}
	}()
	i := 0
	for ch := range futures {
		if err := ctx.Err(); err != nil {
			return errors.New("interrupted; nothing was written")
		}
		r := <-ch
		<-slots
		if err := use(pupils[i], r.p, r.err); err != nil {
			return err
		}
		i++
	}
	if i < len(pupils) {
		return errors.New("interrupted; nothing was written")
	}
	return nil
}

// checkTargets refuses, before any work, to replace an existing file
// without --force, and never replaces a folder.
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
	switch len(exist) {
	case 0:
		return nil
	case 1:
		return &diag.Error{Msg: exist[0] + " already exists; nothing was written", Hint: "use --force to replace it"}
	default:
		return &diag.Error{Msg: fmt.Sprintf("%d output files already exist (%s, ...); nothing was written", len(exist), exist[0]), Hint: "use --force to replace them"}
	}
}

// formsWriter writes each output to a temporary file beside its target and,
// only when every one is written, renames them into place, so a failure
// leaves no output and no temporary file, and an existing file is either
// kept or replaced whole.
type formsWriter struct {
	staged []staged
	made   []string // folders this run created, removed again on failure
}

type staged struct{ tmp, target string }

func (w *formsWriter) stage(target string, book *pdf.Book) (err error) {
	dir := filepath.Dir(target)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		// Remember each folder created, outermost first, to remove
		// them if the run fails.
		var missing []string
		for d := dir; ; d = filepath.Dir(d) {
			if _, err := os.Stat(d); err == nil || filepath.Dir(d) == d {
				break
			}
			missing = append([]string{d}, missing...)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		w.made = append(w.made, missing...)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	w.staged = append(w.staged, staged{tmp: f.Name(), target: target})
	if _, err := book.WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", target, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", target, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", target, err)
	}
	return nil
}

// commit moves every staged file into place. Without force a target that
// appeared since checkTargets is still not replaced: link fails if the name
// exists, where rename would silently overwrite.
func (w *formsWriter) commit(force bool) error {
	if !force {
		for _, s := range w.staged {
			if _, err := os.Lstat(s.target); err == nil {
				return &diag.Error{Msg: s.target + " already exists; nothing was written", Hint: "use --force to replace it"}
			}
		}
	}
	for i, s := range w.staged {
		var err error
		if force {
			err = os.Rename(s.tmp, s.target)
		} else if err = os.Link(s.tmp, s.target); err == nil {
			err = os.Remove(s.tmp)
		} else if !errors.Is(err, fs.ErrExist) {
			// A file system without hard links: rename, having checked.
			err = os.Rename(s.tmp, s.target)
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w (%d of %d files written)", s.target, err, i, len(w.staged))
		}
	}
	w.staged, w.made = nil, nil
	return nil
}

// cleanup removes the temporary files of a run that did not commit.
func (w *formsWriter) cleanup() {
	for _, s := range w.staged {
		_ = os.Remove(s.tmp)
	}
	for i := len(w.made) - 1; i >= 0; i-- {
		_ = os.Remove(w.made[i]) // only if empty
	}
	w.staged, w.made = nil, nil
}

// newFormsBar returns a progress bar on standard error for a large roster
// when standard error is a terminal, else nil. It shows counts only.
func newFormsBar(opts *FormsOptions, n int) *progressbar.ProgressBar {
	show := n >= progressMin && isTerminal(opts.IO.ErrOut)
	if opts.Progress != nil {
		show = *opts.Progress
	}
	if !show || opts.Quiet {
		return nil
	}
	return progressbar.NewOptions(n,
		progressbar.OptionSetWriter(opts.IO.ErrOut),
		progressbar.OptionSetDescription("forms"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100_000_000), // 0.1 s
		progressbar.OptionClearOnFinish(),
	)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
