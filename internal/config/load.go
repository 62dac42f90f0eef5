package config

import (
	"cmp"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/ident"
	"github.com/policypack/policypack/internal/infile"
)

// MaxFileBytes bounds one config file: a school's file is a few
// kilobytes, and a bound keeps a mistaken or hostile file (a device, a
// generated monster) from exhausting memory.
const MaxFileBytes = 1 << 20

//go:embed defaults.toml
var builtinDefaults []byte

// BuiltinDefaultsFile is how errors name the embedded defaults.
const BuiltinDefaultsFile = "(built-in defaults)"

// DefaultsFile is the trust-wide defaults file inside the schools folder.
const DefaultsFile = "_defaults.toml"

// layer is one parsed file of the cascade.
type layer struct {
	file string // path for messages
	raw  []byte // the bytes parsed: what a build hashes
	data map[string]any
	loc  *diag.TOMLLines
}

// Source records the files a school was merged from, most specific last,
// so later stages (section ids, coverage) can point at file:line.
type Source struct {
	layers []*layer
}

// Pos returns the file and line where the dotted key is set, looking in the
// most specific file first; line is 0 when only the file is known.
func (s *Source) Pos(key string) (string, int) {
	if s == nil || len(s.layers) == 0 {
		return "", 0
	}
	for i := len(s.layers) - 1; i >= 0; i-- {
		l := s.layers[i]
		if !hasKey(l.data, key) {
			continue
		}
		return l.file, l.loc.Line(key)
	}
	return s.layers[len(s.layers)-1].file, 0
}

// File is the school's own config file.
func (s *Source) File() string {
	if s == nil || len(s.layers) == 0 {
		return ""
	}
	return s.layers[len(s.layers)-1].file
}

// Files lists every file the school was merged from, least specific first.
func (s *Source) Files() []string {
	var out []string
	for _, l := range s.layers {
		out = append(out, l.file)
	}
	return out
}

// Input is one file a school was merged from and the exact bytes that
// were parsed, so a build hashes what it rendered even when the file is
// saved again while it runs.
type Input struct {
	File string
	Data []byte
}

// Inputs lists the files a school was merged from with the bytes parsed,
// least specific first, without the built-in defaults (part of the
// program).
func (s *Source) Inputs() []Input {
	var out []Input
	for _, l := range s.layers {
		if l.file != BuiltinDefaultsFile {
			out = append(out, Input{File: l.file, Data: l.raw})
		}
	}
	return out
}

func hasKey(m map[string]any, key string) bool {
	var cur any = m
	for _, part := range strings.Split(key, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = mm[part]; !ok {
			return false
		}
	}
	return true
}

// Set is every school config in a folder, sorted by id.
type Set struct {
	Dir     string
	Schools []*School
}

// Load reads, validates and merges every school config in dir. With ids, only
// those schools are returned (shared defaults files are still checked). The
// error, if any, is an Errors listing every problem found.
func Load(dir string, ids ...string) (*Set, error) {
	return LoadPolicies(dir, nil, ids...)
}

