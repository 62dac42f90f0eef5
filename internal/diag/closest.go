package diag

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/agnivade/levenshtein"
)

// Closest returns the candidate a mistyped s most likely meant, or "" when
// none is near enough to be a typo. The rule, the one every did-you-mean in
// policypack uses: compare without regard to case, count edits (Levenshtein:
// a letter added, removed or changed is one edit, a swapped pair two), and
// accept at most two edits or a third of the length of s, whichever is more,
// and fewer edits than s has letters (so "ab" never suggests "xy"). The
// nearest wins; a tie goes to the earlier candidate, so pass candidates in a
// stable order.
func Closest(s string, candidates []string) string {
	ls := strings.ToLower(s)
	n := utf8.RuneCountInString(s)
	best, bestD := "", max(2, n/3)+1
	for _, c := range candidates {
		if d := levenshtein.ComputeDistance(ls, strings.ToLower(c)); d < bestD && d < n {
			best, bestD = c, d
		}
	}
	return best
}

// DidYouMean is the hint for a mistyped s: `did you mean "x"?` with the
// Closest candidate, or "" when there is none.
func DidYouMean(s string, candidates []string) string {
	if c := Closest(s, candidates); c != "" {
		return fmt.Sprintf("did you mean %q?", c)
	}
	return ""
}
