package cli

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/policypack/policypack/internal/build"
	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/review"
)

// DueOptions are the flags of `policypack due`.
type DueOptions struct {
	IO           IO
	SchoolsDir   string
	TemplatesDir string
	AsOf         string
	Within       string
	JSON         bool
	Markdown     bool
	// Policies restricts the list to these policy ids (every policy when
	// empty).
	Policies []string
	IDs      []string
}

// DueJSONVersion is the version of `due --json`'s shape (README: "due --json").
const DueJSONVersion = 1

// DueReport is the `due --json` document.
type DueReport struct {
	Format string `json:"format"` // "policypack.due/v1", as every --json report
	// FormatVersion is 1: the field scripts read before the envelope.
	FormatVersion int    `json:"format_version"`
	AsOf          string `json:"as_of"`       // YYYY-MM-DD
	WithinDays    int    `json:"within_days"` // the window after as_of that counts
	// Due lists every policy whose next review is on or before as_of +
	// within_days, soonest first. Never null.
	Due []DueItem `json:"due"`
	// Undated lists policies with no review date recorded at all (not
	// counted as due; shown so they are not forgotten). Never null.
	Undated []DueItem `json:"undated"`
}

// DueItem is one school's policy in a DueReport.
type DueItem struct {
	School       string `json:"school"`
	SchoolName   string `json:"school_name"`
	Policy       string `json:"policy"`
	PolicyTitle  string `json:"policy_title"`
	Version      string `json:"version"`       // "" when not recorded
	ApprovedBy   string `json:"approved_by"`   // "" when not recorded
	ApprovedOn   string `json:"approved_on"`   // YYYY-MM-DD or ""
	LastReviewed string `json:"last_reviewed"` // YYYY-MM-DD or ""
	NextReview   string `json:"next_review"`   // YYYY-MM-DD or "" (undated)
	// State is overdue, due (today), due-soon (within the window) or
	// unknown (undated).
	State string `json:"state"`
	// Days is from as_of to next_review: negative when overdue, 0 when due
	// today or undated.
	Days   int    `json:"days"`
	Source string `json:"source"` // config file (and line) where the date is set
}

