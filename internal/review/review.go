// Package review works out when each policy is next due for review and
// whether that date has come, relative to an as-of date (never the clock
// directly, so builds are reproducible).
package review

import (
	"fmt"

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
