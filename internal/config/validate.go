package config

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/ident"
)

// checker validates one parsed file against the schema and records every
// problem with its line.
type checker struct {
	file string
	loc  *diag.TOMLLines
	errs Errors
	// facts is each policy's [policies.<id>.facts] table; nil when the
	// declarations are not known (the facts are then not checked).
	facts map[string]*Field
}

type where struct {
	path   string     // dotted TOML path of the table being checked ("" at top)
	blk    diag.Block // lines of that table's own block
	prefix string     // key prefix relative to blk (dotted/inline tables)
}

func (c *checker) add(line int, key, hint, format string, args ...any) {
	c.errs = append(c.errs, &Error{File: c.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

func (c *checker) line(w where, key string) int {
	if ln := c.loc.Key(w.blk, w.prefix+key); ln > 0 {
		return ln
	}
	if w.path != "" {
		return w.blk.Start
	}
	return 0
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (c *checker) table(m map[string]any, f *Field, w where) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		child := f.Child(k)
		full := join(w.path, k)
		if child == nil {
			hint := didYouMean(f, k, w.path)
			if w.path != "" && Schema().Child(k) != nil {
				hint = topLevelHint(k)
			}
			c.add(c.line(w, k), full, hint, "unknown key")
			continue
		}
		c.value(m[k], child, w, k)
	}
}

// sub returns where a nested table's keys are found.
func (c *checker) sub(w where, key string, nth int) where {
	p := join(w.path, key)
	if b, ok := c.loc.Table(p, nth); ok {
		return where{path: p, blk: b}
	}
	return where{path: p, blk: w.blk, prefix: w.prefix + key + "."}
}

func (c *checker) value(v any, f *Field, w where, key string) {
	full := join(w.path, key)
	ln := func() int { return c.line(w, key) }
	switch f.Kind {
	case KindString:
		s, ok := v.(string)
		if !ok {
			c.add(ln(), full, fmt.Sprintf("write it in quotes, e.g. %s = %s", key, exampleOr(f, `"..."`)), "must be a string, not %s", tomlType(v))
			return
		}
		if !c.text(ln, full, key, s) {
			return
		}
		if f.NonEmpty && strings.TrimSpace(s) == "" {
			c.add(ln(), full, fmt.Sprintf("write it, e.g. %s = %s, or remove the line to keep the default", key, exampleOr(f, `"..."`)), "must not be empty: the policy prints it")
			return
		}
		if len(f.Enum) > 0 && s != "" && !slices.Contains(f.Enum, s) {
			c.add(ln(), full, enumHint(f.Enum, s), "%q is not one of the allowed values", s)
		}
		// extends is checked where the organisation files are known, so
		// that one message can name the file that exists or should.
		if f.Pattern != nil && s != "" && full != "extends" && !f.Pattern.MatchString(s) {
			c.add(ln(), full, "e.g. "+key+" = "+f.Example, "%q is not in the expected form", s)
		}
	case KindBool:
		if _, ok := v.(bool); !ok {
			c.add(ln(), full, fmt.Sprintf("write true or false without quotes, e.g. %s = true", key), "must be true or false, not %s", tomlType(v))
		}
	case KindInt:
		n, ok := v.(int64)
		if !ok {
			c.add(ln(), full, fmt.Sprintf("write a whole number without quotes, e.g. %s = %s", key, exampleOr(f, "12")), "must be a whole number, not %s", tomlType(v))
		} else if n < 0 {
			c.add(ln(), full, "", "must not be negative")
		} else if f.Min != nil && n < int64(*f.Min) {
			c.add(ln(), full, "", "%d is too small: the least is %d", n, *f.Min)
		} else if f.Max != nil && n > int64(*f.Max) {
			c.add(ln(), full, "", "%d is too large: the most is %d", n, *f.Max)
		}
	case KindDate:
		t, ok := v.(time.Time)
		switch {
		case !ok:
			hint := fmt.Sprintf("write the date without quotes, e.g. %s = %s", key, exampleOr(f, "2024-05-24"))
			if s, isStr := v.(string); isStr {
				if _, err := ParseDate(s); err != nil {
					hint = "dates are written YYYY-MM-DD without quotes, e.g. " + key + " = " + exampleOr(f, "2024-05-24")
				}
			}
			c.add(ln(), full, hint, "must be a date, not %s", tomlType(v))
		case t.Location().String() != "date-local":
			c.add(ln(), full, fmt.Sprintf("give the date only, e.g. %s = %s", key, t.Format(time.DateOnly)), "must be a date without a time or zone")
		case !InRange(NewDate(t.Year(), t.Month(), t.Day())):
			c.add(ln(), full, "dates run from "+MinDate.ISO()+" to "+MaxDate.ISO(), "%s is out of range", t.Format(time.DateOnly))
		}
	case KindStrings:
		arr, ok := v.([]any)
		if !ok {
			c.add(ln(), full, fmt.Sprintf("write a list in square brackets, e.g. %s = %s", key, exampleOr(f, `["..."]`)), "must be an array of strings, not %s", tomlType(v))
			return
		}
		for i, e := range arr {
			s, ok := e.(string)
			if !ok {
				c.add(ln(), fmt.Sprintf("%s[%d]", full, i), "put each item in quotes", "must be a string, not %s", tomlType(e))
				continue
			}
			if !c.text(ln, fmt.Sprintf("%s[%d]", full, i), key, s) {
				continue
			}
			if len(f.Enum) > 0 && !slices.Contains(f.Enum, s) {
				c.add(ln(), fmt.Sprintf("%s[%d]", full, i), enumHint(f.Enum, s), "%q is not one of the allowed values", s)
			}
		}
	case KindTable:
		m, ok := v.(map[string]any)
		if !ok {
			c.add(ln(), full, fmt.Sprintf("write it as a table: [%s]", full), "must be a table, not %s", tomlType(v))
			return
		}
		c.table(m, f, c.sub(w, key, 0))
	case KindMap:
		m, ok := v.(map[string]any)
		if !ok {
			c.add(ln(), full, fmt.Sprintf("write it as a table: [%s.<id>]", full), "must be a table, not %s", tomlType(v))
			return
		}
		sw := c.sub(w, key, 0)
		ids := make([]string, 0, len(m))
		for id := range m {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			if _, isTable := m[id].(map[string]any); !isTable && Schema().Child(id) != nil {
				c.add(c.line(sw, id), join(full, id), topLevelHint(id), "unknown key")
				continue
			}
			if !ident.Valid(id) {
				c.add(c.line(sw, id), join(full, id), "ids use lowercase letters, digits and hyphens, e.g. online-safety", "%q is not a valid id", id)
			}
			c.value(m[id], f.Elem, sw, id)
		}
	case KindStringMap:
		m, ok := v.(map[string]any)
		if !ok {
			c.add(ln(), full, fmt.Sprintf("write it as a table: [%s] with name = \"value\" lines", full), "must be a table, not %s", tomlType(v))
			return
		}
		sw := c.sub(w, key, 0)
		names := make([]string, 0, len(m))
		for n := range m {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			s, ok := m[n].(string)
			if !ok {
				c.add(c.line(sw, n), join(full, n), "write it in quotes", "must be a string, not %s", tomlType(m[n]))
				continue
			}
			c.text(func() int { return c.line(sw, n) }, join(full, n), n, s)
		}
	case KindFacts:
		if c.facts == nil {
			return
		}
		ff := c.facts[strings.TrimPrefix(w.path, "policies.")]
		if ff == nil {
			return // an unknown policy: reported with the policy's id
		}
		c.value(v, ff, w, key)
	case KindTables:
		elems, ok := tableArray(v)
		if !ok {
			c.add(ln(), full, fmt.Sprintf("write each entry as [[%s]]", full), "must be an array of tables, not %s", tomlType(v))
			return
		}
		for i, m := range elems {
			ew := c.sub(w, key, i)
			ew.path = fmt.Sprintf("%s[%d]", ew.path, i)
			c.table(m, f.Elem, ew)
			for _, rf := range f.Elem.Fields {
				if rf.Required && isEmpty(m[rf.Key]) {
					c.add(ew.blk.Start, join(ew.path, rf.Key), "add "+rf.Key+" = "+rf.Example, "missing required value")
				}
			}
		}
	}
}

// topLevelHint explains the commonest TOML slip: a top-level key written
// after a [table] header belongs to that table.
func topLevelHint(key string) string {
	return fmt.Sprintf("%s is a top-level key: move it above the first [table] header in the file", key)
}

func isEmpty(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(t) == ""
	case []any:
		return len(t) == 0
	}
	return false
}

func exampleOr(f *Field, def string) string {
	if f.Example != "" {
		return f.Example
	}
	return def
}

func tomlType(v any) string {
	switch t := v.(type) {
	case string:
		return fmt.Sprintf("the text %q", t)
	case int64:
		return "a number"
	case float64:
		return "a decimal number"
	case bool:
		return "true/false"
	case time.Time:
		return "a date/time"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}

func enumHint(enum []string, got string) string {
	h := "allowed: " + strings.Join(enum, ", ")
	if s := diag.Closest(got, enum); s != "" {
		h = fmt.Sprintf("did you mean %q? (%s)", s, h)
	}
	return h
}

// didYouMean suggests a key for an unknown one: a near miss at the same
// level first, else the same key elsewhere in the schema (people put
// "headteacher" at the top when it lives under [roles]).
func didYouMean(f *Field, key, path string) string {
	names := make([]string, len(f.Fields))
	for i, c := range f.Fields {
		names[i] = c.Key
	}
	if s := diag.Closest(key, names); s != "" {
		return fmt.Sprintf("did you mean %q?", join(path, s))
	}
	// The same key elsewhere; failing that, the nearest key elsewhere (one
	// key, at every place it occurs), so a typo does not list every path
	// within two edits.
	var keys []string
	Schema().Walk(func(_ string, g *Field) { keys = append(keys, g.Key) })
	want := key
	if !slices.Contains(keys, key) {
		want = diag.Closest(key, keys)
	}
	var elsewhere []string
	Schema().Walk(func(p string, g *Field) {
		if want != "" && g.Key == want {
			elsewhere = append(elsewhere, p)
		}
	})
	if len(elsewhere) > 0 {
		return "did you mean " + strings.Join(elsewhere, " or ") + "?"
	}
	if len(names) > 0 && len(names) <= 12 {
		return "keys here: " + strings.Join(names, ", ")
	}
	return "see `policypack schema` or docs/config.md for every key"
}

// tableArray returns an array of tables as BurntSushi/toml decodes it into
// an interface: []map[string]any for [[x]] sections, []any of maps for an
// inline array of tables.
func tableArray(v any) ([]map[string]any, bool) {
	switch t := v.(type) {
	case []map[string]any:
		return t, true
	case []any:
		elems := make([]map[string]any, 0, len(t))
		for _, e := range t {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, false
			}
			elems = append(elems, m)
		}
		return elems, true
	}
	return nil, false
}

// Bounds on config text. A school's name or a role's title is a line;
// only a section's replacement or addition is Markdown of several
// paragraphs. A bound keeps a mistaken or hostile value (a 1 MB school
// name) from costing gigabytes in the renderers.
const (
	MaxLine = 1000
	MaxText = 50000
)

// textKeys are the keys whose values are Markdown text, which may run
// over several lines.
var textKeys = map[string]bool{"replace": true, "append": true}

// text checks a string value's length and characters, reporting the
// first problem; it reports whether the value is fine.
func (c *checker) text(ln func() int, full, key, s string) bool {
	multi := textKeys[key]
	limit := MaxLine
	if multi {
		limit = MaxText
	}
	if n := utf8.RuneCountInString(s); n > limit {
		c.add(ln(), full, "shorten it; is this the value you meant?", "is %d characters long; the most is %d", n, limit)
		return false
	}
	for _, r := range s {
		if (r == '\n' || r == '\r') && multi || r == '\t' {
			continue
		}
		if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r == '\u2028' || r == '\u2029' || r == utf8.RuneError {
			what := fmt.Sprintf("the control character %U", r)
			hint := "remove it: it cannot be printed, and a terminal would act on it"
			switch {
			case r == '\n' || r == '\r':
				what, hint = "a line break", "this value is one line: remove the line break (only replace and append take several lines)"
			case r == utf8.RuneError:
				what, hint = "text that is not valid UTF-8", "save the file as UTF-8"
			}
			c.add(ln(), full, hint, "contains %s", what)
			return false
		}
	}
	return true
}
