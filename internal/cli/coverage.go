package cli

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/policypack/policypack/internal/build"
	"github.com/policypack/policypack/internal/coverage"
	"github.com/policypack/policypack/internal/diag"
)

// CoverageOptions are the flags of `policypack coverage`.
type CoverageOptions struct {
	IO           IO
	SchoolsDir   string
	TemplatesDir string
	AsOf         string
	Strict       bool
	JSON         bool
	// Policy narrows each school's report to one policy (coverage.ForPolicy);
	// "" reports every policy the school has.
	Policy string
	IDs    []string
}

func newCoverageCmd(io IO) *cobra.Command {
	opts := &CoverageOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "coverage [SCHOOL-ID...]",
		Short: "Map each statutory requirement to the policy sections that meet it, per school",
		Long: `Coverage checks each school's policies, as built for that school after its own
omissions and replacements, against the requirements catalogue (templates/standards,
plus the trust's own standards/*.toml). For every requirement that applies to the
school's phase and key stages it prints the sections that meet it, or why none does:
the school omitted the section, replaced it with text that declares no coverage
(add meets = [...] beside replace), or the section renders nothing for the school.

It checks that the policy addresses each requirement, not that the school does
what its policy says.

With --policy, each school's report is narrowed to one policy: the requirements
its sections declare they meet (a school that does not have the policy is left
out).

Uncovered requirements are warnings (exit 0); --strict makes them errors, and
an overdue review too (exit 1), as in check and build. Invalid configs or
templates exit 1; bad flags exit 2.`,
		Example: `  policypack coverage
  policypack coverage robert-miles-infant
  policypack coverage --policy online-safety
  policypack coverage --strict --json > coverage.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.IDs = args
			return runCoverage(opts)
		},
	}
	addSourceFlags(cmd, &opts.SchoolsDir, &opts.TemplatesDir)
	addAsOfFlag(cmd, &opts.AsOf)
	addStrictFlag(cmd, &opts.Strict)
	addJSONFlag(cmd, &opts.JSON, "coverage")
	cmd.Flags().StringVar(&opts.Policy, "policy", "", "report on this policy only (default: every policy each school has)")
	return cmd
}

func runCoverage(opts *CoverageOptions) error {
	asOf, err := asOfDate(opts.AsOf)
	if err != nil {
		return err
	}
	sess, _, reps, err := build.PrepareCoverage(build.Options{SchoolsDir: opts.SchoolsDir, TemplatesDir: opts.TemplatesDir, IDs: opts.IDs, AsOf: asOf, Strict: opts.Strict})
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
		uncovered += r.Summary.Uncovered
	}
	if opts.JSON {
		data, err := coverage.JSONSet(reps)
		if err != nil {
			return err
		}
		if _, err := opts.IO.Out.Write(data); err != nil {
			return err
		}
	} else {
		for i, r := range reps {
			if i > 0 {
				fmt.Fprintln(opts.IO.Out)
			}
			if _, err := opts.IO.Out.Write(coverage.Text(r)); err != nil {
				return err
			}
		}
	}
	if uncovered > 0 {
		for _, r := range reps {
			if r.Summary.Uncovered > 0 {
				fmt.Fprintf(opts.IO.ErrOut, "warning: %s: %d of %d requirement(s) uncovered\n", r.School.ID, r.Summary.Uncovered, r.Summary.Applicable)
			}
		}
		if opts.Strict {
			fmt.Fprintf(opts.IO.ErrOut, "error: %d uncovered requirement(s) (--strict)\n", uncovered)
			return exitError{ExitInvalid}
		}
	}
	return nil
}

// narrowCoverage narrows each school's report to one policy (--policy of
// coverage and check), noting each school that does not have it; an id the
// templates lack is a usage error with a did-you-mean.
func narrowCoverage(io IO, sess *build.Session, reps []*coverage.Report, id string) ([]*coverage.Report, error) {
	p := sess.Templates.Policy(id)
	if p == nil {
		var ids []string
		for _, q := range sess.Templates.Policies {
			ids = append(ids, q.ID)
		}
		hint := cmp.Or(diag.DidYouMean(id, ids), "policies: "+strings.Join(ids, ", "))
		return nil, usageError{err: &diag.Error{Msg: fmt.Sprintf("--policy: no policy %q", id), Hint: hint}}
	}
	var narrowed []*coverage.Report
	for _, r := range reps {
		if nr, ok := r.ForPolicy(p); ok {
			narrowed = append(narrowed, nr)
		} else {
			fmt.Fprintf(io.ErrOut, "note: %s does not have the %s policy\n", r.School.ID, p.ID)
		}
	}
	return narrowed, nil
}
