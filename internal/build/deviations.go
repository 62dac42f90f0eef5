package build

import (
	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
)

// Deviation is one section where a school's document departs from the
// shared text, and where its config says so.
type Deviation struct {
	File    string   // the config file that sets it
	Line    int      // its line, 0 when unknown
	Doc     string   // the document (policy) id
	Section string   // the section id
	What    []string // "omitted", "replaced", "appended to", in that order
}

// Deviations lists, in document and section order, the sections a
// school's composed documents omit (itself, not by a parent section),
// replace or append to.
func Deviations(s *config.School, docs []compose.Output) []Deviation {
	var out []Deviation
	for _, o := range docs {
		for _, b := range o.Sections {
			var what []string
			if b.Omitted && !b.ByParent {
				what = append(what, "omitted")
			}
			if b.Replaced {
				what = append(what, "replaced")
			}
			if b.Appended {
				what = append(what, "appended to")
			}
			if len(what) > 0 {
				file, line := s.Source.Pos("policies." + o.ID + ".sections." + b.ID)
				out = append(out, Deviation{File: file, Line: line, Doc: o.ID, Section: b.ID, What: what})
			}
		}
	}
	return out
}

// deviationsByPolicy counts deviations per document (policy) id, for the
// manifest: a trust officer asks which policy departs, not only which school.
func deviationsByPolicy(devs []Deviation) map[string]int {
	n := map[string]int{}
	for _, d := range devs {
		n[d.Doc]++
	}
	return n
}

// DanglingRef is a section a document's text refers to but the school
// omits, or which renders empty: the text names it in words instead.
type DanglingRef struct {
	Doc     string // the document id
	Section string // the section referred to
	Count   int    // how many places refer to it
}

// DanglingRefs lists each document's dangling references, in document
// order and, within one, in the order they first occur.
func DanglingRefs(docs []compose.Output) []DanglingRef {
	var out []DanglingRef
	for _, o := range docs {
		at := map[string]int{}
		for _, id := range o.Dangling {
			if i, ok := at[id]; ok {
				out[i].Count++
				continue
			}
			at[id] = len(out)
			out = append(out, DanglingRef{Doc: o.ID, Section: id, Count: 1})
		}
	}
	return out
}
