package cli

import (
	"fmt"
	"path"
	"strings"

	"github.com/spf13/cobra"

	"github.com/policypack/policypack/internal/build"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/coverage"
)

// CheckOptions are the flags of `policypack check`.
type CheckOptions struct {
	IO           IO
	SchoolsDir   string
	TemplatesDir string
	AsOf         string
	Strict       bool
	// Policy narrows the report to one policy: its deviations, references
	// and coverage. Every policy is still loaded and composed, so an error
	// anywhere still fails the check.
	Policy string
	IDs    []string
}

func newCheckCmd(io IO) *cobra.Command {
	opts := &CheckOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "check [SCHOOL-ID...]",
		Short: "Validate configs and templates and report local deviations; write nothing",
		Long: `Check loads and validates every school config and composes every document, exactly
as build does, but writes nothing. It reports every error it finds (file:line, key
and a hint), then which schools replace, extend or omit sections of the shared text.
Uncovered statutory requirements, draft policies (no approval recorded) and overdue
reviews are warnings; --strict makes them errors (exit 1).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.IDs = args
			return runCheck(opts)
		},
	}
	addSourceFlags(cmd, &opts.SchoolsDir, &opts.TemplatesDir)
	addAsOfFlag(cmd, &opts.AsOf)
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "fail on uncovered statutory requirements, drafts and overdue reviews")
	cmd.Flags().StringVar(&opts.Policy, "policy", "", "report on this policy only (every policy is still checked for errors)")
	return cmd
}

func runCheck(opts *CheckOptions) error {
	asOf, err := asOfDate(opts.AsOf)
	if err != nil {
		return err
	}
	// Statutory coverage: a bad meets id is an error; an uncovered
	// requirement is a one-line warning per school (details: `coverage`).
	sess, docs, reps, err := build.PrepareCoverage(build.Options{SchoolsDir: opts.SchoolsDir, TemplatesDir: opts.TemplatesDir, IDs: opts.IDs, AsOf: asOf, Strict: opts.Strict})
	if err != nil {
		return err
	}
	if opts.Policy != "" {
		if reps, err = narrowCoverage(opts.IO, sess, reps, opts.Policy); err != nil {
			return err
		}
	}
	uncovered := 0
	for _, r := range reps {
		if r.Summary.Uncovered > 0 {
			uncovered++
			level := "warning"
			if opts.Strict {
				level = "error"
			}
			fmt.Fprintf(opts.IO.ErrOut, "%s: %s\n", level, coverage.SummaryLine(r))
		}
	}
	// Drafts and overdue reviews: --strict has already failed on them.
	for _, msg := range sess.Warnings(sess.Set.Schools) {
		fmt.Fprintf(opts.IO.ErrOut, "warning: %s\n", msg)
	}
	w := opts.IO.Out
	// Template overrides deviate from the shared text for every school.
	replaced, added, err := sess.Catalog.Overrides()
	if err != nil {
		return err
	}
	for _, f := range replaced {
		fmt.Fprintf(w, "templates: %s replaces the built-in file for every school\n", path.Join(sess.Catalog.Override, f))
	}
	for _, f := range added {
		fmt.Fprintf(w, "templates: %s is the trust's own\n", path.Join(sess.Catalog.Override, f))
	}
	for _, s := range sess.Set.Schools {
		if opts.Policy != "" && !s.Has(opts.Policy) {
			continue // noted with the coverage
		}
		var devs []string
		for _, d := range build.Deviations(s, docs[s.ID]) {
			if opts.Policy != "" && d.Doc != opts.Policy {
				continue
			}
			devs = append(devs, fmt.Sprintf("  %s:%d: %s section %q %s", d.File, d.Line, d.Doc, d.Section, strings.Join(d.What, ", ")))
		}
		for _, d := range build.DanglingRefs(docs[s.ID]) {
			if opts.Policy != "" && d.Doc != opts.Policy {
				continue
			}
			fmt.Fprintf(opts.IO.ErrOut, "warning: %s: %s: the text refers %d time(s) to section %q, which this school omits or which is empty; those places name it in words\n", s.ID, d.Doc, d.Count, d.Section)
		}
		// A school with a draft, an overdue review or values to confirm
		// is not "ok": `due` would not say so either.
		status := "ok"
		if n := len(sess.Warnings([]*config.School{s})); n > 0 {
			status = fmt.Sprintf("%d warning(s)", n)
		}
		if len(devs) == 0 {
			fmt.Fprintf(w, "%s: %s, shared text throughout\n", s.ID, status)
			continue
		}
		fmt.Fprintf(w, "%s: %s, %d local deviation(s) from the shared text:\n%s\n", s.ID, status, len(devs), strings.Join(devs, "\n"))
	}
	if opts.Strict && uncovered > 0 {
		return exitError{ExitInvalid}
	}
	return nil
}
