// Package review works out when each policy is next due for review and
// whether that date has come, relative to an as-of date (never the clock
// directly, so builds are reproducible).
package review

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/policypack/policypack/internal/config"
)

// State is a policy's review status on the as-of date.
type State string

// The review states, as the dashboard, `due --json` and the manifest name them.
const (
	OK      State = "ok"       // next review later than the due-soon window
	DueSoon State = "due-soon" // within the window
	Due     State = "due"      // the next review date is the as-of date
	Overdue State = "overdue"  // the next review date has passed
	Unknown State = "unknown"  // no approval, review or next-review date recorded
)

// DefaultWindowDays is how far ahead "due soon" looks when not told.
const DefaultWindowDays = 30

// Status is the review position of one policy.
type Status struct {
	Next  config.Date // zero when Unknown
	State State
	Days  int // days from as-of to Next: negative when overdue
}

// Next returns the policy's next review date: the explicit next_review, else
// the last review (or approval) plus review_months; zero when neither is set.
func Next(p config.PolicyConfig) config.Date {
	if !p.NextReview.IsZero() {
		return p.NextReview
	}
	base := p.LastReviewed
	if base.IsZero() {
		base = p.ApprovedOn
	}
	if base.IsZero() || p.ReviewMonths <= 0 {
		return config.Date{}
	}
	return base.AddMonths(p.ReviewMonths)
}

// Of returns the policy's status on asOf, counting a review within
// windowDays as due soon.
func Of(p config.PolicyConfig, asOf config.Date, windowDays int) Status {
	next := Next(p)
	if next.IsZero() {
		return Status{State: Unknown}
	}
	days := asOf.DaysUntil(next)
	st := Status{Next: next, Days: days}
	switch {
	case days < 0:
		st.State = Overdue
	case days == 0:
		st.State = Due
	case days <= windowDays:
		st.State = DueSoon
	default:
		st.State = OK
	}
	return st
}

// Notice is the sentence every format shows near the top when a review has
// come, or "" when it has not.
func (s Status) Notice() string {
	switch s.State {
	case Overdue:
		return fmt.Sprintf("Review overdue since %s", s.Next)
	case Due:
		return fmt.Sprintf("Review due today, %s", s.Next)
	}
	return ""
}

// Label is the state as people read it on the dashboard and in `due`:
// "overdue by 3 days", "due today", "due in 12 days", "ok", "no date recorded".
func (s Status) Label() string {
	plural := func(n int) string {
		if n == 1 {
			return "1 day"
		}
		return fmt.Sprintf("%d days", n)
	}
	switch s.State {
	case Overdue:
		return "overdue by " + plural(-s.Days)
	case Due:
		return "due today"
	case DueSoon:
		return "due in " + plural(s.Days)
	case OK:
		return "ok"
	}
	return "no date recorded"
}

// Validate checks what config validation cannot (it does not know the
// as-of date, and checks next review against approval itself): the next
// review must come after the last review, and nothing (approval, review,
// history) may be dated after the as-of date: a build cannot record the
// future. key is the policy's
// config key ("policies.online-safety") and pos locates a dotted key for the
// message (config.Source.Pos).
func Validate(p config.PolicyConfig, key string, asOf config.Date, pos func(key string) (string, int)) config.Errors {
	var errs config.Errors
	add := func(sub, msg, hint string) {
		k := key
		if sub != "" {
			k += "." + sub
		}
		file, line := pos(k)
		errs = append(errs, &config.Error{File: file, Line: line, Key: k, Msg: msg, Hint: hint})
	}
	future := "the as-of date is " + asOf.ISO() + "; pass --as-of (or SOURCE_DATE_EPOCH) if you are building for another date"
	if !p.ApprovedOn.IsZero() && p.ApprovedOn.After(asOf) {
		add("approved_on", fmt.Sprintf("approved on %s, after the as-of date", p.ApprovedOn.ISO()), future)
	}
	if !p.LastReviewed.IsZero() && p.LastReviewed.After(asOf) {
		add("last_reviewed", fmt.Sprintf("last reviewed on %s, after the as-of date", p.LastReviewed.ISO()), future)
	}
	if !p.NextReview.IsZero() {
		if !p.LastReviewed.IsZero() && !p.NextReview.After(p.LastReviewed) {
			add("next_review", fmt.Sprintf("next review %s is not after the last review on %s", p.NextReview.ISO(), p.LastReviewed.ISO()),
				"after a review, record the new next_review (or remove it and let review_months work it out)")
		}
	}
	if p.ReviewMonths < 0 {
		add("review_months", fmt.Sprintf("review_months is %d; it must be positive", p.ReviewMonths), "12 means a yearly review")
	}
	for _, h := range p.History {
		if !h.Date.IsZero() && h.Date.After(asOf) {
			add("history", fmt.Sprintf("history entry %q is dated %s, after the as-of date", h.Version, h.Date.ISO()), future)
		}
	}
	return errs
}

// Policy names a policy the policy set builds for every school.
type Policy struct {
	ID    string
	Title string // the policy's title; a school's policies.<id>.title wins
}

// Item is one school's policy and its review position, as `due`, the
// manifest and the dashboard list them.
type Item struct {
	School       string // school id
	SchoolName   string
	Policy       string // policy id
	PolicyTitle  string
	Version      string
	ApprovedBy   string
	ApprovedOn   config.Date
	LastReviewed config.Date
	Status
	// Source is where the policy's review data is set, "file:line", for
	// messages that send the reader to the date to change.
	Source string
}

// Items lists every school's review position for every policy on asOf,
// soonest next review first (ties by school then policy id); policies with
// no date recorded come last.
func Items(schools []*config.School, policies []Policy, asOf config.Date, windowDays int) []Item {
	var items []Item
	for _, s := range schools {
		for _, p := range policies {
			if !s.Has(p.ID) {
				continue // switched off for this school
			}
			pc := s.Policies[p.ID]
			it := Item{School: s.ID, SchoolName: s.Name, Policy: p.ID, PolicyTitle: p.Title,
				Version: pc.Version, ApprovedBy: pc.ApprovedBy, ApprovedOn: pc.ApprovedOn, LastReviewed: pc.LastReviewed,
				Status: Of(pc, asOf, windowDays)}
			if pc.Title != "" {
				it.PolicyTitle = pc.Title
			}
			if s.Source != nil {
				key := "policies." + p.ID + ".next_review"
				if pc.NextReview.IsZero() {
					key = "policies." + p.ID
				}
				file, line := s.Source.Pos(key)
				if pc.NextReview.IsZero() && file != s.Source.File() {
					// An undated policy's date belongs in the school's own
					// file: a shared file's table would date every school.
					file, line = s.Source.File(), 0
				}
				it.Source = file
				if line > 0 {
					it.Source = fmt.Sprintf("%s:%d", file, line)
				}
			}
			items = append(items, it)
		}
	}
	slices.SortStableFunc(items, func(a, b Item) int {
		if au, bu := a.State == Unknown, b.State == Unknown; au != bu {
			if au {
				return 1
			}
			return -1
		}
		return cmp.Or(a.Next.Time().Compare(b.Next.Time()), cmp.Compare(a.School, b.School), cmp.Compare(a.Policy, b.Policy))
	})
	return items
}

// Reached reports whether the item's next review falls on or before the
// as-of date plus the window it was computed with: what `due` lists.
func (s Status) Reached() bool {
	return s.State == Overdue || s.State == Due || s.State == DueSoon
}