// LoadPolicies is Load knowing the policies' declared facts: each file's
// [policies.<id>.facts] is checked against the declarations (unknown keys,
// types, allowed values) and, after the cascade, every required fact of a
// policy the school has must be set. With decls nil the facts are not
// checked (a reader that needs only review dates).
func LoadPolicies(dir string, decls []PolicyFacts, ids ...string) (*Set, error) {
	facts := factFields(decls)
	var errs Errors
	fail := func(e *Error) { errs = append(errs, e) }

	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, Errors{{File: dir, Msg: "schools folder not found", Hint: "run policypack inside your trust's folder (or any folder below it), pass --schools DIR, or start a trust with `policypack init DIR`"}}
		}
		return nil, fmt.Errorf("reading %s: %w", dir, err)
	}

	in, err := infile.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", dir, err)
	}
	defer in.Close()

	builtin, perr := parseLayer(BuiltinDefaultsFile, builtinDefaults)
	if perr != nil {
		return nil, perr // a broken binary, not a user error
	}

	// Parse every file once; shared files are validated once.
	shared := map[string]*layer{}
	var schoolNames []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || filepath.Ext(name) != ".toml" {
			continue
		}
		id := strings.TrimSuffix(name, ".toml")
		path := filepath.Join(dir, name)
		if strings.HasPrefix(id, "_") {
			data, err := in.Read(name, MaxFileBytes)
			if err != nil {
				return nil, err
			}
			l, perr := parseLayer(path, data)
			if perr != nil {
				fail(perr)
				continue
			}
			if id != "_defaults" {
				if _, ok := l.data["extends"]; ok {
					fail(&Error{File: path, Line: l.loc.Line("extends"), Key: "extends", Msg: "an organisation defaults file cannot extend another", Hint: "move the shared values into _defaults.toml"})
				}
			}
			errs = append(errs, checkLayer(l, facts)...)
			shared[id] = l
			continue
		}
		if !ident.Valid(id) {
			fail(&Error{File: path, Msg: fmt.Sprintf("%q is not a valid school id", id), Hint: "name the file with lowercase letters, digits and hyphens, e.g. robert-miles-infant.toml"})
			continue
		}
		schoolNames = append(schoolNames, id)
	}
	sort.Strings(schoolNames)
	if len(schoolNames) == 0 && len(errs) == 0 {
		fail(&Error{File: dir, Msg: "no school configs here (only defaults files, or none at all)",
			Hint: "add one with `policypack new SCHOOL-ID`, or pass --schools with the folder that holds them"})
	}

	want := schoolNames
	if len(ids) > 0 {
		want = nil
		for _, id := range ids {
			if !slices.Contains(schoolNames, id) {
				hint := cmp.Or(diag.DidYouMean(id, schoolNames), "schools found: "+strings.Join(schoolNames, ", "))
				fail(&Error{File: filepath.Join(dir, id+".toml"), Msg: "no such school config", Hint: hint})
				continue
			}
			want = append(want, id)
		}
	}

	set := &Set{Dir: dir}
	for _, id := range want {
		path := filepath.Join(dir, id+".toml")
		data, err := in.Read(id+".toml", MaxFileBytes)
		if err != nil {
			return nil, err
		}
		own, perr := parseLayer(path, data)
		if perr != nil {
			fail(perr)
			continue
		}
		errs = append(errs, checkLayer(own, facts)...)
		layers := []*layer{builtin}
		if d, ok := shared["_defaults"]; ok {
			layers = append(layers, d)
		}
		if ext, ok := own.data["extends"].(string); ok && ext != "" {
			org, ok := shared[ext]
			switch {
			case ext == "_defaults":
				fail(&Error{File: path, Line: own.loc.Line("extends"), Key: "extends", Msg: "_defaults.toml applies to every school already",
					Hint: "extends names an organisation file such as _ourtrust.toml; remove it, or create one"})
			case !strings.HasPrefix(ext, "_") || !ident.Valid(strings.TrimPrefix(ext, "_")):
				want := "_" + strings.TrimPrefix(ext, "_")
				msg := fmt.Sprintf("%q is not an organisation file's name: those start with _ (schools/_name.toml)", ext)
				hint := fmt.Sprintf("to share values between schools, create %s and write extends = %q", filepath.Join(dir, want+".toml"), want)
				if !ident.Valid(strings.TrimPrefix(ext, "_")) {
					hint = `name an organisation file in this folder without .toml, e.g. extends = "_ourtrust"`
				} else if _, ok := shared[want]; ok {
					hint = fmt.Sprintf("did you mean %q?", want)
				}
				fail(&Error{File: path, Line: own.loc.Line("extends"), Key: "extends", Msg: msg, Hint: hint})
			case !ok:
				var orgs []string
				for k := range shared {
					if k != "_defaults" {
						orgs = append(orgs, k)
					}
				}
				sort.Strings(orgs)
				hint := cmp.Or(diag.DidYouMean(ext, orgs), "create "+filepath.Join(dir, ext+".toml"))
				fail(&Error{File: path, Line: own.loc.Line("extends"), Key: "extends", Msg: fmt.Sprintf("organisation defaults %q not found", ext), Hint: hint})
			default:
				layers = append(layers, org)
			}
		}
		layers = append(layers, own)
		s, serrs := merge(id, layers, decls)
		errs = append(errs, serrs...)
		if s != nil {
			set.Schools = append(set.Schools, s)
		}
	}
	if len(errs) > 0 {
		return nil, errs.Sort()
	}
	return set, nil
}

func parseLayer(file string, data []byte) (*layer, *Error) {
	if e := diag.TOMLDepth(file, data); e != nil {
		return nil, e
	}
	m := map[string]any{}
	if _, err := toml.Decode(string(data), &m); err != nil {
		return nil, diag.TOMLSource(file, data, err)
	}
	return &layer{file: file, raw: data, data: m, loc: diag.ScanTOML(data)}, nil
}

