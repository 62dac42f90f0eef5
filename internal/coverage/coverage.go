// Package coverage maps the statutory requirements catalogue (package
// standards) onto a school's policies as built for that school, after its own
// omissions and replacements: each requirement that applies to the school is
// either covered by named sections or uncovered, with the reason and the
// config line that caused it (issue 7).
//
// The report checks that the policy text addresses each requirement. It does
// not check that the school does what its policy says.
//
// Renderers: Text (terminal), JSON (stable, documented shape, see Report) and
// HTML (a standalone page, written by the build as dist/<school>/coverage.html).
package coverage

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/policies"
	"github.com/policypack/policypack/internal/standards"
)

// Format is the version of the JSON shape; it changes only when a field is
// removed or changes meaning (added fields keep it).
const Format = "policypack.coverage/v1"

// Status of one requirement for one school.
const (
	Covered   = "covered"
	Uncovered = "uncovered"
)

// Reason kinds: why a requirement is uncovered.
const (
	// ReasonOmitted: the school omitted a section that meets it.
	ReasonOmitted = "omitted"
	// ReasonOmittedParent: the school omitted an enclosing section.
	ReasonOmittedParent = "omitted-parent"
	// ReasonReplaced: the school replaced the section's text and its
	// replacement does not declare this requirement in meets.
	ReasonReplaced = "replaced"
	// ReasonEmpty: the section renders nothing for this school (for
	// example, a key stage it does not teach).
	ReasonEmpty = "empty"
	// ReasonNoSection: no section of any policy declares the requirement.
	ReasonNoSection = "no-section"
)

// Report is the coverage of one school. Its JSON form is the documented,
// stable output of `policypack coverage --json`:
//
//	{
//	  "format": "policypack.coverage/v1",
//	  "school": {"id", "name", "phase", "key_stages": [...], "file"},
//	  "policies": [{"id", "title"}],
//	  "summary": {"applicable", "covered", "uncovered"},
//	  "sources": [{"id", "title", "publisher", "url", "version", "status", "in_force"}],
//	  "requirements": [{
//	    "id", "source", "source_section", "summary", "applies_when"?,
//	    "status": "covered" | "uncovered",
//	    "covered_by": [{"policy", "section", "number", "title"}],
//	    "reasons": [{"kind", "section"?, "file"?, "line"?, "message"}]
//	  }]
//	}
//
// Requirements are those that apply to the school, in catalogue order;
// sources are those with at least one applicable requirement, in catalogue
// order. covered_by and reasons are always arrays (empty when none); number
// is "" for a section that is not numbered or not printed; file and line
// point at the school's config entry that caused the reason.
type Report struct {
	Format       string           `json:"format"`
	School       SchoolInfo       `json:"school"`
	Policies     []PolicyInfo     `json:"policies"`
	Summary      Summary          `json:"summary"`
	Sources      []SourceInfo     `json:"sources"`
	Requirements []RequirementRow `json:"requirements"`
}

// SchoolInfo identifies the school the report is for.
type SchoolInfo struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Phase     string   `json:"phase"`
	KeyStages []string `json:"key_stages"`
	File      string   `json:"file"` // the school's own config file
}

// PolicyInfo names a policy whose sections were checked.
type PolicyInfo struct {
	ID    string `json:"id"`
	Title string `json:"title"` // as the school titles it
}

// Summary counts the applicable requirements.
type Summary struct {
	Applicable int `json:"applicable"`
	Covered    int `json:"covered"`
	Uncovered  int `json:"uncovered"`
}

// SourceInfo describes a source document cited by the report.
type SourceInfo struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Publisher string `json:"publisher"`
	URL       string `json:"url"`
	Version   string `json:"version"`
	Status    string `json:"status"`
	InForce   string `json:"in_force"` // YYYY-MM-DD
}

// RequirementRow is one applicable requirement and what became of it.
type RequirementRow struct {
	ID            string       `json:"id"`
	Source        string       `json:"source"`
	SourceSection string       `json:"source_section"`
	Summary       string       `json:"summary"`
	AppliesWhen   string       `json:"applies_when,omitempty"`
	Status        string       `json:"status"`
	CoveredBy     []SectionRef `json:"covered_by"`
	Reasons       []Reason     `json:"reasons"`
}

// SectionRef names a section of a policy as built for the school.
type SectionRef struct {
	Policy string `json:"policy"`
	ID     string `json:"section"`
	Number string `json:"number"`
	Title  string `json:"title"`
}

// String is how messages name a section: number, title and id.
func (r SectionRef) String() string {
	if r.Number != "" {
		return fmt.Sprintf("%s “%s” [%s]", r.Number, r.Title, r.ID)
	}
	return fmt.Sprintf("“%s” [%s]", r.Title, r.ID)
}

