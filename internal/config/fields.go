package config

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Kind is the TOML shape of a schema field.
type Kind int

// The kinds a config value can take.
const (
	KindString Kind = iota
	KindBool
	KindInt
	KindDate
	KindStrings // array of strings
	KindTable   // a table with fixed keys (Fields)
	KindMap     // a table with free keys whose values are Elem tables
	KindTables  // an array of tables ([[...]]) of Elem
	// KindStringMap is a table with free keys whose values are strings (a
	// declared fact of type table).
	KindStringMap
	// KindFacts is [policies.<id>.facts]: its keys are the policy's
	// declarations (config.Fact), known only once the policy set is read.
	KindFacts
)

// Field describes one key of the schema. Schema() returns the tree for School.
type Field struct {
	Key      string
	Kind     Kind
	Doc      string
	Example  string
	Required bool
	NonEmpty bool // a string that may be left to the defaults but not set to "" (tag nonempty:"true")
	Enum     []string
	Pattern  *regexp.Regexp
	Ref      string   // "agencies": items are ids of that table
	Min, Max *int     // KindInt bounds, when given
	Fields   []*Field // KindTable: its keys in declaration order
	Elem     *Field   // KindMap and KindTables: the shape of each value
	index    []int    // reflect field index in the parent struct
}

// Child returns the field for key, or nil.
func (f *Field) Child(key string) *Field {
	for _, c := range f.Fields {
		if c.Key == key {
			return c
		}
	}
	return nil
}

var (
	schemaOnce sync.Once
	schemaRoot *Field
	dateType   = reflect.TypeFor[Date]()
)

// Schema returns the field tree of a school config, derived once from the
// School struct's tags.
func Schema() *Field {
	schemaOnce.Do(func() {
		schemaRoot = &Field{Kind: KindTable, Doc: "A school config", Fields: structFields(reflect.TypeFor[School]())}
	})
	return schemaRoot
}

func structFields(t reflect.Type) []*Field {
	var out []*Field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		key := sf.Tag.Get("toml")
		if key == "" || key == "-" || !sf.IsExported() {
			continue
		}
		f := &Field{
			Key:      key,
			Doc:      sf.Tag.Get("doc"),
			Example:  sf.Tag.Get("example"),
			Required: sf.Tag.Get("required") == "true",
			NonEmpty: sf.Tag.Get("nonempty") == "true",
			index:    sf.Index,
		}
		if e := sf.Tag.Get("enum"); e != "" {
			f.Enum = strings.Split(e, "|")
		}
		f.Ref = sf.Tag.Get("ref")
		f.Min, f.Max = intTag(sf.Tag.Get("min")), intTag(sf.Tag.Get("max"))
		if p := sf.Tag.Get("pattern"); p != "" {
			f.Pattern = regexp.MustCompile(p)
		}
		if sf.Tag.Get("facts") == "true" {
			f.Kind = KindFacts
		} else {
			f.Kind, f.Fields, f.Elem = shape(sf.Type)
		}
		out = append(out, f)
	}
	return out
}

func intTag(s string) *int {
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		panic("config: bad integer tag " + s)
	}
	return &n
}

func shape(t reflect.Type) (Kind, []*Field, *Field) {
	switch {
	case t == dateType:
		return KindDate, nil, nil
	case t.Kind() == reflect.String:
		return KindString, nil, nil
	case t.Kind() == reflect.Bool, t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Bool:
		return KindBool, nil, nil
	case t.Kind() == reflect.Int:
		return KindInt, nil, nil
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		return KindStrings, nil, nil
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		return KindTables, nil, &Field{Kind: KindTable, Fields: structFields(t.Elem())}
	case t.Kind() == reflect.Map:
		return KindMap, nil, &Field{Kind: KindTable, Fields: structFields(t.Elem())}
	case t.Kind() == reflect.Struct:
		return KindTable, structFields(t), nil
	}
	panic("config: unsupported schema type " + t.String())
}

// TypeName is the type as the README and error messages name it.
func (f *Field) TypeName() string {
	switch f.Kind {
	case KindString:
		return "string"
	case KindBool:
		return "boolean"
	case KindInt:
		return "integer"
	case KindDate:
		return "date"
	case KindStrings:
		return "array of strings"
	case KindTable, KindMap:
		return "table"
	case KindTables:
		return "array of tables"
	case KindStringMap:
		return "table of strings"
	case KindFacts:
		return "table (declared by the policy)"
	}
	return "?"
}

