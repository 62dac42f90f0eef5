package config

import (
	"fmt"
	"time"
)

// Date is a calendar date with no time or zone, as TOML local dates are. The
// zero Date means "not set".
type Date struct {
	t time.Time // always midnight UTC; zero when unset
}

// NewDate returns the Date for year, month and day.
func NewDate(year int, month time.Month, day int) Date {
	return Date{time.Date(year, month, day, 0, 0, 0, 0, time.UTC)}
}

// The dates policypack accepts. 0001-01-01 is how Go spells "unset", so a
// date that far back would silently vanish; nothing in a school's policy
// is dated before 1900, and four-digit years end in 9999.
var (
	MinDate = NewDate(1900, time.January, 1)
	MaxDate = NewDate(9999, time.December, 31)
)

// InRange reports whether d lies between MinDate and MaxDate.
func InRange(d Date) bool { return !d.Before(MinDate) && !d.After(MaxDate) }

// ParseDate parses an ISO date, YYYY-MM-DD, between MinDate and MaxDate.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	if d := (Date{t}); !InRange(d) {
		return Date{}, fmt.Errorf("%s is out of range: dates run from %s to %s", s, MinDate.ISO(), MaxDate.ISO())
	}
	return Date{t}, nil
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time returns the date as midnight UTC.
func (d Date) Time() time.Time { return d.t }

// String prints the date in en-GB form, "24 May 2024", or "" when unset.
func (d Date) String() string {
	if d.t.IsZero() {
		return ""
	}
	return d.t.Format("2 January 2006")
}

// ISO prints the date as YYYY-MM-DD, or "" when unset.
func (d Date) ISO() string {
	if d.t.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is strictly after e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// AddMonths returns the date n calendar months later. Like most review
// schedules it clamps to the month's end: 31 January + 1 month = 28/29 February.
func (d Date) AddMonths(n int) Date {
	y, m, day := d.t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	if day > last {
		day = last
	}
	return Date{time.Date(first.Year(), first.Month(), day, 0, 0, 0, 0, time.UTC)}
}

// DaysUntil returns the number of days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int {
	return int(e.t.Sub(d.t).Hours() / 24)
}

// MarshalText implements encoding.TextMarshaler (ISO form).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.ISO()), nil }