func newDueCmd(io IO) *cobra.Command {
	opts := &DueOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "due [SCHOOL-ID...]",
		Short: "List policies due for review, soonest first",
		Long: `Due lists every school and policy whose next review falls on or before the
as-of date plus the --within window, soonest first: school, policy, next review
date, and how many days overdue or left. Policies with no review date recorded
are noted on standard error (and under "undated" in --json), not counted.

Exit status: 0 when nothing is due, 1 when something is, 2 on a config or
usage error. --json prints a stable shape for CI and dashboards (see the
README); --markdown prints a table for a CI job summary.`,
		Example: `  policypack due
  policypack due --within 30d --json
  policypack due --as-of 2024-05-24 robert-miles-infant
  policypack due --markdown >> "$GITHUB_STEP_SUMMARY"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.IDs = args
			return runDue(opts)
		},
	}
	addSourceFlags(cmd, &opts.SchoolsDir, &opts.TemplatesDir)
	addAsOfFlag(cmd, &opts.AsOf)
	cmd.Flags().StringVar(&opts.Within, "within", "0d", "also list reviews due within this window after the as-of date: days (30d) or weeks (4w)")
	addJSONFlag(cmd, &opts.JSON, "due")
	cmd.Flags().BoolVar(&opts.Markdown, "markdown", false, "print a Markdown table (for $GITHUB_STEP_SUMMARY)")
	cmd.Flags().StringSliceVar(&opts.Policies, "policy", nil, "list only these policies (ids, comma-separated or repeated; default every policy)")
	return cmd
}

// parseWithin parses a --within window: "30d", "4w" or a bare number of days.
func parseWithin(s string) (int, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	mult := 1
	switch {
	case strings.HasSuffix(s, "d"):
		s = strings.TrimSuffix(s, "d")
	case strings.HasSuffix(s, "w"):
		s, mult = strings.TrimSuffix(s, "w"), 7
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 100000 {
		return 0, fmt.Errorf("%q is not a window: use days or weeks, e.g. 30d or 4w", s)
	}
	return n * mult, nil
}

func runDue(opts *DueOptions) error {
	if opts.JSON && opts.Markdown {
		return usagef("--json and --markdown cannot be used together")
	}
	within, err := parseWithin(opts.Within)
	if err != nil {
		return usagef("--within: %v", err)
	}
	asOf, err := asOfDate(opts.AsOf)
	if err != nil {
		return err
	}
	// A config error is exit 2, not 1: 1 means "something is due".
	sess, err := build.OpenReviews(build.Options{SchoolsDir: opts.SchoolsDir, TemplatesDir: opts.TemplatesDir, IDs: opts.IDs, AsOf: asOf})
	if err != nil {
		return usageError{err: err}
	}
	set, policies := sess.Set, sess.ReviewPolicies()
	if policies, err = onlyPolicies(policies, opts.Policies); err != nil {
		return err
	}

	rep := DueReport{Format: jsonFormat("due"), FormatVersion: DueJSONVersion, AsOf: asOf.ISO(), WithinDays: within, Due: []DueItem{}, Undated: []DueItem{}}
	for _, it := range review.Items(set.Schools, policies, asOf, within) {
		di := DueItem{School: it.School, SchoolName: it.SchoolName, Policy: it.Policy, PolicyTitle: it.PolicyTitle,
			Version: it.Version, ApprovedBy: it.ApprovedBy, ApprovedOn: it.ApprovedOn.ISO(), LastReviewed: it.LastReviewed.ISO(),
			NextReview: it.Next.ISO(), State: string(it.State), Days: it.Days, Source: it.Source}
		switch {
		case it.State == review.Unknown:
			rep.Undated = append(rep.Undated, di)
		case it.Reached():
			rep.Due = append(rep.Due, di)
		}
	}

	switch {
	case opts.JSON:
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rep); err != nil {
			return err
		}
	case opts.Markdown:
		writeDueMarkdown(opts.IO, rep, asOf)
	default:
		writeDueText(opts.IO, rep, asOf)
	}
	if len(rep.Due) > 0 {
		return exitError{ExitInvalid}
	}
	return nil
}

func deadline(rep DueReport, asOf config.Date) string {
	t := asOf.Time().AddDate(0, 0, rep.WithinDays)
	return config.NewDate(t.Year(), t.Month(), t.Day()).String()
}

func itemLabel(it DueItem) string {
	return review.Status{State: review.State(it.State), Days: it.Days}.Label()
}

func dateOf(iso string) string {
	d, err := config.ParseDate(iso)
	if err != nil {
		return iso
	}
	return d.String()
}

func writeDueText(io IO, rep DueReport, asOf config.Date) {
	if len(rep.Due) == 0 {
		fmt.Fprintf(io.Out, "Nothing due for review on or before %s.\n", deadline(rep, asOf))
	} else {
		tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SCHOOL\tNAME\tPOLICY\tNEXT REVIEW\tSTATUS")
		// The state is the last column, so its colour codes cannot
		// throw the tabwriter's alignment out.
		color := colorOn(io.Out)
		for _, it := range rep.Due {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", it.School, it.SchoolName, it.Policy, dateOf(it.NextReview), paint(color, stateColor(it.State), itemLabel(it)))
		}
		tw.Flush()
		fmt.Fprintf(io.Out, "%d %s due for review on or before %s.\n", len(rep.Due), plural(len(rep.Due), "policy", "policies"), deadline(rep, asOf))
	}
	for _, it := range rep.Undated {
		fmt.Fprintf(io.ErrOut, "note: %v\n", &diag.Error{File: it.Source, Msg: fmt.Sprintf("%s (%s): no review date recorded", it.Policy, it.School),
			Hint: fmt.Sprintf("when the governors approve it, add to %s:\n\t  [policies.%s]\n\t  approved_on = YYYY-MM-DD   # or next_review = YYYY-MM-DD", schoolFile(it.Source), it.Policy)})
	}
}

func writeDueMarkdown(io IO, rep DueReport, asOf config.Date) {
	w := io.Out
	if len(rep.Due) == 0 {
		fmt.Fprintf(w, "No policy reviews due on or before %s.\n", deadline(rep, asOf))
	} else {
		fmt.Fprintf(w, "%d %s due for review on or before %s:\n\n", len(rep.Due), plural(len(rep.Due), "policy", "policies"), deadline(rep, asOf))
		fmt.Fprintln(w, "| School | Policy | Next review | Status |")
		fmt.Fprintln(w, "| --- | --- | --- | --- |")
		for _, it := range rep.Due {
			status := itemLabel(it)
			if it.State == string(review.Overdue) {
				status = "**" + status + "**"
			}
			fmt.Fprintf(w, "| %s (`%s`) | %s | %s | %s |\n", compose.EscapeMarkdown(it.SchoolName), it.School,
				compose.EscapeMarkdown(it.PolicyTitle), dateOf(it.NextReview), status)
		}
	}
	if len(rep.Undated) > 0 {
		fmt.Fprintf(w, "\nNo review date recorded: ")
		var names []string
		for _, it := range rep.Undated {
			names = append(names, compose.EscapeMarkdown(it.SchoolName)+" ("+compose.EscapeMarkdown(it.PolicyTitle)+")")
		}
		fmt.Fprintln(w, strings.Join(names, "; ")+".")
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// onlyPolicies keeps the policies --policy names, in the policy set's order; an id
// the policy set does not have is a usage error with a did-you-mean.
func onlyPolicies(all []review.Policy, ids []string) ([]review.Policy, error) {
	if len(ids) == 0 {
		return all, nil
	}
	known := make([]string, 0, len(all))
	for _, p := range all {
		known = append(known, p.ID)
	}
	for _, id := range ids {
		if !slices.Contains(known, id) {
			hint := cmp.Or(diag.DidYouMean(id, known), "policies: "+strings.Join(known, ", "))
			return nil, usageError{err: &diag.Error{Msg: fmt.Sprintf("--policy: no policy %q", id), Hint: hint}}
		}
	}
	return slices.DeleteFunc(slices.Clone(all), func(p review.Policy) bool { return !slices.Contains(ids, p.ID) }), nil
}

// schoolFile is the file part of a "file:line" source.
func schoolFile(source string) string {
	if i := strings.LastIndexByte(source, ':'); i > 0 && strings.Trim(source[i+1:], "0123456789") == "" {
		return source[:i]
	}
	return source
}
