// Package diag is the one shape every user-facing problem takes: where it is
// (file, line, column, key), what is wrong, a hint on its own line and the
// error it came from. Config, catalogue, template and command errors all
// print and sort the same way because they are all this type; a new input
// format needs an adapter (see TOML), not a new way of reporting.
package diag

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Error is one problem, located as precisely as its finder can: Line and Col
// are 0 when unknown, Key is the dotted config key or "" when there is none.
type Error struct {
	File string // path as the user gave it, e.g. "schools/robert-miles-infant.toml"
	Line int
	Col  int
	Key  string
	Msg  string
	Hint string // optional, printed on its own line
	Err  error  // the cause, for errors.Is and errors.As; printed only when Msg is empty
}

// Error prints "file:line:col: key: message" with the parts that are known,
// then "\thint: ..." on a line of its own.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
			if e.Col > 0 {
				fmt.Fprintf(&b, ":%d", e.Col)
			}
		}
		b.WriteString(": ")
	}
	if e.Key != "" {
		fmt.Fprintf(&b, "%s: ", e.Key)
	}
	switch {
	case e.Msg != "":
		b.WriteString(e.Msg)
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	}
	if e.Hint != "" {
		b.WriteString("\n\thint: ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// same reports whether two errors print alike. It does not compare the
// causes with ==, which panics for an uncomparable error type.
func same(a, b *Error) bool {
	return a.File == b.File && a.Line == b.Line && a.Col == b.Col && a.Key == b.Key && a.Msg == b.Msg && a.Hint == b.Hint &&
		(a.Msg != "" || errors.Is(a.Err, b.Err))
}

func compare(a, b *Error) int {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col),
		cmp.Compare(a.Key, b.Key), cmp.Compare(a.Msg, b.Msg))
}

// List is every problem found in one run, so the user can fix them all at
// once rather than one per run.
type List []*Error

// Error prints each error on its own line(s), in the list's order.
func (es List) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Sort orders the errors by file, line, column and key, and drops exact
// duplicates (a shared defaults file is reported once, not once per school).
func (es List) Sort() List {
	slices.SortStableFunc(es, compare)
	return slices.CompactFunc(es, same)
}

// Err returns the sorted list as an error, or nil when there are none.
func (es List) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es.Sort()
}

// Unwrap lets errors.As and errors.Is see each error.
func (es List) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}