// factFields maps each policy id to its [policies.<id>.facts] table; nil
// when the declarations are not known.
func factFields(decls []PolicyFacts) map[string]*Field {
	if decls == nil {
		return nil
	}
	m := make(map[string]*Field, len(decls))
	for _, p := range decls {
		m[p.ID] = factsField(p)
	}
	return m
}

func checkLayer(l *layer, facts map[string]*Field) Errors {
	c := &checker{file: l.file, loc: l.loc, facts: facts}
	c.table(l.data, Schema(), where{blk: l.loc.Top()})
	return c.errs
}

// merge deep-merges the layers (later wins, tables key by key, arrays whole),
// decodes the result into a School and checks what only the merged whole can
// show: required values and references between keys.
func merge(id string, layers []*layer, decls []PolicyFacts) (*School, Errors) {
	merged := map[string]any{}
	for _, l := range layers {
		deepMerge(merged, l.data)
	}
	s := &School{ID: id, Source: &Source{layers: layers}}
	_ = decode(reflect.ValueOf(s).Elem(), merged, Schema())
	own := layers[len(layers)-1]
	var errs Errors
	missingHint := func(key string, f *Field, hint string) {
		for _, l := range layers {
			if hasKey(l.data, key) {
				return // present with the wrong type: already reported
			}
		}
		file, line := s.Source.Pos(parentKey(key))
		if file == "" || line == 0 {
			file, line = own.file, 0
		}
		if len(f.Enum) > 0 {
			hint += " (one of " + strings.Join(f.Enum, ", ") + ")"
		}
		hint += "; it may also go in " + DefaultsFile + " or the organisation file"
		errs = append(errs, &Error{File: file, Line: line, Key: key, Msg: "missing required value", Hint: hint})
	}
	missing := func(key string, f *Field) { missingHint(key, f, fmt.Sprintf("add %s = %s", f.Key, f.Example)) }
	checkRequired(reflect.ValueOf(s).Elem(), Schema(), "", missing)
	applyFacts(s, merged, decls, missingHint, func(e *Error) { errs = append(errs, e) })
	checkLinked(s, decls, func(e *Error) { errs = append(errs, e) })
	checkRefs(reflect.ValueOf(s).Elem(), Schema(), "", func(key, id string) {
		file, line := s.Source.Pos(key[:strings.LastIndexByte(key, '[')])
		var ids []string
		for k := range s.Agencies {
			ids = append(ids, k)
		}
		sort.Strings(ids)
		hint := cmp.Or(diag.DidYouMean(id, ids), "known agencies: "+strings.Join(ids, ", ")+"; add others under [agencies.<id>] with name and url")
		errs = append(errs, &Error{File: file, Line: line, Key: key, Msg: fmt.Sprintf("unknown agency %q", id), Hint: hint})
	}, s.Agencies)
	pids := make([]string, 0, len(s.Policies))
	for pid := range s.Policies {
		pids = append(pids, pid)
	}
	sort.Strings(pids)
	for _, pid := range pids {
		p := s.Policies[pid]
		key := "policies." + pid
		if !p.NextReview.IsZero() && !p.ApprovedOn.IsZero() && !p.NextReview.After(p.ApprovedOn) {
			file, line := s.Source.Pos(key + ".next_review")
			errs = append(errs, &Error{File: file, Line: line, Key: key + ".next_review", Msg: fmt.Sprintf("next review (%s) must be after approval (%s)", p.NextReview, p.ApprovedOn)})
		}
		if !p.LastReviewed.IsZero() && !p.ApprovedOn.IsZero() && p.LastReviewed.Before(p.ApprovedOn) && len(p.History) == 0 {
			file, line := s.Source.Pos(key + ".last_reviewed")
			errs = append(errs, &Error{File: file, Line: line, Key: key + ".last_reviewed", Msg: fmt.Sprintf("last reviewed (%s) is before approval (%s)", p.LastReviewed, p.ApprovedOn), Hint: "a review comes on or after the approval it reviews"})
		}
	}
	errs = append(errs, checkConfirm(s, decls)...)
	if s.Kind == "federation" && len(s.Members) < 2 {
		file, line := s.Source.Pos("kind")
		errs = append(errs, &Error{File: file, Line: line, Key: "kind", Msg: fmt.Sprintf("a federation lists at least two member schools (%d listed)", len(s.Members)), Hint: `members = ["First School", "Second School"]; a single school is kind = "school"`})
	}
	return s, errs
}

