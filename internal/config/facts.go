package config

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/policypack/policypack/internal/diag"
)

// Facts are the keys a policy declares in its policy.toml ([[facts]]), so a
// trust can add a policy with keys of its own without recompiling: the
// common part of a school config is the Go structs of schema.go, and each
// policy's own values live under [policies.<id>.facts], checked against
// these declarations with the same checker, line finder and did-you-mean.

// The types a fact may declare.
const (
	FactString  = "string"
	FactBool    = "bool"
	FactInteger = "integer"
	FactDate    = "date"
	FactChoice  = "choice" // one of Values
	FactList    = "list"   // an array of strings (of Values, when given)
	FactTable   = "table"  // a table of named strings (e.g. phone numbers by place)
)

// FactTypes lists the types a fact may declare, for messages and docs.
var FactTypes = []string{FactString, FactBool, FactInteger, FactDate, FactChoice, FactList, FactTable}

// Fact is one key a policy declares. A default is given only where it is
// true of every school (a policy's built-in defaults must never assert a
// school's fact); a fact with no safe default is Required.
type Fact struct {
	Name     string   `toml:"name"`
	Type     string   `toml:"type"`
	Values   []string `toml:"values"`
	Default  any      `toml:"default"`
	Required bool     `toml:"required"`
	Doc      string   `toml:"doc"`
	Example  string   `toml:"example"`
	// Label is what the "[...: to be confirmed]" marker calls the fact in a
	// reader's words ("how to reach the DSL"); without it, its name.
	Label string `toml:"label"`
}

// PolicyFacts is what the loader needs to know of one policy: its id and
// the facts it declares.
type PolicyFacts struct {
	ID    string
	Title string
	Facts []Fact
}

// Field returns the schema field that checks a value of the fact.
func (f Fact) Field() *Field {
	fd := &Field{Key: f.Name, Doc: f.Doc, Example: f.Example, Required: f.Required}
	switch f.Type {
	case FactString:
		fd.Kind = KindString
	case FactBool:
		fd.Kind = KindBool
	case FactInteger:
		fd.Kind = KindInt
	case FactDate:
		fd.Kind = KindDate
	case FactChoice:
		fd.Kind, fd.Enum = KindString, f.Values
	case FactList:
		fd.Kind, fd.Enum = KindStrings, f.Values
	case FactTable:
		fd.Kind = KindStringMap
	}
	return fd
}

// factsField is the table [policies.<id>.facts] of one policy.
func factsField(p PolicyFacts) *Field {
	t := &Field{Key: "facts", Kind: KindTable, Doc: "Facts of the " + p.ID + " policy, as its policy.toml declares them"}
	for _, f := range p.Facts {
		t.Fields = append(t.Fields, f.Field())
	}
	return t
}

// FactProblem is one thing wrong with a declaration: the key of the
// [[facts]] entry, what is wrong and, where one helps, a hint.
type FactProblem struct {
	Key, Msg, Hint string
}

