package cli

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/forms"
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
	Format       string // "pdf" or "docx"; "" for --out's extension, else pdf
	Duplex       bool
	SplitBy      string // "", "class" or "year"
	Force        bool
	AsOf         string
	Quiet        bool
	DryRun       bool
	JSON         bool
	Encoding     string            // "" to detect
	Columns      map[string]string // field -> header
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
		Use:   "forms SCHOOL-ID --form FORM --roster FILE.csv --out FILE.pdf",
		Short: "Print a form once per pupil, pre-filled from a roster",
		Long: `Forms prints one copy of a school's form for every pupil in a roster exported
from the school's management system, with the pupil's name, year group and class
filled in and the parent's fields left blank, sorted by class, surname and
forename, into one PDF (or, with --split-by class, one PDF per class in the --out
folder, named <form>-<class>.pdf). With --format docx (or --out FILE.docx) it
writes a Word document instead, each pupil's form starting a new page.

The roster is all or nothing: every row is checked first, and a bad row (unbalanced
quotes, no name) is reported by its line number, never its content, and nothing is
written. An existing output file is kept unless --force is given. Output files are
written whole or not at all, readable by their owner only (they hold pupil data),
and no other copy of the pupil data is left anywhere. Messages give line numbers
and counts, never names.`,
		Example: `  policypack forms hevingham-marsham --form parent-agreement \
                   --roster pupils.csv --out parent-agreements.pdf
  policypack forms hevingham-marsham --form pupil-code-of-conduct \
                   --roster pupils.csv --split-by class --duplex --out forms/
  policypack forms hevingham-marsham --form parent-agreement \
                   --roster pupils.csv --out parent-agreements.docx`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			// The school is an argument, as in every other command;
			// --school stays for the scripts that already use it.
			if len(args) == 1 {
				if opts.School != "" && opts.School != args[0] {
					return usageError{err: fmt.Errorf("two schools: %s and --school %s", args[0], opts.School), cmd: cmd.CommandPath()}
				}
				opts.School = args[0]
			}
			watchesInterrupt.Store(true)
			return runForms(cmd.Context(), opts)
		},
	}
	addSourceFlags(cmd, &opts.SchoolsDir, &opts.TemplatesDir)
	f := cmd.Flags()
	f.StringVar(&opts.School, "school", "", "the school, as the SCHOOL-ID argument (kept for older scripts)")
	f.StringVar(&opts.Form, "form", "", "id of the form, e.g. parent-agreement, pupil-code-of-conduct")
	f.StringVar(&opts.Roster, "roster", "", "roster CSV exported from the school's management system")
	f.StringVarP(&opts.Out, "out", "o", "", "PDF file to write; with --split-by, the folder to write one PDF per group into")
	f.StringVar(&opts.Format, "format", "", "pdf or docx (default: from --out's extension, else pdf)")
	f.BoolVar(&opts.Duplex, "duplex", false, "pad every form to an even number of pages, for double-sided printing")
	f.StringVar(&opts.SplitBy, "split-by", "", "write one PDF per class (class) or year group (year)")
	f.BoolVar(&opts.Force, "force", false, "replace output files that already exist")
	addAsOfFlag(cmd, &opts.AsOf)
	addQuietFlag(cmd, &opts.Quiet)
	f.StringVar(&opts.Encoding, "encoding", "", "the roster's encoding: "+strings.Join(roster.Encodings, ", ")+" (default: detected, and named when not UTF-8)")
	f.StringToStringVar(&opts.Columns, "columns", nil, "`FIELD=HEADER,...`: which column holds forename, surname, year, class, or name (one full-name column), for headers no known MIS uses")
	f.BoolVar(&opts.DryRun, "dry-run", false, "check the roster, school and form and list the files it would write; write nothing")
	addJSONFlag(cmd, &opts.JSON, "forms")
	return cmd
}

