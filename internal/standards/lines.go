package standards

import (
	"reflect"
	"regexp"
	"strings"
)

// lineIndex maps keys back to the lines they were written on. BurntSushi/toml
// keeps key positions private, so errors found after decoding (unknown keys,
// a bad id) would otherwise have no line; a light scan of the text recovers
// them. It understands table headers, dotted keys and multi-line strings,
// which is all a catalogue file uses.
type lineIndex struct {
	keys    []keyLine
	headers map[string][]int // table path -> line of each occurrence
}

type keyLine struct {
	path string // dotted full path, e.g. "requirements.summary"
	elem int    // which [[table]] element (0 for plain tables)
	line int
}

var (
	keyPart    = `(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')`
	keyLineRe  = regexp.MustCompile(`^\s*(` + keyPart + `(?:\s*\.\s*` + keyPart + `)*)\s*=`)
	headerRe   = regexp.MustCompile(`^\s*(\[\[?)\s*(` + keyPart + `(?:\s*\.\s*` + keyPart + `)*)\s*\]\]?`)
	splitDotRe = regexp.MustCompile(`\s*\.\s*`)
)

func indexLines(text string) *lineIndex {
	idx := &lineIndex{headers: map[string][]int{}}
	table, elem := "", 0
	inMulti := "" // the delimiter of an open multi-line string
	for i, ln := range strings.Split(text, "\n") {
		n := i + 1
		if inMulti != "" {
			if strings.Count(ln, inMulti)%2 == 1 {
				inMulti = ""
			}
			continue
		}
		if m := headerRe.FindStringSubmatch(ln); m != nil {
			table = joinKey(m[2])
			idx.headers[table] = append(idx.headers[table], n)
			elem = len(idx.headers[table]) - 1
			if m[1] == "[" {
				elem = 0
			}
			continue
		}
		if m := keyLineRe.FindStringSubmatch(ln); m != nil {
			p := joinKey(m[1])
			if table != "" {
				p = table + "." + p
			}
			idx.keys = append(idx.keys, keyLine{path: p, elem: elem, line: n})
			rest := ln[len(m[0]):]
			for _, delim := range []string{`"""`, `'''`} {
				if strings.Count(rest, delim)%2 == 1 {
					inMulti = delim
				}
			}
		}
	}
	return idx
}

func joinKey(k string) string {
	parts := splitDotRe.Split(strings.TrimSpace(k), -1)
	for i, p := range parts {
		parts[i] = strings.Trim(p, `"'`)
	}
	return strings.Join(parts, ".")
}

// header returns the line of the elem'th occurrence of a table header, or 0.
func (x *lineIndex) header(table string, elem int) int {
	if h := x.headers[table]; elem < len(h) {
		return h[elem]
	}
	return 0
}

// line returns where key path was set in element elem, or fallback.
func (x *lineIndex) line(path []string, elem int, fallback int) int {
	p := strings.Join(path, ".")
	for _, k := range x.keys {
		if k.path == p && k.elem == elem {
			return k.line
		}
	}
	return fallback
}

// all returns every line that sets key path, or that opens it as a table.
func (x *lineIndex) all(path []string) []int {
	p := strings.Join(path, ".")
	lines := append([]int(nil), x.headers[p]...)
	for _, k := range x.keys {
		if k.path == p {
			lines = append(lines, k.line)
		}
	}
	return lines
}

// tomlKeys lists the toml tag names of a struct's fields, for hints.
func tomlKeys[T any]() []string {
	t := reflect.TypeFor[T]()
	keys := make([]string, 0, t.NumField())
	for f := range t.Fields() {
		if k, _, _ := strings.Cut(f.Tag.Get("toml"), ","); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}
