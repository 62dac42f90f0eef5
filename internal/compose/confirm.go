package compose

import (
	"reflect"
	"slices"
	"strings"

	"github.com/policypack/policypack/internal/catalog"
	"github.com/policypack/policypack/internal/config"
)

// ToBeConfirmed is how a value the school has not yet confirmed prints: in
// bold, so a reader of the draft cannot take it for the school's fact.
const ToBeConfirmed = `**\[to be confirmed\]**`

// tbcMark stands in a value until the document is composed: a school's text
// is escaped as it is printed, and the mark must survive that as itself.
const tbcMark = "\x00tbc\x00"

// markUnconfirmed returns a copy of s in which every free-text value the
// school lists in confirm carries the mark (an unset one is only the mark),
// so wherever a template prints it, the reader sees it is unconfirmed.
// Choices and flags cannot carry a mark; the sentences that depend on them
// call tbc.
func markUnconfirmed(s *config.School) *config.School {
	if len(s.Confirm) == 0 {
		return s
	}
	c := *s
	for _, key := range s.Confirm {
		if !config.FreeText(key) {
			continue
		}
		v := config.ValueOf(&c, key)
		switch v.Kind() {
		case reflect.String:
			if t := strings.TrimSpace(v.String()); t != "" {
				v.SetString(t + " " + tbcMark)
			} else {
				v.SetString(tbcMark)
			}
		case reflect.Slice:
			items := slices.Clone(v.Interface().([]string))
			if len(items) == 0 {
				items = []string{tbcMark}
			} else {
				items[len(items)-1] += " " + tbcMark
			}
			v.Set(reflect.ValueOf(items))
		}
	}
	return &c
}

// showUnconfirmed turns the marks in composed Markdown into ToBeConfirmed.
func showUnconfirmed(md string) string { return strings.ReplaceAll(md, tbcMark, ToBeConfirmed) }

// markFacts is markUnconfirmed for a policy's declared facts (typed, and
// the policy's own copy): a free-text fact (a string or a list with no
// declared values) the school lists in confirm carries the mark; a choice
// or a flag cannot, and the sentence that depends on it calls tbc with
// the fact's key.
func markFacts(s *config.School, p *catalog.Policy, facts map[string]any) map[string]any {
	for _, f := range p.Facts {
		if !s.Unconfirmed(config.FactKey(p.ID, f.Name)) || len(f.Values) > 0 {
			continue
		}
		switch v := facts[f.Name].(type) {
		case string:
			if t := strings.TrimSpace(v); t != "" {
				facts[f.Name] = t + " " + tbcMark
			} else {
				facts[f.Name] = tbcMark
			}
		case []string:
			items := slices.Clone(v)
			if len(items) == 0 {
				items = []string{tbcMark}
			} else {
				items[len(items)-1] += " " + tbcMark
			}
			facts[f.Name] = items
		}
	}
	return facts
}
