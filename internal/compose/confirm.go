package compose

import (
	"encoding/hex"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/policies"
)

// ToBeConfirmed is how a value the school has not yet confirmed prints: in
// bold, naming what is unconfirmed ("[filtering lead: to be confirmed]"), so
// a reader of the draft cannot take it for the school's fact and knows what
// to ask.
func ToBeConfirmed(s *config.School, key string) string {
	return `**\[` + EscapeMarkdown(ConfirmLabel(s, key)) + `: to be confirmed\]**`
}

// confirmLabels name the keys whose last part alone would not say what is
// unconfirmed; the rest are named by their last part.
var confirmLabels = map[string]string{
	"practice.mobile_phones":       "pupils' phones",
	"ai.pupil_use":                 "pupils' use of AI",
	"ai.approved_tools":            "approved AI tools",
	"ai.approver":                  "who approves AI tools",
	"filtering.approvers":          "who approves filtering changes",
	"filtering.system":             "filtering system",
	"monitoring.method":            "monitoring method",
	"email.never_by_email":         "data never sent by email",
	"platforms.cloud_services":     "cloud services",
	"local_authority":              "local authority",
	"people.dsl":                   "DSL's name",
	"people.deputy_dsls":           "deputy DSLs' names",
	"people.safeguarding_governor": "safeguarding governor's name",
}

// ConfirmLabel is what a marker calls a key still to be confirmed, in a
// reader's words: "roles.filtering_lead" is "filtering lead". A policy's
// fact is called by the label its policy.toml declares, if any.
func ConfirmLabel(s *config.School, key string) string {
	if s != nil {
		if l, ok := s.FactLabels[key]; ok {
			return l
		}
	}
	if l, ok := confirmLabels[key]; ok {
		return l
	}
	return strings.ReplaceAll(key[strings.LastIndex(key, ".")+1:], "_", " ")
}

// tbcMark stands in a value until the document is composed: a school's text
// is escaped as it is printed, and the mark must survive that as itself.
// It carries the key in hex (escaping would change its dots and
// underscores), so the printed marker names it.
func tbcMark(key string) string { return "\x00tbc:" + hex.EncodeToString([]byte(key)) + "\x00" }

var tbcMarkRe = regexp.MustCompile("\x00tbc:([0-9a-f]*)\x00")

// markUnconfirmed returns a copy of s in which every free-text value the
// school lists in confirm carries the mark (an unset one is only the mark),
// so wherever a template prints it, the reader sees it is unconfirmed.
// Choices and flags cannot carry a mark; the sentences that depend on them
// call tbc.
func markUnconfirmed(s *config.School) *config.School {
	s = markOutdated(s)
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
				v.SetString(t + " " + tbcMark(key))
			} else {
				v.SetString(tbcMark(key))
			}
		case reflect.Slice:
			items := slices.Clone(v.Interface().([]string))
			if len(items) == 0 {
				items = []string{tbcMark(key)}
			} else {
				items[len(items)-1] += " " + tbcMark(key)
			}
			v.Set(reflect.ValueOf(items))
		}
	}
	return &c
}

// showUnconfirmed turns the marks in composed Markdown into ToBeConfirmed,
// and the out-of-date marks into their notes.
func showUnconfirmed(s *config.School, md string) string {
	md = tbcMarkRe.ReplaceAllStringFunc(md, func(m string) string {
		key, _ := hex.DecodeString(m[len("\x00tbc:") : len(m)-1])
		return ToBeConfirmed(s, string(key))
	})
	return oldMarkRe.ReplaceAllStringFunc(md, func(m string) string {
		i, _ := strconv.Atoi(m[len("\x00old:") : len(m)-1])
		return `**\[` + EscapeMarkdown(config.WithdrawnThings[i].Note) + `\]**`
	})
}

// oldMark stands after a value naming the i'th withdrawn thing until the
// document is composed, as tbcMark does.
func oldMark(i int) string { return "\x00old:" + strconv.Itoa(i) + "\x00" }

var oldMarkRe = regexp.MustCompile("\x00old:([0-9]+)\x00")

// markOutdated returns a copy of s in which every free-text value naming a
// withdrawn service or scheme (config.WithdrawnThings) carries a mark: the
// pack keeps what the school states and says, where it says it, that it
// is out of date, as `check` does.
func markOutdated(s *config.School) *config.School {
	type hit struct {
		key string
		idx int // element of a list, or -1
		w   int
	}
	var hits []hit
	config.Strings(s, func(key, value string) {
		base, idx := key, -1
		if i := strings.IndexByte(key, '['); i >= 0 {
			base = key[:i]
			idx, _ = strconv.Atoi(strings.TrimSuffix(key[i+1:], "]"))
		}
		if !slices.Contains(config.ConfirmableKeys(), base) || !config.FreeText(base) {
			return // only values compose can reach by key
		}
		for w, t := range config.WithdrawnThings {
			if t.Match(value) {
				hits = append(hits, hit{base, idx, w})
				break
			}
		}
	})
	if len(hits) == 0 {
		return s
	}
	c := *s
	for _, h := range hits {
		v := config.ValueOf(&c, h.key)
		switch v.Kind() {
		case reflect.String:
			v.SetString(v.String() + " " + oldMark(h.w))
		case reflect.Slice:
			items := slices.Clone(v.Interface().([]string))
			items[h.idx] += " " + oldMark(h.w)
			v.Set(reflect.ValueOf(items))
		}
	}
	return &c
}

// markFacts is markUnconfirmed for a policy's declared facts (typed, and
// the policy's own copy): a free-text fact (a string or a list with no
// declared values) the school lists in confirm carries the mark; a choice
// or a flag cannot, and the sentence that depends on it calls tbc with
// the fact's key.
func markFacts(s *config.School, p *policies.Policy, facts map[string]any) map[string]any {
	for _, f := range p.Facts {
		key := config.FactKey(p.ID, f.Name)
		if !s.Unconfirmed(key) || len(f.Values) > 0 {
			continue
		}
		switch v := facts[f.Name].(type) {
		case string:
			if t := strings.TrimSpace(v); t != "" {
				facts[f.Name] = t + " " + tbcMark(key)
			} else {
				facts[f.Name] = tbcMark(key)
			}
		case []string:
			items := slices.Clone(v)
			if len(items) == 0 {
				items = []string{tbcMark(key)}
			} else {
				items[len(items)-1] += " " + tbcMark(key)
			}
			facts[f.Name] = items
		}
	}
	return facts
}