// CheckFact checks one declaration and returns what is wrong with it; nil
// when it is sound. The policy set reports each against policy.toml.
func CheckFact(f Fact) []FactProblem {
	var out []FactProblem
	bad := func(key, format string, args ...any) {
		out = append(out, FactProblem{Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	if !factName(f.Name) {
		bad("name", "%q must be lowercase letters, digits and underscores, starting with a letter", f.Name)
	}
	if !slices.Contains(FactTypes, f.Type) {
		hint := "types: " + strings.Join(FactTypes, ", ")
		if s := diag.Closest(f.Type, FactTypes); s != "" {
			hint = fmt.Sprintf("did you mean %q? (%s)", s, hint)
		}
		out = append(out, FactProblem{Key: "type", Msg: fmt.Sprintf("%q is not a fact type", f.Type), Hint: hint})
		return out
	}
	if f.Type == FactChoice && len(f.Values) == 0 {
		bad("values", "a choice lists its allowed values")
	}
	if len(f.Values) > 0 && f.Type != FactChoice && f.Type != FactList {
		bad("values", "only a choice or a list has allowed values")
	}
	if strings.TrimSpace(f.Doc) == "" {
		bad("doc", "say in one line what the fact is (the reference, schema and scaffold show it)")
	}
	if f.Required && f.Default != nil {
		bad("default", "a required fact has no default: a school must state it")
	}
	if f.Default != nil {
		c := &checker{file: "", loc: diag.ScanTOML(nil)}
		c.value(f.Default, f.Field(), where{}, "default")
		for _, e := range c.errs {
			bad("default", "%s", e.Msg)
		}
	}
	if f.Example != "" {
		var m map[string]any
		if _, err := toml.Decode("example = "+f.Example, &m); err != nil {
			bad("example", "%q is not a TOML value", f.Example)
		} else {
			c := &checker{file: "", loc: diag.ScanTOML(nil)}
			c.value(m["example"], f.Field(), where{}, "example")
			for _, e := range c.errs {
				bad("example", "%s", e.Msg)
			}
		}
	}
	return out
}

func factName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// factValue converts a checked TOML value to what templates see: string,
// bool, int, Date, []string or map[string]string; a value of the wrong
// type (reported already) is the type's zero value. A value already in
// that form is returned as it is, so typing twice changes nothing.
func factValue(f Fact, raw any) any {
	switch f.Type {
	case FactBool:
		b, _ := raw.(bool)
		return b
	case FactInteger:
		switch n := raw.(type) {
		case int64:
			return int(n)
		case int:
			return n
		}
		return 0
	case FactDate:
		switch t := raw.(type) {
		case time.Time:
			return NewDate(t.Year(), t.Month(), t.Day())
		case Date:
			return t
		}
		return Date{}
	case FactList:
		if l, ok := raw.([]string); ok {
			return l
		}
		out := []string{}
		arr, _ := raw.([]any)
		for _, e := range arr {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case FactTable:
		if m, ok := raw.(map[string]string); ok {
			return m
		}
		out := map[string]string{}
		m, _ := raw.(map[string]any)
		for k, e := range m {
			if s, ok := e.(string); ok {
				out[k] = s
			}
		}
		return out
	}
	s, _ := raw.(string)
	return s
}

// TypedFacts returns a policy's facts as templates see them: every
// declared fact present, typed, its default or empty when not set. The
// loader has done this when it was given the declarations; for a school
// loaded without them (Load) it types what the files say, unchecked, so
// composing never meets a raw TOML value or a missing declared fact.
func TypedFacts(facts map[string]any, decls []Fact) map[string]any {
	out := make(map[string]any, len(decls))
	for _, f := range decls {
		v, ok := facts[f.Name]
		if !ok && f.Default != nil {
			v = f.Default
		}
		out[f.Name] = factValue(f, v)
	}
	return out
}

// factSet reports whether a merged value counts as given for a required
// fact: blank text and empty lists and tables do not.
func factSet(raw any) bool {
	switch t := raw.(type) {
	case nil:
		return false
	case string:
		return strings.TrimSpace(t) != ""
	case []any:
		return len(t) > 0
	case map[string]any:
		return len(t) > 0
	}
	return true
}

// Has reports whether the school has the policy: every policy unless a
// config layer sets policies.<id>.enabled = false.
func (s *School) Has(policy string) bool {
	p, ok := s.Policies[policy]
	return !ok || p.Enabled == nil || *p.Enabled
}

// applyFacts fills each declared policy's Facts from the merged tables
// (declared default, else the type's zero value, so a template reading a
// missing optional fact gets "", never "<no value>") and reports required
// facts that no layer sets, for the policies the school has.
func applyFacts(s *School, merged map[string]any, decls []PolicyFacts, missing func(key string, f *Field, hint string), add func(*Error)) {
	if s.Policies == nil {
		s.Policies = map[string]PolicyConfig{}
	}
	for _, p := range decls {
		pc := s.Policies[p.ID]
		raw := subTable(merged, "policies", p.ID, "facts")
		pc.Facts = TypedFacts(raw, p.Facts)
		for _, f := range p.Facts {
			v, ok := raw[f.Name]
			if !ok {
				v = f.Default
			}
			key := FactKey(p.ID, f.Name)
			if f.Label != "" {
				if s.FactLabels == nil {
					s.FactLabels = map[string]string{}
				}
				s.FactLabels[key] = f.Label
			}
			if !f.Required || factSet(v) || !s.Has(p.ID) || s.Unconfirmed(key) {
				continue
			}
			if ok {
				// Set, but blank: the policy would print nothing.
				file, line := s.Source.Pos(key)
				add(&Error{File: file, Line: line, Key: key, Msg: "must not be empty: the policy requires it",
					Hint: fmt.Sprintf("write it, e.g. %s = %s, or list %q in confirm until the school has decided", f.Name, exampleOr(f.Field(), `"..."`), key)})
				continue
			}
			fd := f.Field()
			add := fmt.Sprintf("add %s = %s", f.Name, exampleOr(fd, `"..."`))
			if len(fd.Enum) > 0 {
				add += " (one of " + strings.Join(fd.Enum, ", ") + ")"
				fd.Enum = nil // said here, before the confirm alternative
			}
			missing(key, fd, fmt.Sprintf("%s under [policies.%s.facts], or list %q in confirm until the school has decided", add, p.ID, key))
		}
		// Keys the policy does not declare were reported per file; they
		// stay out of what templates see.
		s.Policies[p.ID] = pc
	}
}

func subTable(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		if !ok {
			return nil
		}
		m = next
	}
	return m
}
