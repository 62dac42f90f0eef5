package cli

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/spf13/cobra"

	"github.com/policypack/policypack/internal/build"
	"github.com/policypack/policypack/internal/config"
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
	// Policy narrows the report to one policy: its deviations, references
	// and coverage. Every policy is still loaded and composed, so an error
	// anywhere still fails the check.
	Policy string
	JSON   bool
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
	addStrictFlag(cmd, &opts.Strict)
	addJSONFlag(cmd, &opts.JSON, "check")
	cmd.Flags().StringVar(&opts.Policy, "policy", "", "report on this policy only (every policy is still checked for errors)")
	return cmd
}

// CheckReport is `check --json`: every finding as data (see docs/cli.md).
type CheckReport struct {
	Format   string      `json:"format"` // "policypack.check/v1"
	OK       bool        `json:"ok"`     // no errors (with --strict, no warnings either)
	Errors   []diag.JSON `json:"errors"`
	Warnings []diag.JSON `json:"warnings"`
	// Templates lists the trust's files: replacing a built-in one, its own,
	// and not read by any policy.
	Templates struct {
		Replaced []string `json:"replaced"`
		Added    []string `json:"added"`
		Unused   []string `json:"unused"`
	} `json:"templates"`
	Schools []CheckSchool `json:"schools"`
}

// CheckSchool is one school's local deviations from the shared text.
type CheckSchool struct {
	School     string           `json:"school"`
	Deviations []CheckDeviation `json:"deviations"`
}

// CheckDeviation is one section a school omits, replaces or appends to.
type CheckDeviation struct {
	File    string   `json:"file"`
	Line    int      `json:"line"`
	Policy  string   `json:"policy"`
	Section string   `json:"section"`
	What    []string `json:"what"` // "omitted", "replaced", "appended to"
}

// checkReporter sends each finding to the text streams, or into the report.
type checkReporter struct {
	opts *CheckOptions
	rep  CheckReport
}

// warn reports a warning ("error" under --strict when strictErr).
func (c *checkReporter) warn(d *diag.Error, strictErr bool) {
	if c.opts.JSON {
		if strictErr && c.opts.Strict {
			c.rep.Errors = append(c.rep.Errors, diag.ToJSON(d)...)
		} else {
			c.rep.Warnings = append(c.rep.Warnings, diag.ToJSON(d)...)
		}
		return
	}
	level := "warning"
	if strictErr && c.opts.Strict {
		level = "error"
	}
	fmt.Fprintf(c.opts.IO.ErrOut, "%s: %v\n", level, d)
}

// text prints a line of the text report (nothing with --json).
func (c *checkReporter) text(format string, args ...any) {
	if !c.opts.JSON {
		fmt.Fprintf(c.opts.IO.Out, format, args...)
	}
}

// finish prints the JSON report.
func (c *checkReporter) finish(err error) error {
	if !c.opts.JSON {
		return err
	}
	c.rep.Format = jsonFormat("check")
	var ee exitError
	if !errors.As(err, &ee) {
		c.rep.Errors = append(c.rep.Errors, diag.ToJSON(err)...)
	}
	c.rep.OK = len(c.rep.Errors) == 0
	if werr := writeJSON(c.opts.IO.Out, c.rep); werr != nil {
		return werr
	}
	return err
}

func runCheck(opts *CheckOptions) error {
	asOf, err := asOfDate(opts.AsOf)
	if err != nil {
		return err
	}
	out := &checkReporter{opts: opts}
	out.rep.Errors, out.rep.Warnings, out.rep.Schools = []diag.JSON{}, []diag.JSON{}, []CheckSchool{}
	out.rep.Templates.Replaced, out.rep.Templates.Added, out.rep.Templates.Unused = []string{}, []string{}, []string{}
	return out.finish(checkFindings(opts, out, asOf))
}

func checkFindings(opts *CheckOptions, out *checkReporter, asOf config.Date) error {
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
			out.warn(&diag.Error{Msg: coverage.SummaryLine(r)}, true)
		}
	}
	// Drafts and overdue reviews: --strict has already failed on them.
	for _, msg := range sess.Warnings(sess.Set.Schools) {
		out.warn(&diag.Error{Msg: msg}, false)
	}
	// Template overrides deviate from the shared text for every school.
	replaced, added, err := sess.Templates.Overrides()
	if err != nil {
		return err
	}
	for _, f := range replaced {
		out.rep.Templates.Replaced = append(out.rep.Templates.Replaced, path.Join(sess.Templates.Override, f))
		out.text("templates: %s replaces the built-in file for every school\n", path.Join(sess.Templates.Override, f))
	}
	unused, err := sess.Templates.Unused()
	if err != nil {
		return err
	}
	isUnused := map[string]bool{}
	for _, u := range unused {
		isUnused[u.Path] = true
		hint := "no policy reads this path: a section's template is <policy>/sections/<section-id>.md.tmpl (`policypack copy-template --list` shows every path)"
		if u.Suggest != "" {
			hint = fmt.Sprintf("did you mean %s? (the path of the built-in file it would replace)", path.Join(sess.Templates.Override, u.Suggest))
		}
		out.rep.Templates.Unused = append(out.rep.Templates.Unused, path.Join(sess.Templates.Override, u.Path))
		out.warn(&diag.Error{File: path.Join(sess.Templates.Override, u.Path), Msg: "not used: no policy reads this file", Hint: hint}, false)
	}
	for _, f := range added {
		if !isUnused[f] {
			out.rep.Templates.Added = append(out.rep.Templates.Added, path.Join(sess.Templates.Override, f))
			out.text("templates: %s is the trust's own\n", path.Join(sess.Templates.Override, f))
		}
	}
	for _, s := range sess.Set.Schools {
		if opts.Policy != "" && !s.Has(opts.Policy) {
			continue // noted with the coverage
		}
		var devs []string
		cs := CheckSchool{School: s.ID, Deviations: []CheckDeviation{}}
		for _, d := range build.Deviations(s, docs[s.ID]) {
			if opts.Policy != "" && d.Doc != opts.Policy {
				continue
			}
			cs.Deviations = append(cs.Deviations, CheckDeviation{File: d.File, Line: d.Line, Policy: d.Doc, Section: d.Section, What: d.What})
			devs = append(devs, fmt.Sprintf("  %s:%d: %s section %q %s", d.File, d.Line, d.Doc, d.Section, strings.Join(d.What, ", ")))
		}
		out.rep.Schools = append(out.rep.Schools, cs)
		for _, d := range build.DanglingRefs(docs[s.ID]) {
			if opts.Policy != "" && d.Doc != opts.Policy {
				continue
			}
			out.warn(&diag.Error{Msg: fmt.Sprintf("%s: %s: the text refers %d time(s) to section %q, which this school omits or which is empty; those places name it in words", s.ID, d.Doc, d.Count, d.Section)}, false)
		}
		// A school with a draft, an overdue review or values to confirm
		// is not "ok": `due` would not say so either.
		status := "ok"
		if n := len(sess.Warnings([]*config.School{s})); n > 0 {
			status = fmt.Sprintf("%d warning(s)", n)
		}
		if len(devs) == 0 {
			out.text("%s: %s, shared text throughout\n", s.ID, status)
			continue
		}
		out.text("%s: %s, %d local deviation(s) from the shared text:\n%s\n", s.ID, status, len(devs), strings.Join(devs, "\n"))
	}
	if opts.Strict && uncovered > 0 {
		return exitError{ExitInvalid}
	}
	return nil
}
