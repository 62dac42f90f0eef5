package config

import "regexp"

// Withdrawn is a service or scheme a school's old policy may still name
// that no longer exists. The pack keeps what the school states, marked out
// of date where it prints, and `check` warns with Warning.
type Withdrawn struct {
	re *regexp.Regexp
	// Warning is check's words: what the value does and what to do.
	Warning string
	// Note is the pack's marker text, a few words a reader understands.
	Note string
}

// Match reports whether value names the withdrawn thing.
func (w Withdrawn) Match(value string) bool { return w.re.MatchString(value) }

// WithdrawnThings are the services and schemes known to be withdrawn.
var WithdrawnThings = []Withdrawn{
	{regexp.MustCompile(`\bEdmodo\b`), "names Edmodo, which closed in September 2022", "out of date: Edmodo closed in 2022"},
	{regexp.MustCompile(`\bProtect[- ]level\b|'Protect'|\bPROTECT\b`),
		"uses the Protect marking, withdrawn with the Government Security Classifications in April 2014 (say what the data is instead, e.g. special category personal data)",
		"out of date: the Protect marking was withdrawn in 2014"},
}
