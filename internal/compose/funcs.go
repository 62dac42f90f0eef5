package compose

import (
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/Masterminds/sprig/v3"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/markdown"
	"github.com/policypack/policypack/internal/policies"
)

// SprigFuncs are the sprig functions templates may call: the ones the
// built-in templates use (has, lower, sub) and a documented set of pure,
// bounded helpers (docs/templates.md lists them, generated from this list).
// An allow-list, not a deny-list: a function sprig adds tomorrow (or one
// that reads the clock, the environment, randomness or the network, or
// allocates as much as it is asked to, like repeat or until) is not
// available until someone reads it and adds it here.
var SprigFuncs = []string{
	// strings
	"lower", "upper", "title", "trim", "trimAll", "trimPrefix", "trimSuffix", "replace",
	"contains", "hasPrefix", "hasSuffix", "plural", "trunc", "abbrev", "initials", "nospace",
	"quote", "squote", "toString", "join", "splitList",
	// values
	"default", "empty", "coalesce", "ternary",
	// lists
	"list", "append", "first", "last", "rest", "initial", "has", "without", "uniq", "compact", "sortAlpha", "reverse",
	// dictionaries (keys is sorted: see pureFuncs)
	"dict", "get", "hasKey", "keys", "pick", "omit",
	// whole numbers
	"add", "add1", "sub", "mul", "div", "mod", "max", "min", "atoi",
	// dates (toDate is pure: see pureFuncs)
	"toDate",
}

// pureFuncs replace sprig functions whose results depend on the machine:
// sprig's toDate parses in the local time zone and its keys returns map
// order.
var pureFuncs = template.FuncMap{
	"toDate": func(layout, value string) time.Time {
		t, _ := time.ParseInLocation(layout, value, time.UTC)
		return t
	},
	"keys": func(dicts ...map[string]any) []string {
		var out []string
		for _, d := range dicts {
			for k := range d {
				out = append(out, k)
			}
		}
		slices.Sort(out)
		return out
	},
}

// baseFuncs are the functions known at parse time. Functions that depend on
// the school being rendered are placeholders here and rebound per document.
func baseFuncs() template.FuncMap {
	all := sprig.TxtFuncMap()
	fm := template.FuncMap{}
	for _, name := range SprigFuncs {
		fm[name] = all[name]
		if fn, ok := pureFuncs[name]; ok {
			fm[name] = fn
		}
	}
	for name, fn := range staticFuncs() {
		fm[name] = fn
	}
	for name, fn := range (&state{}).funcs() {
		fm[name] = fn
	}
	return fm
}

// FuncNames lists every function a template may call besides text/template's
// own, sorted: policypack's and the allowed sprig ones.
func FuncNames() (policypack, sprigs []string) {
	for name := range staticFuncs() {
		if name != escapeFunc {
			policypack = append(policypack, name)
		}
	}
	for name := range (&state{}).funcs() {
		policypack = append(policypack, name)
	}
	slices.Sort(policypack)
	sprigs = slices.Sorted(slices.Values(SprigFuncs))
	return policypack, sprigs
}

func staticFuncs() template.FuncMap {
	return template.FuncMap{
		escapeFunc: escapeValue,
		"link":     link,
		"andList":  func(v any) (Markdown, error) { return joinList(v, "and") },
		"orList":   func(v any) (Markdown, error) { return joinList(v, "or") },
		"field":    field,
		"filled":   filled,
		"yesno": func(label string) Markdown {
			return Markdown(EscapeMarkdown(label) + ": [ ] Yes [ ] No")
		},
		"signature": func(label string) Markdown {
			return Markdown(EscapeMarkdown(label) + ": " + strings.Repeat("_", 36) + " Date: " + strings.Repeat("_", 14))
		},
		"pagebreak": func() Markdown { return Markdown(markdown.PageBreakMarker) },
		// platform names a learning platform once: "the itslearning
		// platform", not "the itslearning learning platform".
		"platform": func(name string) Markdown {
			if strings.Contains(strings.ToLower(name), "learning") {
				return Markdown("the " + EscapeMarkdown(name) + " platform")
			}
			return Markdown("the " + EscapeMarkdown(name) + " learning platform")
		},
		"raw":     func(s string) Markdown { return Markdown(s) },
		"ucfirst": ucfirstString,
	}
}

