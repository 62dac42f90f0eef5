package roster

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Column is one of the four fields a roster must have, with the header names
// accepted for it. Names are compared by Key, so "First name", "FIRST_NAME"
// and "first-name" are all the same header.
type Column struct {
	Field string   // "forename", "surname", "year" or "class"
	Names []string // accepted header names, most preferred first
}

// Columns lists the accepted header names for each required field, in the
// order they are preferred when a file has more than one of them. Preferred
// names come before legal ones because they are what the pupil and family
// use, and SIMS exports often carry both.
var Columns = []Column{
	{"forename", []string{
		"Forename", "First name", "Preferred forename", "Given name",
		"Preferred first name", "Legal forename", "Legal first name", "Firstname",
	}},
	{"surname", []string{
		"Surname", "Last name", "Legal surname", "Family name",
		"Preferred surname", "Preferred last name", "Legal last name", "Lastname",
	}},
	{"year", []string{
		"Year", "Year group", "NC year", "National curriculum year", "Year of education", "School year", "Yr",
	}},
	{"class", []string{
		"Class", "Reg group", "Registration group", "Form", "Tutor group",
		"Reg", "Reg form", "Registration form", "Registration class", "Form group", "Class name", "Tutor set",
	}},
}

// preference gives, for each field, the order in which its names win when a
// file carries several: preferred names first (see Columns), then the rest.
var preference = map[string][]string{
	"forename": {"preferredforename", "preferredfirstname", "forename", "firstname", "givenname", "legalforename", "legalfirstname"},
	"surname":  {"preferredsurname", "preferredlastname", "surname", "lastname", "familyname", "legalsurname", "legallastname"},
}

// otherHeaders are column names that management-system exports commonly carry
// beside the four we use. They are ignored as data, but seeing one tells us
// the first row really is a header row, so it is safe to repeat it in an
// error (see HeaderError).
var otherHeaders = []string{
	"UPN", "Adno", "Admission number", "Admission no", "Pupil ID", "Student ID", "MIS ID", "ID",
	"Date of birth", "DOB", "Gender", "Sex", "House", "Tutor", "Teacher", "Key stage",
	"Middle name", "Middle names", "Legal name", "Preferred name", "Full name", "Name",
	"Email", "Username", "Enrolment status", "Admission date", "Notes",
}

