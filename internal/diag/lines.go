package diag

import (
	"regexp"
	"slices"
	"strings"
)

// TOMLLines finds the line a key is written on in a TOML text: the one
// position finder for config and catalogue files. BurntSushi/toml reports
// positions for syntax errors but keeps where each key was defined private,
// so after a successful parse we find keys in the text: first the table
// header that opens their table (the n-th one for an array of tables), then
// the assignment within that table's block. It knows table headers, dotted
// and quoted keys, inline tables and multi-line strings; it only has to be
// good enough to point a person at the right line, and a miss falls back to
// the table's line.
type TOMLLines struct {
	lines   []string
	inText  []bool // line i+1 is inside a multi-line string
	headers []header
}

type header struct {
	line  int // 1-based
	path  string
	array bool
}

var (
	keyPart  = `(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')`
	headerRe = regexp.MustCompile(`^\s*(\[\[?)\s*(` + keyPart + `(?:\s*\.\s*` + keyPart + `)*)\s*\]\]?`)
)

// ScanTOML indexes the table headers of a TOML text for the lookups below.
func ScanTOML(data []byte) *TOMLLines {
	l := &TOMLLines{lines: strings.Split(string(data), "\n")}
	l.inText = make([]bool, len(l.lines))
	open := "" // the delimiter of an open multi-line string
	for i, raw := range l.lines {
		if open != "" {
			// The closing line is still text: no key or header starts there.
			l.inText[i] = true
			if strings.Count(raw, open)%2 == 1 {
				open = ""
			}
			continue
		}
		if m := headerRe.FindStringSubmatch(raw); m != nil {
			l.headers = append(l.headers, header{line: i + 1, path: normKey(m[2]), array: m[1] == "[["})
			continue
		}
		for _, delim := range []string{`"""`, `'''`} {
			if strings.Count(raw, delim)%2 == 1 {
				open = delim
				break
			}
		}
	}
	return l
}

// normKey removes spaces and quotes from a dotted key so that
// `policies."online-safety" . sections` compares equal to its path.
func normKey(s string) string {
	r := strings.NewReplacer(" ", "", "\t", "", `"`, "", "'", "")
	return r.Replace(s)
}

// Line finds a dotted key: the deepest table header that prefixes it, then
// the rest of the key inside that table. It returns 0 when not found.
func (l *TOMLLines) Line(key string) int {
	parts := strings.Split(key, ".")
	for i := len(parts); i > 0; i-- {
		p := strings.Join(parts[:i], ".")
		if b, ok := l.Table(p, 0); ok {
			if i == len(parts) {
				return b.Start
			}
			if ln := l.Key(b, strings.Join(parts[i:], ".")); ln > 0 {
				return ln
			}
			return b.Start
		}
	}
	return l.Key(l.Top(), key)
}

// Header returns the line of the nth header of table (nth counts the
// elements of an array of tables; 0 for a plain table), or 0.
func (l *TOMLLines) Header(table string, nth int) int {
	b, _ := l.Table(table, nth)
	return b.Start
}

// In returns the line where key (relative to the table) is set in the nth
// header of table, or 0.
func (l *TOMLLines) In(table string, nth int, key string) int {
	if b, ok := l.Table(table, nth); ok {
		return l.Key(b, key)
	}
	return 0
}

// All returns every line that sets the dotted key, in any element of an
// array of tables, or opens it as a table; sorted, possibly empty.
func (l *TOMLLines) All(key string) []int {
	var out []int
	for _, h := range l.headers {
		if h.path == key {
			out = append(out, h.line)
		}
	}
	parts := strings.Split(key, ".")
	for i := len(parts) - 1; i >= 0; i-- {
		rest := strings.Join(parts[i:], ".")
		if i == 0 {
			if ln := l.Key(l.Top(), rest); ln > 0 {
				out = append(out, ln)
			}
			break
		}
		for nth := 0; ; nth++ {
			b, ok := l.Table(strings.Join(parts[:i], "."), nth)
			if !ok {
				break
			}
			if ln := l.Key(b, rest); ln > 0 {
				out = append(out, ln)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Block is a range of lines [Start, End) belonging to one table.
type Block struct{ Start, End int }

// Table returns the block of the table at path: its header line to the next
// header. For an array of tables, nth selects the element. ok is false when
// the table has no header of its own (an inline or dotted table).
func (l *TOMLLines) Table(path string, nth int) (Block, bool) {
	count := 0
	for i, h := range l.headers {
		if h.path != path {
			continue
		}
		if count == nth {
			end := len(l.lines) + 1
			// A sub-table header ([a.b.c] after [a.b]) still belongs to the
			// parent's range for lookups of deeper keys, but for the parent's own
			// keys the block ends at the next header.
			if i+1 < len(l.headers) {
				end = l.headers[i+1].line
			}
			return Block{h.line, end}, true
		}
		count++
	}
	return Block{}, false
}

// Top is the part of the file before the first header.
func (l *TOMLLines) Top() Block {
	end := len(l.lines) + 1
	if len(l.headers) > 0 {
		end = l.headers[0].line
	}
	return Block{1, end}
}

// Key finds the line where rel (a key relative to the block's table, possibly
// dotted) is assigned within b. It returns 0 when not found.
func (l *TOMLLines) Key(b Block, rel string) int {
	first, last := rel, rel
	if i := strings.IndexByte(rel, '.'); i >= 0 {
		first = rel[:i]
		last = rel[strings.LastIndexByte(rel, '.')+1:]
	}
	for ln := b.Start; ln < b.End && ln <= len(l.lines); ln++ {
		if l.inText[ln-1] {
			continue
		}
		s := strings.TrimSpace(l.lines[ln-1])
		eq := strings.IndexByte(s, '=')
		if eq <= 0 || strings.HasPrefix(s, "#") || strings.HasPrefix(s, "[") {
			continue
		}
		lhs := normKey(s[:eq])
		if lhs == rel || lhs == first && strings.Contains(s, last) {
			return ln
		}
	}
	return 0
}
