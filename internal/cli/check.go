package cli

import (
	"fmt"
	"path"
	"strings"

	"github.com/spf13/cobra"

	"github.com/policypack/policypack/internal/build"
	"github.com/policypack/policypack/internal/coverage"
	"github.com/policypack/policypack/internal/diag"
)

// CheckOptions are the flags of `policypack check`.
type CheckOptions struct {
	IO           IO
	SchoolsDir   string
	TemplatesDir string
	AsOf         string
	Strict       bool
	IDs          []string
}

func newCheckCmd(io IO) *cobra.Command {
	opts := &CheckOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "check [SCHOOL-ID...]",
		Short: "Validate configs and templates and report local deviations; write nothing",
		Long: `Check loads and validates every school config and composes every document, exactly
as build does, but writes nothing. It reports every error it finds (file:line, key
and a hint), then which schools replace, extend or omit sections of the shared text.
Uncovered statutory requirements are warnings; --strict makes them errors, and an
overdue review too (exit 1).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.IDs = args
			return runCheck(opts)
		},
	}
	addSourceFlags(cmd, &opts.SchoolsDir, &opts.TemplatesDir)
	addAsOfFlag(cmd, &opts.AsOf)
	addStrictFlag(cmd, &opts.Strict)
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
	w := opts.IO.Out
	// Template overrides deviate from the shared text for every school.
	replaced, added, err := sess.Catalog.Overrides()
	if err != nil {
		return err
	}
	for _, f := range replaced {
		fmt.Fprintf(w, "templates: %s replaces the built-in file for every school\n", path.Join(sess.Catalog.Override, f))
	}
	unused, err := sess.Catalog.Unused()
	if err != nil {
		return err
	}
	isUnused := map[string]bool{}
	for _, u := range unused {
		isUnused[u.Path] = true
		hint := "no policy reads this path: a section's template is <policy>/sections/<section-id>.md.tmpl (`policypack copy-template --list` shows every path)"
		if u.Suggest != "" {
			hint = fmt.Sprintf("did you mean %s? (the path of the built-in file it would replace)", path.Join(sess.Catalog.Override, u.Suggest))
		}
		fmt.Fprintf(opts.IO.ErrOut, "warning: %v\n", &diag.Error{File: path.Join(sess.Catalog.Override, u.Path), Msg: "not used: no policy reads this file", Hint: hint})
	}
	for _, f := range added {
		if !isUnused[f] {
			fmt.Fprintf(w, "templates: %s is the trust's own\n", path.Join(sess.Catalog.Override, f))
		}
	}
	for _, s := range sess.Set.Schools {
		var devs []string
		for _, d := range build.Deviations(s, docs[s.ID]) {
			devs = append(devs, fmt.Sprintf("  %s:%d: %s section %q %s", d.File, d.Line, d.Doc, d.Section, strings.Join(d.What, ", ")))
		}
		for _, d := range build.DanglingRefs(docs[s.ID]) {
			fmt.Fprintf(opts.IO.ErrOut, "warning: %s: %s: the text refers %d time(s) to section %q, which this school omits or which is empty; those places name it in words\n", s.ID, d.Doc, d.Count, d.Section)
		}
		if len(devs) == 0 {
			fmt.Fprintf(w, "%s: ok, shared text throughout\n", s.ID)
			continue
		}
		fmt.Fprintf(w, "%s: ok, %d local deviation(s) from the shared text:\n%s\n", s.ID, len(devs), strings.Join(devs, "\n"))
	}
	if opts.Strict && uncovered > 0 {
		return exitError{ExitInvalid}
	}
	return nil
}
