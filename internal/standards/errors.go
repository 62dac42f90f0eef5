package standards

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one problem in a catalogue file, located so an editor can jump to it.
type Error struct {
	File string // path of the catalogue file within its FS
	Line int    // 1-based; 0 when no line could be found
	Key  string // dotted key, e.g. "requirements.phases"; empty for whole-file problems
	Msg  string
	Hint string // optional second line: what to do about it
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString("\n\thint: " + e.Hint)
	}
	return b.String()
}

// ErrorList is every problem found in one load, sorted by file and line.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.As find the individual errors.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].File != l[j].File {
			return l[i].File < l[j].File
		}
		if l[i].Line != l[j].Line {
			return l[i].Line < l[j].Line
		}
		return l[i].Key < l[j].Key
	})
}
