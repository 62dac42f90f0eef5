package coverage

import (
	"fmt"
	"slices"
	"strings"

	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/policies"
	"github.com/policypack/policypack/internal/standards"
)

// Problem kinds found by Check.
const (
	// ProblemUnknownID: a section cites an id the catalogue lacks.
	ProblemUnknownID = "unknown-id"
	// ProblemDuplicate: a section cites the same id twice.
	ProblemDuplicate = "duplicate-id"
	// ProblemUnmet: no section of any policy meets a requirement.
	ProblemUnmet = "unmet"
)

// Problem is one catalogue integrity problem: a section's meets against the
// requirements catalogue.
type Problem struct {
	Kind        string
	File        string // policy.toml (as the policy set names it) or the catalogue file
	Line        int    // the requirement's line, for unmet; 0 otherwise
	Policy      string // policy id; "" for unmet
	Section     string // section id; "" for unmet
	Requirement string
	Hint        string
}

func (p *Problem) Error() string {
	e := &diag.Error{File: p.File, Line: p.Line, Hint: p.Hint}
	switch p.Kind {
	case ProblemUnknownID:
		e.Msg = fmt.Sprintf("section %q: meets: %q is not a requirement in the catalogue", p.Section, p.Requirement)
	case ProblemDuplicate:
		e.Msg = fmt.Sprintf("section %q: meets: %q is listed twice", p.Section, p.Requirement)
	case ProblemUnmet:
		e.Msg = fmt.Sprintf("requirement %q: no policy section meets it", p.Requirement)
	}
	return e.Error()
}

// Check holds the policies' section metadata against the catalogue: every
// id a section cites must exist (once per section), and every requirement
// must be met by at least one section of some policy. name turns a path in
// the template tree into how messages show it (policies.Set.Name); nil
// leaves paths as they are. Problems come in policy and section order, then
// unmet requirements in catalogue order.
func Check(std *standards.Catalogue, policies []*policies.Policy, name func(string) string) []*Problem {
	if name == nil {
		name = func(p string) string { return p }
	}
	var out []*Problem
	met := map[string]bool{}
	for _, p := range policies {
		file := name(p.Dir + "/policy.toml")
		for _, sec := range p.Sections {
			seen := map[string]bool{}
			for _, id := range sec.Meets {
				if seen[id] {
					out = append(out, &Problem{Kind: ProblemDuplicate, File: file, Policy: p.ID, Section: sec.ID, Requirement: id})
					continue
				}
				seen[id] = true
				if _, ok := std.ByID(id); !ok {
					out = append(out, &Problem{Kind: ProblemUnknownID, File: file, Policy: p.ID, Section: sec.ID, Requirement: id, Hint: hintFor(std, id)})
					continue
				}
				met[id] = true
			}
		}
	}
	for _, r := range std.Requirements {
		if !met[r.ID] {
			out = append(out, &Problem{Kind: ProblemUnmet, File: r.File, Line: r.Line, Requirement: r.ID,
				Hint: "add it to the meets list of the section that addresses it, or write that section"})
		}
	}
	return out
}

// hintFor suggests the nearest catalogue id to a misspelt one.
func hintFor(std *standards.Catalogue, id string) string {
	if h := diag.DidYouMean(id, std.IDs()); h != "" {
		return h
	}
	prefix, _, _ := strings.Cut(id, "-")
	var same []string
	for _, known := range std.IDs() {
		if strings.HasPrefix(known, prefix+"-") {
			same = append(same, known)
		}
	}
	if len(same) > 0 {
		slices.Sort(same)
		return "ids from that source: " + strings.Join(same, ", ")
	}
	return "the ids are listed in templates/standards/*.toml"
}
