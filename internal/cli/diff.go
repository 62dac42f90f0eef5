package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/policypack/policypack/internal/history"
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
	AsOf         string
}

var diffFormats = []string{"html", "pdf", "md"}

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
		Example: `  policypack diff robert-miles-infant --out redline.html
  policypack diff robert-miles-infant --format pdf --out redline.pdf
  policypack diff hevingham-marsham --from v2024 --to HEAD --format md`,
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
	cmd.Flags().StringVar(&opts.Format, "format", "", "output format: html, pdf or md (default: from --out's extension, else html)")
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "file to write (default: standard output)")
	addAsOfFlag(cmd, &opts.AsOf)
	return cmd
}

func runDiff(opts *DiffOptions) error {
	if opts.Worktree && opts.To != "" {
		return usagef("--to and --worktree exclude each other")
	}
	format := strings.ToLower(opts.Format)
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(opts.Out)), ".")
		if format == "htm" {
			format = "html"
		}
		if !slices.Contains(diffFormats, format) {
			format = "html"
		}
	}
	if !slices.Contains(diffFormats, format) {
		return usagef("--format: unknown format %q (formats: %s)", opts.Format, strings.Join(diffFormats, ", "))
	}
	asOf, err := asOfDate(opts.AsOf)
	if err != nil {
		return err
	}
	rl, policy, err := history.Compare(history.Options{
		SchoolsDir: opts.SchoolsDir, TemplatesDir: opts.TemplatesDir, ID: opts.ID, Policy: opts.Policy,
		From: opts.From, To: opts.To, AsOf: asOf, Version: Version,
	})
	var revErr *history.RevisionError
	var choiceErr *history.PolicyChoiceError
	switch {
	case errors.As(err, &revErr):
		return usageError{err: revErr.Err}
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
	}
	if opts.Out == "" {
		if _, err := opts.IO.Out.Write(data); err != nil {
			return err
		}
	} else if err := os.WriteFile(opts.Out, data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", opts.Out, err)
	}
	where := ""
	if opts.Out != "" {
		where = ": " + opts.Out
	}
	fmt.Fprintf(opts.IO.ErrOut, "%s, %s: %s%s\n", opts.ID, policy, rl.Summary(), where)
	return nil
}
