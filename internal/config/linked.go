package config

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/ident"
)

// LooksLikePolicyID reports whether an entry of linked_policies is written
// as a policy id (lowercase letters, digits and hyphens, no spaces:
// "child-protection") rather than as a name ("Behaviour policy"). Such an
// entry must be the id of a policy of the set.
func LooksLikePolicyID(entry string) bool {
	return ident.Valid(entry)
}

// checkLinked reports each linked_policies entry written as an id that
// names no policy, with the nearest id, so a typo is not printed into the
// policy as if it were the name of one.
func checkLinked(s *School, decls []PolicyFacts, add func(*Error)) {
	if len(decls) == 0 {
		return // the policies are not known to this reader
	}
	ids := make([]string, 0, len(decls))
	for _, d := range decls {
		ids = append(ids, d.ID)
	}
	slices.Sort(ids)
	for _, e := range s.LinkedPolicies {
		if !LooksLikePolicyID(e) || slices.Contains(ids, e) {
			continue
		}
		file, line := s.Source.Pos("linked_policies")
		hint := cmp.Or(diag.DidYouMean(e, ids), "the policies are "+strings.Join(ids, ", ")) +
			`; an entry written as an id (lowercase, hyphens, no spaces) must name a policy — write any other policy as its name reads ("Computing policy")`
		add(&Error{File: file, Line: line, Key: "linked_policies", Msg: fmt.Sprintf("%q is not a policy id", e), Hint: hint})
	}
}
