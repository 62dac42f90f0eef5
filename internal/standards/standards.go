// Package standards loads the catalogue of statutory and guidance requirements
// that the built-in policies are checked against (issue 7).
//
// The catalogue lives in data files, one per source document, under
// standards/*.toml in a template tree: the built-in tree embedded in the
// binary, and optionally a trust's override folder. A policy section declares
// which requirement ids it meets; the coverage report joins the two. This
// package only loads and validates the catalogue: it knows nothing about
// policies, schools' configs or output formats.
package standards

import (
	"reflect"
	"slices"
	"strings"

	"github.com/policypack/policypack/internal/config"
)

// Dir is the folder, inside a template tree, that holds the catalogue files.
const Dir = "standards"

// Source is one source document: a piece of guidance, a standard or an Act.
type Source struct {
	ID        string      // short stable id, the prefix of its requirements' ids ("kcsie")
	Title     string      // the document's title as published
	Publisher string      // who publishes it ("Department for Education")
	URL       string      // https address of the document's page
	InForce   config.Date // the date the cited version took effect (published, for advice)
	Updated   config.Date // last update of the page, when it matters; zero when unset
	Version   string      // edition or year cited ("2026", "July 2025")
	Status    string      // statutory | standard | non-statutory | law
	Order     int         // position in reports: lower first, then file name
	File      string      // catalogue file it came from, relative to the FS root
}

// Requirement is one thing a policy must say or do, in our own words.
type Requirement struct {
	ID          string   // stable id, "<source>-<words>" ("kcsie-filtering-monitoring")
	Source      string   // id of the Source it comes from
	Section     string   // where in the source: a title, or a paragraph when confirmed
	Summary     string   // one line, our own words, never the source's text
	Phases      []string // school phases it applies to (config phase values); empty: all
	KeyStages   []string // key stages it applies to (EYFS, KS1..KS5); empty: all
	AppliesWhen string   // optional note on when it bites ("if the school lets pupils use AI tools")
	File        string   // catalogue file it came from
	Line        int      // line of its id in that file, for errors that point somewhere
}

// Catalogue is the loaded, validated set of sources and their requirements.
type Catalogue struct {
	// Sources in report order: Order, then file name.
	Sources []Source
	// Requirements in source order, then the order of their files.
	Requirements []Requirement

	byID     map[string]int
	sourceID map[string]int
}

// ByID returns the requirement with the given id.
func (c *Catalogue) ByID(id string) (Requirement, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Requirement{}, false
	}
	return c.Requirements[i], true
}

// Source returns the source document with the given id.
func (c *Catalogue) Source(id string) (Source, bool) {
	i, ok := c.sourceID[id]
	if !ok {
		return Source{}, false
	}
	return c.Sources[i], true
}

// IDs returns every requirement id in catalogue order.
func (c *Catalogue) IDs() []string {
	ids := make([]string, len(c.Requirements))
	for i, r := range c.Requirements {
		ids[i] = r.ID
	}
	return ids
}

// Applicable returns, in catalogue order, the requirements that apply to a
// school of the given phase teaching the given key stages.
func (c *Catalogue) Applicable(phase string, keyStages []string) []Requirement {
	var out []Requirement
	for _, r := range c.Requirements {
		if r.AppliesTo(phase, keyStages) {
			out = append(out, r)
		}
	}
	return out
}

// AppliesTo reports whether the requirement applies to a school of the given
// phase teaching the given key stages.
//
// The rule: a requirement restricts itself by at most one of phases or
// key_stages (the loader rejects both). With neither it applies to every
// school. With key_stages it applies when the school teaches at least one of
// them; this is the rule for curriculum content, because it resolves infant,
// junior, first, middle, all-through and special schools correctly from what
// they teach. With phases it applies when the school's phase is listed
// exactly; that is for duties tied to the kind of setting, not to its pupils'
// ages.
func (r Requirement) AppliesTo(phase string, keyStages []string) bool {
	switch {
	case len(r.KeyStages) > 0:
		for _, ks := range keyStages {
			if slices.Contains(r.KeyStages, ks) {
				return true
			}
		}
		return false
	case len(r.Phases) > 0:
		return slices.Contains(r.Phases, phase)
	default:
		return true
	}
}

// Allowed values, read from the config schema's enum tags so that the
// catalogue and the school config cannot disagree about what a phase is.
var (
	knownPhases    = enumOf("Phase")
	knownKeyStages = enumOf("KeyStages")
	knownStatuses  = []string{"statutory", "standard", "non-statutory", "law"}
)

func enumOf(field string) []string {
	f, ok := reflect.TypeFor[config.School]().FieldByName(field)
	if !ok {
		panic("standards: config.School has no field " + field)
	}
	return strings.Split(f.Tag.Get("enum"), "|")
}