// checkRefs reports every item of a ref:"agencies" list that names no agency.
func checkRefs(v reflect.Value, f *Field, prefix string, bad func(key, id string), agencies map[string]Agency) {
	for _, c := range f.Fields {
		key := join(prefix, c.Key)
		fv := v.FieldByIndex(c.index)
		switch {
		case c.Kind == KindTable:
			checkRefs(fv, c, key, bad, agencies)
		case c.Kind == KindStrings && c.Ref == "agencies":
			for i := 0; i < fv.Len(); i++ {
				if _, ok := agencies[fv.Index(i).String()]; !ok {
					bad(fmt.Sprintf("%s[%d]", key, i), fv.Index(i).String())
				}
			}
		}
	}
}

func parentKey(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[:i]
	}
	return key
}

func checkRequired(v reflect.Value, f *Field, prefix string, missing func(string, *Field)) {
	for _, c := range f.Fields {
		key := join(prefix, c.Key)
		fv := v.FieldByIndex(c.index)
		switch c.Kind {
		case KindTable:
			checkRequired(fv, c, key, missing)
		case KindMap:
			eachEntry(fv, func(k string, ev reflect.Value) { checkRequired(ev, c.Elem, key+"."+k, missing) })
		default:
			if c.Required && fv.IsZero() || c.Required && c.Kind == KindStrings && fv.Len() == 0 {
				missing(key, c)
			}
		}
	}
}

func deepMerge(dst, src map[string]any) {
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				deepMerge(dm, sm)
				continue
			}
			cp := map[string]any{}
			deepMerge(cp, sm)
			dst[k] = cp
			continue
		}
		dst[k] = v
	}
}

// decode assigns a validated TOML map to a struct described by f.
func decode(v reflect.Value, m map[string]any, f *Field) error {
	for _, c := range f.Fields {
		raw, ok := m[c.Key]
		if !ok {
			continue
		}
		// A value of the wrong type was already reported with its line by
		// the per-file check; leave the field unset so the merged checks
		// (required values, references) can still report everything else.
		_ = assign(v.FieldByIndex(c.index), raw, c)
	}
	return nil
}

var errType = errors.New("type mismatch")

func assign(fv reflect.Value, raw any, c *Field) error {
	switch c.Kind {
	case KindString:
		s, ok := raw.(string)
		if !ok {
			return errType
		}
		fv.SetString(s)
	case KindBool:
		b, ok := raw.(bool)
		if !ok {
			return errType
		}
		if fv.Kind() == reflect.Pointer {
			fv.Set(reflect.ValueOf(&b))
			return nil
		}
		fv.SetBool(b)
	case KindInt:
		n, ok := raw.(int64)
		if !ok {
			return errType
		}
		fv.SetInt(n)
	case KindDate:
		t, ok := raw.(time.Time)
		if !ok {
			return errType
		}
		fv.Set(reflect.ValueOf(NewDate(t.Year(), t.Month(), t.Day())))
	case KindStrings:
		arr, ok := raw.([]any)
		if !ok {
			return errType
		}
		out := make([]string, 0, len(arr))
		for _, e := range arr {
			s, ok := e.(string)
			if !ok {
				return errType
			}
			out = append(out, s)
		}
		fv.Set(reflect.ValueOf(out))
	case KindTable:
		m, ok := raw.(map[string]any)
		if !ok {
			return errType
		}
		return decode(fv, m, c)
	case KindMap:
		m, ok := raw.(map[string]any)
		if !ok {
			return errType
		}
		mv := reflect.MakeMapWithSize(fv.Type(), len(m))
		for k, e := range m {
			em, ok := e.(map[string]any)
			if !ok {
				return errType
			}
			ev := reflect.New(fv.Type().Elem()).Elem()
			if err := decode(ev, em, c.Elem); err != nil {
				return err
			}
			mv.SetMapIndex(reflect.ValueOf(k), ev)
		}
		fv.Set(mv)
	case KindFacts:
		// Typed by applyFacts once the declarations are known; kept as
		// parsed for a loader that has none.
		m, ok := raw.(map[string]any)
		if !ok {
			return errType
		}
		fv.Set(reflect.ValueOf(m))
	case KindTables:
		elems, ok := tableArray(raw)
		if !ok {
			return errType
		}
		sv := reflect.MakeSlice(fv.Type(), len(elems), len(elems))
		for i, m := range elems {
			if err := decode(sv.Index(i), m, c.Elem); err != nil {
				return err
			}
		}
		fv.Set(sv)
	}
	return nil
}