// Reason explains why a requirement is not covered.
type Reason struct {
	Kind    string      `json:"kind"`
	Section *SectionRef `json:"section,omitempty"`
	File    string      `json:"file,omitempty"`
	Line    int         `json:"line,omitempty"`
	Message string      `json:"message"`
}

// Uncovered returns the rows that are not covered, in report order.
func (r *Report) Uncovered() []RequirementRow {
	var out []RequirementRow
	for _, row := range r.Requirements {
		if row.Status == Uncovered {
			out = append(out, row)
		}
	}
	return out
}

// Load loads the requirements catalogue from the template catalog's layered
// file system (a trust's standards/*.toml over the built-in ones, file by
// file) and checks that every id a policy section cites exists. Requirements
// no section meets are not an error here: a trust's own requirement may be
// met only by schools' replacement sections, and the per-school report shows
// them as uncovered. The tests hold the built-in text to the stricter rule
// (see Check).
func Load(c *policies.Set) (*standards.Catalogue, error) {
	std, err := standards.Load(c.FS)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, p := range Check(std, c.Policies, c.Name) {
		if p.Kind != ProblemUnmet {
			errs = append(errs, p)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return std, nil
}

// Build computes the report for one school from its composed documents
// (forms are ignored). It returns an error, located in the school's config,
// when a replacement's meets names an id the catalogue lacks, or when meets
// is set on a section that is not replaced (where it would silently do
// nothing).
func Build(std *standards.Catalogue, s *config.School, outs []compose.Output) (*Report, error) {
	rep := &Report{
		Format: Format,
		School: SchoolInfo{
			ID: s.ID, Name: s.Name, Phase: s.Phase,
			KeyStages: append([]string{}, s.KeyStages...), File: s.Source.File(),
		},
		Policies:     []PolicyInfo{},
		Sources:      []SourceInfo{},
		Requirements: []RequirementRow{},
	}
	var policies []compose.Output
	for _, o := range outs {
		if o.Kind == "policy" {
			policies = append(policies, o)
			rep.Policies = append(rep.Policies, PolicyInfo{ID: o.ID, Title: o.Meta.Title})
		}
	}
	if err := checkSchoolMeets(std, s, policies); err != nil {
		return nil, err
	}

	for _, req := range std.Applicable(s.Phase, s.KeyStages) {
		row := RequirementRow{
			ID: req.ID, Source: req.Source, SourceSection: req.Section, Summary: req.Summary,
			AppliesWhen: req.AppliesWhen, CoveredBy: []SectionRef{}, Reasons: []Reason{},
		}
		for _, o := range policies {
			for _, b := range o.Sections {
				if slices.Contains(b.Meets, req.ID) {
					row.CoveredBy = append(row.CoveredBy, ref(o, b))
				}
			}
		}
		if len(row.CoveredBy) > 0 {
			row.Status = Covered
			rep.Summary.Covered++
		} else {
			row.Status = Uncovered
			row.Reasons = reasons(s, policies, req.ID)
			rep.Summary.Uncovered++
		}
		rep.Summary.Applicable++
		rep.Requirements = append(rep.Requirements, row)
	}

	for _, src := range std.Sources {
		if slices.ContainsFunc(rep.Requirements, func(r RequirementRow) bool { return r.Source == src.ID }) {
			rep.Sources = append(rep.Sources, SourceInfo{
				ID: src.ID, Title: src.Title, Publisher: src.Publisher, URL: src.URL,
				Version: src.Version, Status: src.Status, InForce: src.InForce.ISO(),
			})
		}
	}
	return rep, nil
}

func ref(o compose.Output, b compose.BuiltSection) SectionRef {
	return SectionRef{Policy: o.ID, ID: b.ID, Number: b.Number, Title: b.Title}
}

func sectionKey(policy, section string) string {
	return "policies." + policy + ".sections." + section
}

// reasons explains an uncovered requirement: what became of each section
// whose template declares it.
func reasons(s *config.School, policies []compose.Output, id string) []Reason {
	out := []Reason{}
	for _, o := range policies {
		p := o.Policy
		if p == nil || len(o.Sections) != len(p.Sections) {
			continue
		}
		for i, sec := range p.Sections {
			if !slices.Contains(sec.Meets, id) {
				continue
			}
			b := o.Sections[i]
			r := ref(o, b)
			rs := Reason{Section: &r}
			switch {
			case b.Omitted && b.ByParent:
				parent := enclosingOmitted(p, o.Sections, i)
				pr := ref(o, o.Sections[parent])
				rs.Kind = ReasonOmittedParent
				rs.File, rs.Line = s.Source.Pos(sectionKey(o.ID, pr.ID) + ".omit")
				rs.Message = fmt.Sprintf("the school omitted section %s, which contains section %s (%s)", pr, r, loc(rs.File, rs.Line))
			case b.Omitted:
				rs.Kind = ReasonOmitted
				rs.File, rs.Line = s.Source.Pos(sectionKey(o.ID, b.ID) + ".omit")
				rs.Message = fmt.Sprintf("the school omitted section %s (%s)", r, loc(rs.File, rs.Line))
			case b.Replaced:
				rs.Kind = ReasonReplaced
				rs.File, rs.Line = s.Source.Pos(sectionKey(o.ID, b.ID) + ".replace")
				if len(b.Meets) == 0 {
					rs.Message = fmt.Sprintf("section %s was replaced with text that declares no coverage (add meets = [%q] to its override at %s)", r, id, loc(rs.File, rs.Line))
				} else {
					rs.Message = fmt.Sprintf("section %s was replaced with text whose meets does not list it (add %q to meets at %s)", r, id, loc(rs.File, rs.Line))
				}
			case b.Empty:
				rs.Kind = ReasonEmpty
				rs.Message = fmt.Sprintf("section %s renders nothing for this school", r)
			default:
				// Kept, not replaced, yet without the id: cannot happen with
				// the composer as written; say so rather than hide it.
				rs.Kind = ReasonEmpty
				rs.Message = fmt.Sprintf("section %s does not declare it as built", r)
			}
			out = append(out, rs)
		}
	}
	if len(out) == 0 {
		var titles []string
		for _, o := range policies {
			titles = append(titles, "the "+o.Meta.Title)
		}
		what := "any policy"
		if len(titles) > 0 {
			what = strings.Join(titles, " or ")
		}
		out = append(out, Reason{Kind: ReasonNoSection, Message: "no section of " + what + " meets it"})
	}
	return out
}

// enclosingOmitted finds the nearest enclosing section of i that the school
// omitted itself (not by a parent).
func enclosingOmitted(p *policies.Policy, built []compose.BuiltSection, i int) int {
	level := p.Sections[i].Level
	for j := i - 1; j >= 0; j-- {
		if p.Sections[j].Level < level {
			if built[j].Omitted && !built[j].ByParent {
				return j
			}
			level = p.Sections[j].Level
		}
	}
	return i
}

func loc(file string, line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d", file, line)
	}
	return file
}

// checkSchoolMeets validates the school's own meets lists: every id must be in
// the catalogue, and meets must sit beside replace.
func checkSchoolMeets(std *standards.Catalogue, s *config.School, policies []compose.Output) error {
	var errs config.Errors
	for _, o := range policies {
		pc := s.Policies[o.ID]
		for _, b := range o.Sections {
			ov, ok := pc.Sections[b.ID]
			if !ok || len(ov.Meets) == 0 {
				continue
			}
			key := sectionKey(o.ID, b.ID) + ".meets"
			file, line := s.Source.Pos(key)
			if ov.Replace == "" {
				errs = append(errs, &config.Error{File: file, Line: line, Key: key,
					Msg:  "meets applies only to a replaced section",
					Hint: "the section's own text already declares what it meets; set replace = \"...\" beside meets, or remove meets"})
				continue
			}
			for _, id := range ov.Meets {
				if _, ok := std.ByID(id); !ok {
					errs = append(errs, &config.Error{File: file, Line: line, Key: key,
						Msg: fmt.Sprintf("%q is not a requirement in the catalogue", id), Hint: hintFor(std, id)})
				}
			}
		}
	}
	return errs.Err()
}

// ForPolicy narrows a school's report to one policy: the requirements its
// policy.toml's sections declare they meet, and any the school's own
// replacements in it meet. A requirement stays covered if any of the
// school's policies covers it, so the narrowed report never disagrees
// with the whole one. ok is false when the school does not have the
// policy.
func (r *Report) ForPolicy(p *policies.Policy) (out *Report, ok bool) {
	var info []PolicyInfo
	for _, pi := range r.Policies {
		if pi.ID == p.ID {
			info = append(info, pi)
		}
	}
	if len(info) == 0 {
		return nil, false
	}
	declared := map[string]bool{}
	for _, s := range p.Sections {
		for _, id := range s.Meets {
			declared[id] = true
		}
	}
	out = &Report{Format: r.Format, School: r.School, Policies: info, Sources: []SourceInfo{}, Requirements: []RequirementRow{}}
	for _, row := range r.Requirements {
		if !declared[row.ID] && !slices.ContainsFunc(row.CoveredBy, func(s SectionRef) bool { return s.Policy == p.ID }) {
			continue
		}
		out.Requirements = append(out.Requirements, row)
		out.Summary.Applicable++
		if row.Status == Covered {
			out.Summary.Covered++
		} else {
			out.Summary.Uncovered++
		}
	}
	for _, src := range r.Sources {
		if slices.ContainsFunc(out.Requirements, func(row RequirementRow) bool { return row.Source == src.ID }) {
			out.Sources = append(out.Sources, src)
		}
	}
	return out, true
}
