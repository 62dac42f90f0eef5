// Package ident is the one definition of the ids people write: school ids,
// policy, section, form, appendix and agency ids, and the ids of the
// standards catalogue. Ids become file names, URL paths and HTML anchors, so
// the syntax is deliberately narrow, and every package checks it here.
package ident

import (
	"regexp"
	"strings"
)

// Pattern is the syntax of an id: words of lowercase ASCII letters and
// digits joined by single hyphens, e.g. "online-safety" or
// "robert-miles-infant". The JSON schema publishes it as written here.
const Pattern = `^[a-z0-9]+(-[a-z0-9]+)*$`

var re = regexp.MustCompile(Pattern)

// Valid reports whether s is an id.
func Valid(s string) bool { return re.MatchString(s) }

// ValidSource reports whether s is a standards source id: an id that starts
// with a letter, because it begins every requirement id of its source and a
// reader should see a name there, not a number.
func ValidSource(s string) bool {
	return Valid(s) && s[0] >= 'a' && s[0] <= 'z'
}

// ValidRequirement reports whether s is a requirement id: a source id, a
// hyphen and at least one more word saying what is required
// ("kcsie-filtering-monitoring"). That the first words are the requirement's
// own source id is the catalogue loader's check, not a matter of syntax.
func ValidRequirement(s string) bool {
	return ValidSource(s) && strings.Contains(s, "-")
}