func ucfirstString(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError { // "" (or a stray byte) has no first letter to raise
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// state is what the school-dependent functions need while one document is
// composed.
type state struct {
	school *config.School
	pupil  Pupil         // set when a form is pre-filled from a roster
	cat    *policies.Set // the policies a reference may name
}

func (st *state) funcs() template.FuncMap {
	return template.FuncMap{
		"teaches": func(stages ...string) bool {
			if st.school == nil {
				return false
			}
			for _, s := range stages {
				if slices.Contains(st.school.KeyStages, s) {
					return true
				}
			}
			return false
		},
		// forStage chooses a stage's version of a form: for a pupil from a
		// roster, the version for their year group; otherwise every version
		// the school teaches.
		"forStage": func(stages ...string) bool {
			if st.school == nil {
				return false
			}
			if ks := StageOfYear(st.pupil.Year); ks != "" && slices.Contains(st.school.KeyStages, ks) {
				return slices.Contains(stages, ks)
			}
			for _, s := range stages {
				if slices.Contains(st.school.KeyStages, s) {
					return true
				}
			}
			return false
		},
		"isAcademy": func() bool { return st.school != nil && st.school.Organisation.Type == "trust" },
		"isFederation": func() bool {
			return st.school != nil && st.school.Kind == "federation"
		},
		"agency": st.agency,
		// itLead names, with its article, whoever the school turns to for
		// IT: its IT manager if it has one, else its IT provider, else its
		// IT support, so no school is told about a post it does not have.
		"itLead": func() Markdown {
			if st.school == nil {
				return ""
			}
			r, it := st.school.Roles, st.school.IT
			switch {
			case strings.TrimSpace(r.ITManager) != "":
				return Markdown("the " + EscapeMarkdown(r.ITManager))
			case it.ProviderShort != "":
				return Markdown("the school's IT provider (" + EscapeMarkdown(it.ProviderShort) + ")")
			case it.Provider != "":
				return Markdown("the school's IT provider (" + EscapeMarkdown(it.Provider) + ")")
			}
			return "the school's IT support"
		},
		"agencyLink": func(id string) (Markdown, error) {
			a, err := st.agency(id)
			if err != nil {
				return "", err
			}
			return link(a.Name, a.URL)
		},
		"xref": func(id string) Markdown { return Markdown(xrefMark + id + xrefMark) },
		// policy names another policy by id, with its title as the school
		// names it, so one policy's text refers to another the same way
		// in every school; a mistyped id fails the build.
		"policy": st.policyRef,
		// hasPolicy says whether the school has a policy of the set, so
		// a sentence names it only where the pack has it.
		"hasPolicy": func(id string) (bool, error) {
			if st.cat == nil {
				return false, nil
			}
			if st.cat.Policy(id) == nil {
				_, err := st.policyRef(id)
				return false, err
			}
			return st.school != nil && st.school.Has(id), nil
		},
		// linkedPolicies lists the policies a school names (linked_policies),
		// each once, linked where it is a policy the school has.
		"linkedPolicies": st.linkedPolicies,
		// tbc marks a sentence that follows from a choice or flag the
		// school has not yet confirmed: " [pupils' phones: to be confirmed]",
		// naming the key, or "". As a condition it says whether the key
		// is unconfirmed, so a template can word a whole sentence for it.
		"tbc": func(key string) (Markdown, error) {
			if !slices.Contains(config.ConfirmableKeys(), key) && !st.isFact(key) {
				return "", fmt.Errorf("tbc %q: not a key a school can list in confirm", key)
			}
			if st.school != nil && st.school.Unconfirmed(key) {
				return Markdown(" " + ToBeConfirmed(st.school, key)), nil
			}
			return "", nil
		},
	}
}

func (st *state) policyRef(id string) (Markdown, error) {
	if st.cat == nil {
		return "", nil
	}
	p := st.cat.Policy(id)
	if p == nil {
		ids := make([]string, 0, len(st.cat.Policies))
		for _, q := range st.cat.Policies {
			ids = append(ids, q.ID)
		}
		return "", fmt.Errorf("policy %q: no such policy (the policies are %s)", id, strings.Join(ids, ", "))
	}
	title := p.Title
	if st.school != nil {
		if t := st.school.Policies[id].Title; t != "" {
			title = t
		}
	}
	return st.policyLink(id, EscapeMarkdown(title)), nil
}

// policyLink is text (Markdown) as a link to policy id when the school has
// it, else the text alone: the link names the policy, not a file
// (markdown.PolicyScheme), and each output resolves it.
func (st *state) policyLink(id, text string) Markdown {
	if st.school == nil || !st.school.Has(id) {
		return Markdown(text)
	}
	return Markdown("[" + text + "](" + markdown.PolicyScheme + id + ")")
}

// linkedPolicies is a list of other policies as a school writes it
// (linked_policies), one item per policy: an entry that names a policy of
// the set is that policy, linked when the school has it. An entry names
// a policy by its id ("child-protection", which prints the policy's title
// as the school names it), or by a name read without regard to case,
// punctuation or a leading "the": the policy's title, the school's title
// for it (policies.<id>.title) or one of the names its policy.toml lists
// (names), which prints as the school wrote it. A later entry naming a
// policy already listed is dropped, so the list never shows one policy
// twice. Any other entry prints as written (escaped).
func (st *state) linkedPolicies(entries []string) ([]Markdown, error) {
	var out []Markdown
	seen := map[string]bool{}
	for _, e := range entries {
		id := st.policyNamed(e)
		switch {
		case id == "":
			if k := nameKey(e); k != "" && !seen["name:"+k] {
				seen["name:"+k] = true
				out = append(out, Markdown(EscapeMarkdown(e)))
			}
		case seen[id]:
		case e == id:
			seen[id] = true
			m, err := st.policyRef(id)
			if err != nil {
				return nil, err
			}
			out = append(out, m)
		default:
			seen[id] = true
			out = append(out, st.policyLink(id, EscapeMarkdown(e)))
		}
	}
	return out, nil
}

// policyNamed is the id of the policy an entry of linked_policies names,
// or "".
func (st *state) policyNamed(entry string) string {
	if st.cat == nil {
		return ""
	}
	if p := st.cat.Policy(entry); p != nil {
		return p.ID
	}
	k := nameKey(entry)
	if k == "" {
		return ""
	}
	for _, p := range st.cat.Policies {
		names := append([]string{p.Title}, p.Names...)
		if st.school != nil {
			if t := st.school.Policies[p.ID].Title; t != "" {
				names = append(names, t)
			}
		}
		for _, n := range names {
			if nameKey(n) == k {
				return p.ID
			}
		}
	}
	return ""
}

// nameKey is a policy's name as compared: lower case, words of letters
// and digits only, without a leading "the".
func nameKey(s string) string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) > 0 && words[0] == "the" {
		words = words[1:]
	}
	return strings.Join(words, " ")
}

