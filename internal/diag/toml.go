package diag

import (
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// dateHint is the one way a TOML date slip is explained.
const dateHint = "dates are written YYYY-MM-DD without quotes and must exist, e.g. 2024-05-24"

// TOML adapts an error from BurntSushi/toml's Decode for file: a syntax error
// and a value that does not fit its Go type both arrive as a ParseError with
// a line and the last key read. Any other error keeps its text as the
// message. The cause stays reachable with errors.As.
func TOML(file string, err error) *Error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return &Error{File: file, Msg: err.Error(), Err: err}
	}
	e := &Error{File: file, Line: pe.Position.Line, Key: pe.LastKey, Msg: "invalid TOML: " + pe.Message, Err: err}
	switch msg := pe.Message; {
	case strings.HasPrefix(msg, "parsing time"):
		// A quoted date decoded into a date field: the TOML is valid, the value is not.
		e.Msg, e.Hint = "not a date", dateHint
	case strings.Contains(msg, "month") || strings.Contains(msg, "day") || strings.Contains(msg, "date"):
		e.Hint = dateHint
	}
	return e
}

// UnknownKeys reports every key md did not decode into its Go value, with
// its line and a did-you-mean hint, because a misspelt key would otherwise
// be silently lost. An unknown table is reported once, not once per key in
// it; a key set in several elements of an array of tables is reported at
// each. allowed lists the keys the table at parent accepts (parent is empty
// at the top), for the hint.
func UnknownKeys(file string, md toml.MetaData, lines *TOMLLines, allowed func(parent toml.Key) []string) List {
	var errs List
	undecoded := md.Undecoded()
	all := map[string]bool{}
	for _, k := range undecoded {
		all[k.String()] = true
	}
	seen := map[string]bool{}
outer:
	for _, k := range undecoded {
		ks := k.String()
		if seen[ks] {
			continue
		}
		seen[ks] = true
		for i := 1; i < len(k); i++ {
			if all[k[:i].String()] {
				continue outer
			}
		}
		known := allowed(k[:len(k)-1])
		hint := DidYouMean(k[len(k)-1], known)
		if hint == "" && len(known) > 0 {
			hint = "known keys: " + strings.Join(known, ", ")
		}
		at := lines.All(strings.Join(k, "."))
		if len(at) == 0 {
			at = []int{0}
		}
		for _, l := range at {
			errs = append(errs, &Error{File: file, Line: l, Key: ks, Msg: "unknown key", Hint: hint})
		}
	}
	return errs
}

// TOMLKeys lists the toml tag names of a struct's fields, for hints.
func TOMLKeys[T any]() []string {
	t := reflect.TypeFor[T]()
	keys := make([]string, 0, t.NumField())
	for f := range t.Fields() {
		if k, _, _ := strings.Cut(f.Tag.Get("toml"), ","); k != "" && k != "-" {
			keys = append(keys, k)
		}
	}
	return keys
}

// TOMLSource is TOML with the file's text at hand, so that a value a UK user
// writes as a day/month/year date (3/12/2026, 03/12/2026), which TOML reads
// as a bad number, is explained as a date with the form they meant.
func TOMLSource(file string, src []byte, err error) *Error {
	e := TOML(file, err)
	var pe toml.ParseError
	if !errors.As(err, &pe) || pe.Position.Line == 0 {
		return e
	}
	line := lineText(src, pe.Position.Line)
	if d, ok := ukDate(line); ok {
		key, _, _ := strings.Cut(line, "=")
		key = strings.TrimSpace(key)
		e.Key = cmp.Or(key, e.Key)
		e.Msg = fmt.Sprintf("%q is not a TOML date", d.text)
		e.Hint = fmt.Sprintf("write dates as YYYY-MM-DD without quotes: %s = %04d-%02d-%02d (%d %s %d)",
			cmp.Or(key, "date"), d.year, d.month, d.day, d.day, time.Month(d.month), d.year)
	}
	return e
}

func lineText(src []byte, n int) string {
	for i, l := range strings.Split(string(src), "\n") {
		if i+1 == n {
			return strings.TrimRight(l, "\r")
		}
	}
	return ""
}

type dmy struct {
	text             string
	day, month, year int
}

// ukDateRE matches the value of `key = D/M/YYYY` (or with - or .), quoted or
// not, with one- or two-digit day and month.
var ukDateRE = regexp.MustCompile(`=\s*"?(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"?\s*(#.*)?$`)

// ukDate finds a day/month/year date that exists in the value of line.
func ukDate(line string) (dmy, bool) {
	m := ukDateRE.FindStringSubmatch(line)
	if m == nil {
		return dmy{}, false
	}
	d, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	y, _ := strconv.Atoi(m[3])
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != mo {
		return dmy{}, false
	}
	text := strings.Trim(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(m[0]), "=")), `"`)
	if i := strings.Index(text, "#"); i >= 0 {
		text = strings.Trim(strings.TrimSpace(text[:i]), `"`)
	}
	return dmy{text: text, day: d, month: mo, year: y}, true
}
