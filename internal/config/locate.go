package config

import (
	"strings"
)

// locator finds the line of a key in a TOML file. BurntSushi/toml reports
// positions for syntax errors but does not expose where each key was defined,
// so after a successful parse we find keys in the text: first the table
// header that opens their table (the n-th one for an array of tables), then
// the assignment within that table's block. This only has to be good enough
// to point a person at the right line; a miss falls back to the table line.
type locator struct {
	lines   []string
	headers []header
}

type header struct {
	line  int // 1-based
	path  string
	array bool
}

func newLocator(data []byte) *locator {
	l := &locator{lines: strings.Split(string(data), "\n")}
	inMulti := false
	for i, raw := range l.lines {
		s := strings.TrimSpace(raw)
		// Skip the insides of multi-line strings, where "[x]" is text.
		if n := strings.Count(s, `"""`) + strings.Count(s, `'''`); n%2 == 1 {
			inMulti = !inMulti
			continue
		}
		if inMulti || !strings.HasPrefix(s, "[") {
			continue
		}
		array := strings.HasPrefix(s, "[[")
		end := strings.Index(s, "]")
		if end < 0 {
			continue
		}
		name := strings.TrimLeft(s[:end], "[")
		l.headers = append(l.headers, header{line: i + 1, path: normKey(name), array: array})
	}
	return l
}

// normKey removes spaces and quotes from a dotted key so that
// `policies."online-safety" . sections` compares equal to its path.
func normKey(s string) string {
	r := strings.NewReplacer(" ", "", "\t", "", `"`, "", "'", "")
	return r.Replace(s)
}

// block is a range of lines [start, end) belonging to one table.
type block struct{ start, end int }

func (l *locator) whole() block { return block{1, len(l.lines) + 1} }

// table returns the block of the table at path: its header line to the next
// header. For an array of tables, nth selects the element. ok is false when
// the table has no header of its own (an inline or dotted table).
func (l *locator) table(path string, nth int) (block, bool) {
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
			return block{h.line, end}, true
		}
		count++
	}
	return block{}, false
}

// topBlock is the part of the file before the first header.
func (l *locator) topBlock() block {
	end := len(l.lines) + 1
	if len(l.headers) > 0 {
		end = l.headers[0].line
	}
	return block{1, end}
}

// key finds the line where rel (a key relative to the block's table, possibly
// dotted) is assigned within b. It returns 0 when not found.
func (l *locator) key(b block, rel string) int {
	first, last := rel, rel
	if i := strings.IndexByte(rel, '.'); i >= 0 {
		first = rel[:i]
		last = rel[strings.LastIndexByte(rel, '.')+1:]
	}
	for ln := b.start; ln < b.end && ln <= len(l.lines); ln++ {
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
