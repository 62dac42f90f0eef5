package compose

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/diag"
)

// TemplateError is a template that failed while composing one school's
// documents. A shared template fails the same way for every school, so the
// build reports it once with the schools counted (see GroupTemplateErrors)
// rather than once per school.
type TemplateError struct {
	School *config.School
	Diag   *diag.Error // the template's file, line and column; no school
}

func (e *TemplateError) Error() string { return e.School.Source.File() + ": " + e.Diag.Error() }

// Unwrap returns the template's diagnostic.
func (e *TemplateError) Unwrap() error { return e.Diag }

// GroupTemplateErrors reports each distinct template error once, naming how
// many of the total schools it affects; other errors pass through. Order is
// kept (first appearance), so output stays deterministic.
func GroupTemplateErrors(errs []error, total int) []error {
	type group struct {
		d       *diag.Error
		schools []string
	}
	var out []error
	var groups []*group
	index := map[string]*group{}
	for _, err := range flatten(errs) {
		var te *TemplateError
		// Only an error that says nothing beyond its template error groups.
		if !errors.As(err, &te) || err.Error() != te.Error() {
			out = append(out, err)
			continue
		}
		key := te.Diag.Error()
		g, ok := index[key]
		if !ok {
			g = &group{d: te.Diag}
			index[key] = g
			groups = append(groups, g)
		}
		g.schools = append(g.schools, te.School.ID)
	}
	for _, g := range groups {
		d := *g.d
		d.Msg = d.Msg + " (" + affects(g.schools, total) + ")"
		out = append(out, &d)
	}
	return out
}

func affects(ids []string, total int) string {
	slices.Sort(ids)
	n := len(ids)
	all := ""
	if n == total {
		all = "all "
	}
	switch {
	case n == 1:
		return "school " + ids[0]
	case n <= 5:
		return fmt.Sprintf("%s%d schools: %s", all, n, strings.Join(ids, ", "))
	case n == total:
		return fmt.Sprintf("all %d schools", n)
	default:
		return fmt.Sprintf("%d of %d schools: %s and %d more", n, total, strings.Join(ids[:3], ", "), n-3)
	}
}

// fieldErrRE is text/template's message for a field a value lacks, which
// names a Go type the template's author never sees.
var fieldErrRE = regexp.MustCompile(`^executing "[^"]*" at <([^>]*)>: can't evaluate field (\w+) in type (\S+)$`)

// execPrefixRE is the rest of text/template's execution prefix: the
// template's name repeats the file already given.
var execPrefixRE = regexp.MustCompile(`^executing "[^"]*" at `)

// friendly rewrites a template execution message in the template author's
// terms: what they wrote, the field that is not there, the fields that are.
func friendly(d *diag.Error) {
	if m := fieldErrRE.FindStringSubmatch(d.Msg); m != nil {
		action, field, typ := m[1], m[2], m[3]
		fields := templateFields()[strings.TrimLeft(typ, "*")]
		d.Msg = fmt.Sprintf("<%s>: there is no field %q here", action, field)
		if c := diag.Closest(field, fields); c != "" {
			d.Hint = fmt.Sprintf("did you mean %q? (%s)", c, strings.TrimSuffix(action, field)+c)
		} else if len(fields) > 0 {
			d.Hint = "the fields here are " + strings.Join(fields, ", ")
		}
		return
	}
	d.Msg = execPrefixRE.ReplaceAllString(d.Msg, "")
}

// templateFields maps each struct type a template can reach from Data (by
// its Go name, as text/template prints it) to the field names it can use.
var templateFields = sync.OnceValue(func() map[string][]string {
	out := map[string][]string{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map || t.Kind() == reflect.Array {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return
		}
		if _, ok := out[t.String()]; ok {
			return
		}
		var names []string
		out[t.String()] = names
		for f := range t.Fields() {
			if !f.IsExported() {
				continue
			}
			names = append(names, f.Name)
			walk(f.Type)
		}
		for i := range reflect.PointerTo(t).NumMethod() {
			names = append(names, reflect.PointerTo(t).Method(i).Name)
		}
		slices.Sort(names)
		out[t.String()] = names
	}
	walk(reflect.TypeFor[Data]())
	return out
})

// flatten opens errors.Join's lists, so each school's errors can group.
func flatten(errs []error) []error {
	var out []error
	for _, err := range errs {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			out = append(out, flatten(j.Unwrap())...)
			continue
		}
		out = append(out, err)
	}
	return out
}