// Key folds a header name for matching: lower case, letters and digits only.
// "Reg. Group", "REG_GROUP" and "reg group" all become "reggroup".
func Key(header string) string {
	var b strings.Builder
	for _, r := range header {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// columns holds the index in a row of each field's chosen column.
type columns struct {
	forename, surname, year, class int
	full                           int // one "full name" column instead of forename and surname; -1 for none
}

// fullNames are headers of one column holding the whole name, used when a
// file has no separate forename and surname.
var fullNames = []string{"Full name", "Name", "Pupil name", "Pupil", "Student name", "Student", "Child name", "Child"}

// MapError is a --columns entry that is malformed or names no header.
type MapError struct {
	File, Field, Header string
	Found               []string // the headers, so the office can copy one
	Msg                 string
}

func (e *MapError) Error() string {
	return fmt.Sprintf("%s: --columns %s=%s: %s; headers found: %q", e.File, e.Field, e.Header, e.Msg, e.Found)
}

// matchHeaderWith is matchHeader with the office's own column map applied
// first (field -> header), and a full-name column when there is no
// forename and surname.
func matchHeaderWith(file string, line int, header []string, mapped map[string]string) (columns, error) {
	if len(mapped) == 0 {
		cols, err := matchHeader(file, line, header)
		if err == nil {
			return cols, nil
		}
		// No forename and surname, but one full-name column: split it.
		var he *HeaderError
		if errors.As(err, &he) && slices.Equal(he.Missing, []string{"forename", "surname"}) {
			for _, n := range fullNames {
				if i := slices.IndexFunc(header, func(h string) bool { return Key(h) == Key(n) }); i >= 0 {
					return matchHeaderWith(file, line, header, map[string]string{"name": header[i]})
				}
			}
		}
		return cols, err
	}
	// Rename the mapped columns to the names matchHeader knows.
	renamed := slices.Clone(header)
	trimmed := make([]string, len(header))
	for i, h := range header {
		trimmed[i] = strings.TrimSpace(h)
	}
	full := -1
	for _, field := range Fields {
		want, ok := mapped[field]
		if !ok {
			continue
		}
		i := slices.IndexFunc(header, func(h string) bool { return Key(h) == Key(want) })
		if i < 0 {
			return columns{}, &MapError{File: file, Field: field, Header: want, Found: trimmed, Msg: "no column has this header"}
		}
		if field == "name" {
			full = i
			continue
		}
		// A mapped column wins over any column of the standard name.
		for j := range renamed {
			if j != i && Key(renamed[j]) == Key(field) {
				renamed[j] = ""
			}
		}
		renamed[i] = field
	}
	if full >= 0 {
		// Placeholders, so matchHeader finds every field; the full-name
		// column supplies both names.
		renamed = append(renamed, "forename", "surname")
		for j := range header {
			if k := Key(renamed[j]); j != full && (slices.Contains(Columns[0].keys(), k) || slices.Contains(Columns[1].keys(), k)) {
				renamed[j] = ""
			}
		}
	}
	cols, err := matchHeader(file, line, renamed)
	cols.full = full
	return cols, err
}

// keys is the Key of each accepted name.
func (c Column) keys() []string {
	out := make([]string, len(c.Names))
	for i, n := range c.Names {
		out[i] = Key(n)
	}
	return out
}

// HeaderError is a header row that lacks a required column.
//
// Found repeats the header row only when at least two of its cells are
// recognised column names. Otherwise the first row may well be a pupil (an
// export made without headers), and repeating it would put a child's name in
// a terminal or a log; then Found is nil and Columns says how many there were.
type HeaderError struct {
	File    string
	Line    int
	Missing []string // fields with no column, as named in Columns ("forename", ...)
	Found   []string // the header cells as written, or nil when withheld (see above)
	Columns int      // how many cells the header row has
	// Separator is ";" or "\t" when the one header cell looks like a
	// semicolon- or tab-separated row, as some locales' Excel exports are.
	Separator string
}

func (e *HeaderError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: line %d: no %s column", e.File, e.Line, strings.Join(e.Missing, ", no "))
	if e.Found != nil {
		q := make([]string, len(e.Found))
		for i, h := range e.Found {
			q[i] = fmt.Sprintf("%q", h)
		}
		fmt.Fprintf(&b, "; headers found: %s", strings.Join(q, ", "))
	} else {
		fmt.Fprintf(&b, "; none of its %d cells is a column name this reader knows, so the first row may be a pupil rather than a header (it is not repeated here)", e.Columns)
	}
	switch e.Separator {
	case ";":
		b.WriteString("; the file seems to use semicolons between columns: export it as comma-separated CSV")
	case "\t":
		b.WriteString("; the file seems to use tabs between columns: export it as comma-separated CSV")
	}
	fmt.Fprintf(&b, "\n  accepted: %s", acceptedSummary())
	return b.String()
}

// acceptedSummary lists the main accepted names per field for hints; the
// rest of Columns are rarer spellings that need not crowd the message.
func acceptedSummary() string {
	shown := map[string]int{"forename": 4, "surname": 4, "year": 3, "class": 5}
	parts := make([]string, len(Columns))
	for i, c := range Columns {
		n := min(len(c.Names), shown[c.Field])
		parts[i] = strings.Join(c.Names[:n], " / ")
	}
	return strings.Join(parts, "; ") + " (and similar)"
}

// matchHeader finds each required field's column in a header row.
func matchHeader(file string, line int, header []string) (columns, error) {
	idx := map[string]int{} // header key -> first column with it
	for i, h := range header {
		k := Key(h)
		if _, dup := idx[k]; !dup && k != "" {
			idx[k] = i
		}
	}
	found := map[string]int{}
	var missing []string
	for _, c := range Columns {
		order := preference[c.Field]
		if order == nil {
			for _, n := range c.Names {
				order = append(order, Key(n))
			}
		} else {
			// Any accepted name missing from the preference list still counts,
			// after the preferred ones.
			for _, n := range c.Names {
				if k := Key(n); !contains(order, k) {
					order = append(order, k)
				}
			}
		}
		at := -1
		for _, k := range order {
			if i, ok := idx[k]; ok {
				at = i
				break
			}
		}
		if at < 0 {
			missing = append(missing, c.Field)
			continue
		}
		found[c.Field] = at
	}
	if len(missing) == 0 {
		return columns{found["forename"], found["surname"], found["year"], found["class"], -1}, nil
	}
	e := &HeaderError{File: file, Line: line, Missing: missing, Columns: len(header)}
	cells := header
	if len(header) == 1 {
		for _, sep := range []string{";", "\t"} {
			if strings.Count(header[0], sep) >= 2 {
				e.Separator = sep
				cells = strings.Split(header[0], sep)
				break
			}
		}
	}
	// Two known names make a header row; one could be a pupil called House.
	if countKnown(cells) >= 2 {
		e.Found = make([]string, len(header))
		for i, h := range header {
			e.Found[i] = strings.TrimSpace(h)
		}
	}
	return columns{}, e
}

// countKnown counts the cells that are column names this package knows,
// required or not.
func countKnown(cells []string) int {
	known := 0
	for _, h := range cells {
		k := Key(h)
		hit := false
		for _, c := range Columns {
			for _, n := range c.Names {
				hit = hit || Key(n) == k
			}
		}
		for _, n := range otherHeaders {
			hit = hit || Key(n) == k
		}
		if hit {
			known++
		}
	}
	return known
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
