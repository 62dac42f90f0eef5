package config

import (
	"cmp"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/policypack/policypack/internal/diag"
)

// A school migrating from an old policy records many values it has not yet
// confirmed (who approves a filtering change, say). It lists their keys in
// `confirm`; the pack prints them marked "[to be confirmed]", `check` lists
// them, and no approval can be recorded while any remain.

// notConfirmable are keys that shape the whole pack or name files: a school
// must know them before it has a pack at all.
var notConfirmable = []string{"name", "extends", "kind", "phase", "key_stages", "website", "logo", "confirm"}

// ConfirmableKeys lists, in schema order, the keys `confirm` may name:
// every value outside the maps (agencies, policies) except those that shape
// the pack (notConfirmable).
func ConfirmableKeys() []string { return slices.Clone(confirmable()) }

var confirmable = sync.OnceValue(func() []string {
	var keys []string
	Schema().Walk(func(path string, f *Field) {
		if f.Kind == KindTable || f.Kind == KindMap || f.Kind == KindTables ||
			strings.ContainsAny(path, "<[") || slices.Contains(notConfirmable, path) {
			return
		}
		keys = append(keys, path)
	})
	return keys
})

// Unconfirmed reports whether the school lists key as still to be confirmed.
func (s *School) Unconfirmed(key string) bool { return slices.Contains(s.Confirm, key) }

// FreeText reports whether key holds free text (a string or list of strings
// with no fixed set of values, no pattern and no ids) that compose can mark
// where it is printed; other keys (choices, flags, numbers) are marked by
// the template sentence that depends on them.
func FreeText(key string) bool {
	f := Schema()
	for _, part := range strings.Split(key, ".") {
		if f = f.Child(part); f == nil {
			return false
		}
	}
	return (f.Kind == KindString || f.Kind == KindStrings) && len(f.Enum) == 0 && f.Pattern == nil && f.Ref == ""
}

// checkConfirm reports a `confirm` item that is not a confirmable key, and
// an approval recorded while any value is still to be confirmed: approving a
// policy is saying every sentence of it is true.
//
// A policy's declared fact is confirmable too, as
// policies.<id>.facts.<name>; with no declarations (Load) any key of that
// shape is accepted unchecked.
func checkConfirm(s *School, decls []PolicyFacts) Errors {
	var errs Errors
	known := slices.Clone(confirmable())
	for _, p := range decls {
		for _, f := range p.Facts {
			known = append(known, FactKey(p.ID, f.Name))
		}
	}
	file, line := s.Source.Pos("confirm")
	for i, key := range s.Confirm {
		if slices.Contains(known, key) || decls == nil && factKeyRe.MatchString(key) {
			if slices.Index(s.Confirm, key) != i {
				errs = append(errs, &Error{File: file, Line: line, Key: fmt.Sprintf("confirm[%d]", i), Msg: fmt.Sprintf("%q is listed twice", key)})
			}
			continue
		}
		hint := cmp.Or(diag.DidYouMean(key, known), "list keys as they are written in the school's file, e.g. \"filtering.approvers\"; see docs/config.md")
		msg := fmt.Sprintf("%q is not a key that can be confirmed later", key)
		if slices.Contains(notConfirmable, key) {
			msg = fmt.Sprintf("%q shapes the whole pack and must be known before it is built", key)
			hint = "set it in the school's file and remove it from confirm"
		}
		errs = append(errs, &Error{File: file, Line: line, Key: fmt.Sprintf("confirm[%d]", i), Msg: msg, Hint: hint})
	}
	if len(s.Confirm) == 0 {
		return errs
	}
	pids := make([]string, 0, len(s.Policies))
	for pid := range s.Policies {
		pids = append(pids, pid)
	}
	slices.Sort(pids)
	for _, pid := range pids {
		if s.Policies[pid].ApprovedOn.IsZero() {
			continue
		}
		key := "policies." + pid + ".approved_on"
		f, l := s.Source.Pos(key)
		errs = append(errs, &Error{File: f, Line: l, Key: key,
			Msg:  fmt.Sprintf("an approval is recorded while %d value(s) are still to be confirmed (%s)", len(s.Confirm), strings.Join(s.Confirm, ", ")),
			Hint: fmt.Sprintf("confirm each value and remove it from confirm (%s:%d) before recording the approval", file, line)})
	}
	return errs
}

// ValueOf returns the field of s that holds the dotted key (settable when s
// is), or the zero Value when the schema has no such key.
func ValueOf(s *School, key string) reflect.Value {
	v := reflect.ValueOf(s).Elem()
	f := Schema()
	for _, part := range strings.Split(key, ".") {
		c := f.Child(part)
		if c == nil || f.Kind != KindTable {
			return reflect.Value{}
		}
		v, f = v.FieldByIndex(c.index), c
	}
	return v
}

// FactKey is the dotted key of a policy's declared fact, as confirm and
// messages name it.
func FactKey(policy, name string) string { return "policies." + policy + ".facts." + name }

var factKeyRe = regexp.MustCompile(`^policies\.[a-z0-9-]+\.facts\.[a-z][a-z0-9_]*$`)
