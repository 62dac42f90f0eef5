package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/policypack/policypack/internal/atomicfile"
	"github.com/policypack/policypack/internal/build"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/docx"
	"github.com/policypack/policypack/internal/history"
	"github.com/policypack/policypack/internal/policies"
	"github.com/policypack/policypack/internal/redline"
)

// DiffOptions are the flags of `policypack diff`.
type DiffOptions struct {
	IO           IO
	SchoolsDir   string
	TemplatesDir string
	ID           string
	Policy       string
	From         string
	To           string
	Worktree     bool
	Format       string
	Out          string
	Quiet        bool
	Force        bool // replace --out if it exists
	AsOf         string
}

var diffFormats = []string{"html", "pdf", "docx", "md"}

func newDiffCmd(io IO) *cobra.Command {
	opts := &DiffOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "diff SCHOOL-ID",
		Short: "Redline of a school's policy between two commits (default: since its last approval)",
		Long: `Diff renders the school's policy at two git revisions of the trust repository and
writes a redline for governors: inserted words underlined, deleted words struck
through, unchanged sections collapsed to their headings, and a summary such as
"3 sections changed, 1 added". It compares the rendered text, so a change to a
shared template shows in every school it affects.

By default it compares the last commit that changed the school's approved_on for
the policy (in its own file, the organisation file it extends or _defaults.toml:
the version the governors approved) with the working tree, uncommitted edits
included.`,
		Example: `  policypack diff robert-miles-infant --policy online-safety --out redlines/robert-miles-infant.html
  policypack diff robert-miles-infant --policy online-safety --out redlines/robert-miles-infant.pdf
  policypack diff robert-miles-infant --policy mobile-phones --out redlines/robert-miles-infant-phones.docx
  policypack diff hevingham-marsham --policy online-safety --from v2024 --to HEAD --format md`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			return runDiff(opts)
		},
	}
	addSourceFlags(cmd, &opts.SchoolsDir, &opts.TemplatesDir)
	cmd.Flags().StringVar(&opts.Policy, "policy", "", "policy id (default: the only policy, else required)")
	cmd.Flags().StringVar(&opts.From, "from", "", "older revision (default: the commit of the last approval)")
	cmd.Flags().StringVar(&opts.To, "to", "", "newer revision (default: the working tree)")
	cmd.Flags().BoolVar(&opts.Worktree, "worktree", false, "compare against the working tree (the default; excludes --to)")
	cmd.Flags().StringVar(&opts.Format, "format", "", "output format: html, pdf, docx or md (default: from --out's extension, else html)")
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "file to write (default: standard output)")
	addQuietFlag(cmd, &opts.Quiet)
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace the --out file if it exists")
	addAsOfFlag(cmd, &opts.AsOf)
	return cmd
}

