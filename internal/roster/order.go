package roster

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// newCollator returns the collator used for every ordering in this package:
// British English CLDR order, so "Zoë" sorts with "Zoe" and "Łukasz" with
// "Lukasz" rather than after "Z", and numeric, so class "2B" comes before
// "10B". A Collator is not safe for concurrent use, hence a new one per call.
//
// CLDR's "shifted" option would also file "O'Connor" as "OConnor", but in
// x/text v0.44 it breaks Numeric and makes CompareString report unequal
// strings as equal, so names are instead compared first on their letters and
// digits alone (see lettersOnly) and then as written.
func newCollator() *collate.Collator {
	return collate.New(language.BritishEnglish, collate.Numeric)
}

// lettersOnly drops everything but letters and digits, so that "O'Connor"
// sorts between "Oakley" and "Ogden", "Ó Briain" as "OBriain" and "de Souza"
// after "Dean", as in a school's own alphabetical lists.
func lettersOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// sortKeys holds the collation keys of one pupil: the class as written, and
// each name on its letters alone and then as written.
type sortKeys struct {
	class, surname, forename, surnameFull, forenameFull []byte
}

// Sort orders pupils in place by class, then surname, then forename (the
// order forms are printed and handed out in), using the collation described
// at newCollator. Pupils whose names collate equal stay in file order.
func Sort(pupils []Pupil) {
	if len(pupils) < 2 {
		return
	}
	c := newCollator()
	var buf collate.Buffer
	type keyed struct {
		p Pupil
		k sortKeys
	}
	ks := make([]keyed, len(pupils))
	for i, p := range pupils {
		// KeyFromString's result lives in buf until Reset, which we
		// never call, so the keys stay valid for the whole sort.
		ks[i] = keyed{p, sortKeys{
			class:        c.KeyFromString(&buf, p.Class),
			surname:      c.KeyFromString(&buf, lettersOnly(p.Surname)),
			forename:     c.KeyFromString(&buf, lettersOnly(p.Forename)),
			surnameFull:  c.KeyFromString(&buf, p.Surname),
			forenameFull: c.KeyFromString(&buf, p.Forename),
		}}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		if n := bytes.Compare(a.k.class, b.k.class); n != 0 {
			return n
		}
		if n := bytes.Compare(a.k.surname, b.k.surname); n != 0 {
			return n
		}
		if n := bytes.Compare(a.k.forename, b.k.forename); n != 0 {
			return n
		}
		if n := bytes.Compare(a.k.surnameFull, b.k.surnameFull); n != 0 {
			return n
		}
		if n := bytes.Compare(a.k.forenameFull, b.k.forenameFull); n != 0 {
			return n
		}
		return a.p.Line - b.p.Line
	})
	for i := range ks {
		pupils[i] = ks[i].p
	}
}

// Group is the pupils who share one class (or year group), for writing one
// file per group.
type Group struct {
	// Key is the class or year exactly as in Pupil ("" for pupils with none).
	Key string
	// Slug is a file-name-safe form of Key (see Slug), unique among the
	// groups of one GroupBy call: "3B" and "3b" get "3b" and "3b-2".
	Slug string
	// Pupils are in Sort order.
	Pupils []Pupil
}

// GroupBy splits pupils by "class" or "year" (the --split-by values). Groups
// come in class order (as Sort orders classes) or in year order (nursery,
// reception, Year 1 to Year 13, then anything else alphabetically), and each
// group's pupils in Sort order. pupils itself is not modified.
func GroupBy(pupils []Pupil, by string) ([]Group, error) {
	var field func(Pupil) string
	var none string
	switch by {
	case "class":
		field, none = func(p Pupil) string { return p.Class }, "no-class"
	case "year":
		field, none = func(p Pupil) string { return p.Year }, "no-year"
	default:
		return nil, fmt.Errorf("cannot split a roster by %q: use class or year", by)
	}
	sorted := slices.Clone(pupils)
	Sort(sorted)

	var groups []Group
	at := map[string]int{} // key -> index in groups
	for _, p := range sorted {
		k := field(p)
		i, ok := at[k]
		if !ok {
			i = len(groups)
			at[k] = i
			groups = append(groups, Group{Key: k})
		}
		groups[i].Pupils = append(groups[i].Pupils, p)
	}
	if by == "year" {
		c := newCollator()
		slices.SortStableFunc(groups, func(a, b Group) int {
			if n := yearRank(a.Key) - yearRank(b.Key); n != 0 {
				return n
			}
			return c.CompareString(a.Key, b.Key)
		})
	}

	used := map[string]bool{}
	for i := range groups {
		base := none
		if groups[i].Key != "" {
			base = Slug(groups[i].Key)
		}
		s := base
		for n := 2; used[s]; n++ {
			s = base + "-" + strconv.Itoa(n)
		}
		used[s] = true
		groups[i].Slug = s
	}
	return groups, nil
}

// maxSlug caps a slug's length in runes, well inside every file system's
// limit even with a form name and extension around it.
const maxSlug = 60

// Slug makes a class or year name safe to use as one file-name component in
// an output directory: lower case, accents dropped ("Ŵyn" -> "wyn"), letters
// and digits kept, every run of anything else (spaces, "/", "\", ".", ":")
// turned into one "-", no leading or trailing "-". The result never contains
// a path separator or a dot, so it can neither name a parent directory nor
// escape the directory it is joined to, and it is never empty ("unnamed"
// when nothing is left) nor a name Windows reserves (CON, NUL, COM1...).
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue // a combining accent, split off by NFD
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	s := b.String()
	if r := []rune(s); len(r) > maxSlug {
		s = strings.TrimRight(string(r[:maxSlug]), "-")
	}
	if s == "" {
		return "unnamed"
	}
	if windowsReserved.MatchString(s) {
		s += "-class"
	}
	return s
}

var windowsReserved = regexp.MustCompile(`^(con|prn|aux|nul|com[0-9]|lpt[0-9])$`)

var (
	yearNumber = regexp.MustCompile(`^(?:y|yr|year|nc year|year group)?\s*0*([0-9]{1,2})$`)
	nurseryN   = regexp.MustCompile(`^n\s*([0-9])$`)
)

// NormaliseYear tidies a year group as exported: "3", "Y3", "Yr 3", "year 03"
// become "Year 3"; "R", "YR", "Rec" become "Reception"; "N" becomes
// "Nursery" and "n1" becomes "N1". Anything else is kept as written (trimmed,
// spaces folded), so a school's own names survive.
func NormaliseYear(s string) string {
	s = cleanName(s)
	low := strings.ToLower(s)
	if m := yearNumber.FindStringSubmatch(low); m != nil {
		return "Year " + m[1]
	}
	if m := nurseryN.FindStringSubmatch(low); m != nil {
		return "N" + m[1]
	}
	switch low {
	case "r", "yr", "rec", "reception", "year r", "yr r":
		return "Reception"
	case "n", "nur", "nursery":
		return "Nursery"
	}
	return s
}

// yearRank orders normalised year groups: nursery, reception, Year 1 to
// Year 13, then anything unrecognised.
func yearRank(y string) int {
	switch {
	case y == "Nursery":
		return -3
	case y == "N1":
		return -2
	case y == "N2":
		return -1
	case y == "Reception":
		return 0
	case strings.HasPrefix(y, "Year "):
		if n, err := strconv.Atoi(y[len("Year "):]); err == nil {
			return n
		}
	}
	return 100
}