func (st *state) agency(id string) (config.Agency, error) {
	if st.school == nil {
		return config.Agency{}, nil
	}
	a, ok := st.school.Agencies[id]
	if !ok {
		return config.Agency{}, fmt.Errorf("unknown agency %q (add it under [agencies.%s] with name and url)", id, id)
	}
	return a, nil
}

// xrefMark brackets a section id until section numbers are known.
const xrefMark = "\x00xref:"

func link(text, addr string) (Markdown, error) {
	u, err := url.Parse(addr)
	if err != nil || !(u.Scheme == "https" || u.Scheme == "http" || u.Scheme == "mailto") || strings.ContainsAny(addr, " \t<>\"\n") {
		return "", fmt.Errorf("link %q: address %q must be an http(s) or mailto address without spaces", text, addr)
	}
	if text == "" {
		text = addr
	}
	// Brackets are legal in addresses (Wikipedia's are full of them) but
	// would end a Markdown link destination: percent-encode them.
	dest := strings.NewReplacer("(", "%28", ")", "%29").Replace(addr)
	return Markdown("[" + EscapeMarkdown(text) + "](" + dest + ")"), nil
}

func field(label string, width int) Markdown {
	return Markdown(EscapeMarkdown(label) + ": " + strings.Repeat("_", max(3, width)))
}

func filled(label, value string, width int) Markdown {
	if strings.TrimSpace(value) == "" {
		return field(label, width)
	}
	pad := max(3, width-utf8.RuneCountInString(value)-4)
	return Markdown(EscapeMarkdown(label) + ": ___ " + EscapeMarkdown(value) + " " + strings.Repeat("_", pad))
}

func joinList(v any, conj string) (Markdown, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		return "", fmt.Errorf("%sList needs a list, not %T", conj, v)
	}
	items := make([]string, 0, rv.Len())
	for i := 0; i < rv.Len(); i++ {
		m, err := escapeValue(rv.Index(i).Interface())
		if err != nil {
			return "", err
		}
		items = append(items, string(m))
	}
	switch len(items) {
	case 0:
		return "", nil
	case 1:
		return Markdown(items[0]), nil
	}
	return Markdown(strings.Join(items[:len(items)-1], ", ") + " " + conj + " " + items[len(items)-1]), nil
}

// StageOfYear maps a year group as rosters write it ("Reception", "Year 3",
// "Nursery", "N1") to its key stage, or "" when it is not recognised.
func StageOfYear(year string) string {
	y := strings.ToLower(strings.TrimSpace(year))
	switch {
	case y == "":
		return ""
	case strings.HasPrefix(y, "nursery"), strings.HasPrefix(y, "reception"), strings.HasPrefix(y, "foundation"),
		y == "n1", y == "n2", y == "r", y == "fs1", y == "fs2", y == "f1", y == "f2":
		return "EYFS"
	}
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(y, "year")))
	if err != nil {
		return ""
	}
	switch {
	case n >= 1 && n <= 2:
		return "KS1"
	case n >= 3 && n <= 6:
		return "KS2"
	case n >= 7 && n <= 9:
		return "KS3"
	case n >= 10 && n <= 11:
		return "KS4"
	case n >= 12 && n <= 13:
		return "KS5"
	}
	return ""
}

// isFact reports whether key is a declared fact of one of the school's
// policies (policies.<id>.facts.<name>), which confirm may list too.
func (st *state) isFact(key string) bool {
	if st.school == nil {
		return strings.HasPrefix(key, "policies.") && strings.Contains(key, ".facts.")
	}
	for id, pc := range st.school.Policies {
		for name := range pc.Facts {
			if config.FactKey(id, name) == key {
				return true
			}
		}
	}
	return false
}