func runDiff(opts *DiffOptions) error {
	opts.IO = quietIO(opts.IO, opts.Quiet)
	if opts.Worktree && opts.To != "" {
		return usagef("--to and --worktree exclude each other")
	}
	// An existing --out is refused first: its name says nothing about the
	// format (diff --out schools/<id>.toml).
	if err := checkOut(opts.Out, opts.Force); err != nil {
		return err
	}
	format, err := outFormat("diff", opts.Format, opts.Out, diffFormats, "html", opts.ID+"-redline")
	if err != nil {
		return err
	}
	if opts.Out == "" {
		if err := refuseBinaryToTerminal(opts.IO, "diff", format); err != nil {
			return err
		}
	}
	asOf, err := asOfDate(opts.AsOf)
	if err != nil {
		return err
	}
	if err := checkOut(opts.Out, opts.Force); err != nil {
		return err
	}
	source, err := sourceDate()
	if err != nil {
		return err
	}
	rl, policy, err := history.Compare(history.Options{
		SchoolsDir: opts.SchoolsDir, TemplatesDir: opts.TemplatesDir, ID: opts.ID, Policy: opts.Policy,
		From: opts.From, To: opts.To, AsOf: asOf, Version: Version, SourceDate: source,
	})
	var revErr *history.RevisionError
	var choiceErr *history.PolicyChoiceError
	switch {
	case errors.As(err, &revErr):
		// Input that names nothing, like a school id with no config: exit 1.
		return &diag.Error{Msg: revErr.Error(), Err: revErr, Hint: "`git tag` and `git log --oneline` list the revisions this repository has"}
	case errors.As(err, &choiceErr):
		return usageError{err: choiceErr}
	case err != nil:
		return err
	}
	var data []byte
	switch format {
	case "html":
		data = rl.HTML()
	case "md":
		data = rl.Markdown()
	case "pdf":
		if data, err = rl.PDF(); err != nil {
			return err
		}
	case "docx":
		// The trust's reference styles, as the working tree has them.
		cat, err := policies.Open(opts.TemplatesDir)
		if err != nil {
			return err
		}
		o, err := build.DOCXOptions(cat)
		if err != nil {
			return err
		}
		if data, err = o.RenderTracked(trackedRedline(rl, asOf)); err != nil {
			return err
		}
	}
	if opts.Out == "" {
		if _, err := opts.IO.Out.Write(data); err != nil {
			return err
		}
	} else if err := os.MkdirAll(filepath.Dir(opts.Out), 0o755); err != nil {
		// redlines/ beside dist/ is made on first use, as build makes dist/.
		return fmt.Errorf("writing %s: %w", opts.Out, err)
	} else if err := writeOut(opts.Out, data, opts.Force); err != nil {
		return err
	}
	where := ""
	if opts.Out != "" {
		where = ": " + opts.Out
	}
	fmt.Fprintf(opts.IO.ErrOut, "%s, %s: %s%s\n", opts.ID, policy, rl.Summary(), where)
	return nil
}

// trackedRedline is the redline as a Word document of tracked changes:
// each insertion and deletion a revision by "policypack" dated the day the
// redline is made for (--as-of, SOURCE_DATE_EPOCH or today), so governors
// accept or reject each change in Word's review pane.
func trackedRedline(rl *redline.Redline, asOf config.Date) docx.Tracked {
	title := "Changes to " + rl.Title
	t := docx.Tracked{
		Title: title, School: rl.School,
		Intro: []string{"From: " + rl.From, "To: " + rl.To, rl.Summary() + ".",
			"Every change is a tracked change by policypack: Word's Review pane lists them, to accept or reject one by one. " +
				"Unchanged sections are listed by heading only, unchanged paragraphs of a changed section as a note."},
		Footer: title + ": " + rl.School,
		Author: "policypack",
		Date:   asOf.Time(),
	}
	ops := map[redline.Op]docx.Change{redline.Equal: docx.Kept, redline.Insert: docx.Inserted, redline.Delete: docx.Deleted, redline.Skip: docx.Omitted}
	for _, s := range rl.Sections {
		ts := docx.TrackedSection{Heading: s.Heading, Level: s.Level, Note: s.Status.String(), Changed: s.Status != redline.Unchanged}
		for _, p := range s.Paras {
			var runs []docx.Run
			for _, seg := range p {
				runs = append(runs, docx.Run{Text: seg.Text, Change: ops[seg.Op]})
			}
			ts.Paras = append(ts.Paras, runs)
		}
		t.Sections = append(t.Sections, ts)
	}
	return t
}

// checkOut refuses, before any work, an --out file that exists unless
// force: `diff --out schools/<id>.toml` must not replace a school's config.
func checkOut(out string, force bool) error {
	if out == "" {
		return nil
	}
	fi, err := os.Lstat(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !fi.Mode().IsRegular():
		return &diag.Error{File: out, Msg: "exists and is not a regular file; nothing was written", Hint: "choose another --out"}
	case !force:
		return &diag.Error{File: out, Msg: "already exists; nothing was written", Hint: "use --force to replace it, or choose another --out"}
	}
	return nil
}

// writeOut writes data to out whole or not at all, never replacing a file
// that appeared meanwhile unless force.
func writeOut(out string, data []byte, force bool) error {
	b := atomicfile.Batch{Perm: 0o644}
	defer b.Cleanup()
	if err := b.Stage(out, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return err
	}
	if err := b.Commit(force); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return checkOut(out, false)
		}
		return err
	}
	return nil
}