// runForms checks the flags and runs forms.Print; an interrupt (Ctrl-C)
// cancels the run, which then removes what it had staged.
func runForms(ctx context.Context, opts *FormsOptions) error {
	if err := checkFormsFlags(opts); err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	asOf, source, err := buildDates(opts.AsOf)
	if err != nil {
		return err
	}
	fo := forms.Options{
		SchoolsDir: opts.SchoolsDir, TemplatesDir: opts.TemplatesDir, School: opts.School, Form: opts.Form,
		Roster: opts.Roster, Out: opts.Out, DryRun: opts.DryRun, Encoding: opts.Encoding, Columns: opts.Columns, Format: formsFormat(opts), Duplex: opts.Duplex, SplitBy: opts.SplitBy, Force: opts.Force,
		AsOf: asOf, Version: Version, SourceDate: source,
		Progress: func(n int) forms.Meter {
			if bar := newFormsBar(opts, n); bar != nil {
				return bar
			}
			return nil
		},
	}
	if !opts.Quiet {
		fo.Notes = opts.IO.ErrOut
	}
	var notes bytes.Buffer
	if opts.JSON {
		fo.Notes = &notes
	}
	res, err := forms.Print(ctx, fo)
	var oe *forms.OptionError
	if errors.As(err, &oe) {
		return usageError{err: err}
	}
	if err != nil {
		return err
	}
	if opts.JSON {
		rep := FormsReport{Format: jsonFormat("forms"), DryRun: opts.DryRun, School: opts.School, Form: opts.Form,
			Forms: res.Forms, Pages: res.Pages, Files: append([]string{}, res.Files...), Notes: []string{}}
		for _, l := range strings.Split(strings.TrimSpace(notes.String()), "\n") {
			if l != "" {
				rep.Notes = append(rep.Notes, l)
			}
		}
		return writeJSON(opts.IO.Out, rep)
	}
	if opts.DryRun {
		if !opts.Quiet {
			fmt.Fprintf(opts.IO.ErrOut, "would write %d form(s) to %s (dry run: nothing written)\n", res.Forms, strings.Join(res.Files, ", "))
		}
		return nil
	}
	if !opts.Quiet && res.Pages == 0 {
		// A Word document's pages are laid out by Word: count forms only.
		if opts.SplitBy != "" {
			fmt.Fprintf(opts.IO.ErrOut, "wrote %d form(s) in %d file(s) in %s\n", res.Forms, len(res.Files), opts.Out)
		} else {
			fmt.Fprintf(opts.IO.ErrOut, "wrote %d form(s) to %s\n", res.Forms, opts.Out)
		}
	} else if !opts.Quiet {
		if opts.SplitBy != "" {
			fmt.Fprintf(opts.IO.ErrOut, "wrote %d form(s), %d page(s), in %d file(s) in %s\n", res.Forms, res.Pages, len(res.Files), opts.Out)
		} else {
			fmt.Fprintf(opts.IO.ErrOut, "wrote %d form(s), %d page(s), to %s\n", res.Forms, res.Pages, opts.Out)
		}
	}
	return nil
}

func checkFormsFlags(opts *FormsOptions) error {
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"SCHOOL-ID", opts.School}, {"--form", opts.Form}, {"--roster", opts.Roster}, {"--out", opts.Out},
	} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return usageError{err: fmt.Errorf("forms needs %s", strings.Join(missing, ", ")), cmd: "policypack forms"}
	}
	for field := range opts.Columns {
		if !slices.Contains(roster.Fields, field) {
			hint := cmp.Or(diag.DidYouMean(field, roster.Fields), "fields: "+strings.Join(roster.Fields, ", "))
			return usageError{err: &diag.Error{Msg: fmt.Sprintf("--columns %s=...: not a field", field), Hint: hint}, cmd: "policypack forms"}
		}
	}
	switch opts.SplitBy {
	case "", "class", "year":
	default:
		return usagef("--split-by %q: use class or year", opts.SplitBy)
	}
	// The format follows --out's extension (forms --out x.html must not
	// write a PDF named x.html); with --split-by, --out is a folder.
	var err error
	if opts.SplitBy != "" {
		opts.Format, err = splitFormat("forms", opts.Format, opts.Out, formsFormats, "pdf")
	} else {
		opts.Format, err = outFormat("forms", opts.Format, opts.Out, formsFormats, "pdf", opts.Form)
	}
	return err
}

// formsFormats are the formats forms writes.
var formsFormats = []string{"pdf", "docx"}

// formsFormat is the format checkFormsFlags settled on.
func formsFormat(opts *FormsOptions) string { return cmpOr(opts.Format, "pdf") }

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

// FormsReport is `forms --json`: what a run wrote, or with --dry-run would
// write. Counts and file names only: pupil data stays in the forms.
type FormsReport struct {
	Format string   `json:"format"` // "policypack.forms/v1"
	DryRun bool     `json:"dry_run"`
	School string   `json:"school"`
	Form   string   `json:"form"`
	Forms  int      `json:"forms"` // one per pupil
	Pages  int      `json:"pages"` // 0 for a dry run or Word, which Word lays out
	Files  []string `json:"files"`
	Notes  []string `json:"notes"` // what the office should check, by roster line
}