// Walk calls fn for every field under f with its dotted path; map and
// array-of-table elements appear as "<id>" and "[]" path segments.
func (f *Field) Walk(fn func(path string, f *Field)) {
	var walk func(prefix string, f *Field)
	walk = func(prefix string, f *Field) {
		for _, c := range f.Fields {
			p := c.Key
			if prefix != "" {
				p = prefix + "." + c.Key
			}
			fn(p, c)
			switch c.Kind {
			case KindTable:
				walk(p, c)
			case KindMap:
				walk(p+".<id>", c.Elem)
			case KindTables:
				walk(p+"[]", c.Elem)
			}
		}
	}
	walk("", f)
}

// IsSet reports whether the dotted key (e.g. "filtering.approvers") has a
// non-empty value in s; known is false when the schema has no such key.
func IsSet(s *School, key string) (set, known bool) {
	if m := factKeyParts.FindStringSubmatch(key); m != nil {
		v, ok := s.Policies[m[1]].Facts[m[2]]
		if !ok {
			return false, false
		}
		return !reflect.ValueOf(v).IsZero() && !isEmptyValue(v), true
	}
	v := reflect.ValueOf(s).Elem()
	f := Schema()
	for _, part := range strings.Split(key, ".") {
		if f.Kind != KindTable {
			return false, false
		}
		c := f.Child(part)
		if c == nil {
			return false, false
		}
		v = v.FieldByIndex(c.index)
		f = c
	}
	if f.Kind == KindStrings {
		return v.Len() > 0, true
	}
	if v.Kind() == reflect.String {
		return strings.TrimSpace(v.String()) != "", true
	}
	return !v.IsZero(), true
}

// Strings calls fn with the dotted key and value of every non-empty string
// in s (list items as key[i], map entries by id), in schema order, so a
// later stage can check all of a school's text (for example, that the PDF
// fonts can print it) and name the key of any problem.
func Strings(s *School, fn func(key, value string)) {
	var walk func(v reflect.Value, f *Field, prefix string)
	walk = func(v reflect.Value, f *Field, prefix string) {
		for _, c := range f.Fields {
			key := join(prefix, c.Key)
			fv := v.FieldByIndex(c.index)
			switch c.Kind {
			case KindString:
				if s := fv.String(); s != "" {
					fn(key, s)
				}
			case KindStrings:
				for i := 0; i < fv.Len(); i++ {
					fn(fmt.Sprintf("%s[%d]", key, i), fv.Index(i).String())
				}
			case KindTable:
				walk(fv, c, key)
			case KindMap:
				eachEntry(fv, func(k string, ev reflect.Value) { walk(ev, c.Elem, key+"."+k) })
			case KindTables:
				for i := 0; i < fv.Len(); i++ {
					walk(fv.Index(i), c.Elem, fmt.Sprintf("%s[%d]", key, i))
				}
			case KindFacts:
				factStrings(fv.Interface().(map[string]any), key, fn)
			}
		}
	}
	walk(reflect.ValueOf(s).Elem(), Schema(), "")
}

// eachEntry calls f for every entry of a map of tables in key order, with
// an addressable copy of the value (so walkers can take fields' addresses).
func eachEntry(m reflect.Value, f func(key string, v reflect.Value)) {
	keys := m.MapKeys()
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	for _, k := range keys {
		ev := reflect.New(m.Type().Elem()).Elem()
		ev.Set(m.MapIndex(k))
		f(k.String(), ev)
	}
}

// factStrings calls fn for every string of a policy's facts, in key order.
func factStrings(m map[string]any, prefix string, fn func(key, value string)) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		key := prefix + "." + k
		switch v := m[k].(type) {
		case string:
			if v != "" {
				fn(key, v)
			}
		case []string:
			for i, s := range v {
				fn(fmt.Sprintf("%s[%d]", key, i), s)
			}
		case map[string]string:
			names := make([]string, 0, len(v))
			for n := range v {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				fn(key+"."+n, v[n])
			}
		}
	}
}

var factKeyParts = regexp.MustCompile(`^policies\.([a-z0-9-]+)\.facts\.([a-z][a-z0-9_]*)$`)

// isEmptyValue reports a typed fact that says nothing: blank text, an
// empty list or table.
func isEmptyValue(v any) bool {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t) == ""
	case []string:
		return len(t) == 0
	case map[string]string:
		return len(t) == 0
	}
	return false
}
