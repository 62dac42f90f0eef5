// Package rostertest generates invented rosters for tests and benchmarks:
// the shape a school's management system exports, with the names that
// break naive code. It is imported by tests only, so none of it is in the
// policypack binary.
package rostertest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/policypack/policypack/internal/roster"
)

// Invented names for generated rosters. Each list mixes plain names with the
// accents and punctuation that break naive code (ë, â, Ł, ś, Ö, apostrophes,
// particles). The people are invented: pairs are drawn at random, and no row
// describes anyone.
var (
	genForenames = []string{
		"Zoë", "Siân", "Łukasz", "Amelia", "Oliver", "Aisha", "Noah", "Chloé", "Aoife", "Seán",
		"Ffion", "Dafydd", "Renée", "José", "Björn", "Maja", "Oskar", "Priya", "Ravi", "Yusuf",
		"Fatima", "Isla", "Harry", "Grace", "Mohammed", "Ella", "Leo", "Mia", "Kai", "Nia",
		"Ibrahim", "Hana", "Tomasz", "Zofia", "Eilidh", "Callum", "Ayesha", "Jude", "Evie", "Rhys",
		"Léa", "Anaïs", "Mateo", "Ines", "Kofi", "Ama", "Chidi", "Ngozi", "Arlo", "Freya",
	}
	genSurnames = []string{
		"Abbott", "Ashworth", "Brennan", "Castell", "Davenport", "Edevane", "Farrow", "Gwynne", "Hartley", "Iqbal",
		"Jenkins", "Kowalczyk", "Lindqvist", "MacLeod", "McLeod", "Nowakowska", "Nuñez", "O'Connor", "Oakley", "Öztürk",
		"Pryce", "Quayle", "Rahman", "Sæther", "Şahin", "Thackeray", "Underwood", "Vasquez", "Wiśniewski", "Whitlock",
		"Yilmaz", "Zieliński", "de Souza", "Van Dijk", "Ó Briain", "Ap Rhys", "Achterberg", "Bellweather", "Crowther", "Dunmore",
		"Ellery", "Fenwick", "Greaves", "Holloway", "Ingleby", "Jowett", "Kerrigan", "Llewellyn", "Mottram", "Nettleton",
	}
	genTrees = []string{"Ash", "Beech", "Cedar", "Elm", "Hazel", "Maple", "Oak", "Rowan", "Willow", "Yew"}
	genStaff = []string{
		"Khan, A", "Okafor, B", "Williams, C", "Nguyen, D", "Price, E", "Hughes, F", "Patel, G",
		"Jones, H", "Murphy, J", "Evans, K", "Ali, L", "Taylor, M", "Roberts, N",
	}
	// genYears are the year groups of a primary school, as written in the
	// generated file, and their normalised forms.
	genYears = []struct{ label, norm string }{
		{"R", "Reception"}, {"1", "Year 1"}, {"2", "Year 2"}, {"3", "Year 3"},
		{"4", "Year 4"}, {"5", "Year 5"}, {"6", "Year 6"},
	}
)

// genRow is one generated row: the pupil as Read should return it, plus the
// columns Read ignores or normalises.
type genRow struct {
	roster.Pupil
	rawYear string
	adno    string
	tutor   string
}

// splitmix64 is a tiny, fully specified PRNG, so generated rosters are the
// same on every Go version and machine (math/rand's streams are not a
// promise), and depend only on the seed.
type splitmix64 uint64

func (s *splitmix64) next() uint64 {
	*s += 0x9e3779b97f4a7c15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (s *splitmix64) intn(n int) int { return int(s.next() % uint64(n)) }

// genClasses is how many classes a generated roster of n pupils has: about
// 30 pupils a class, at least 3 (so --split-by always has something to
// split), never more than pupils.
func genClasses(n int) int {
	k := max(3, (n+29)/30)
	return min(k, n)
}

// genClassName names class i of a generated roster: "R Ash", "1 Ash", ...,
// "6 Ash", "R Beech", ... The year prefix and the space make every name need
// slugging for a file name.
func genClassName(i int) string {
	round := i / len(genYears)
	name := genYears[i%len(genYears)].label + " " + genTrees[round%len(genTrees)]
	if round >= len(genTrees) {
		name += " " + strconv.Itoa(round/len(genTrees)+1)
	}
	return name
}

func genRows(n int, seed int64) []genRow {
	if n <= 0 {
		return nil
	}
	rng := splitmix64(seed)
	// Draw name pairs without replacement, so that up to 2,500 pupils every
	// full name is unique and a test can tell which pupil is on which page.
	pairs := make([]int, len(genForenames)*len(genSurnames))
	for i := range pairs {
		pairs[i] = i
	}
	for i := len(pairs) - 1; i > 0; i-- {
		j := rng.intn(i + 1)
		pairs[i], pairs[j] = pairs[j], pairs[i]
	}
	// The first three pupils always carry the names the issue names, so
	// even a tiny roster exercises ë, â and Ł.
	for f := 0; f < 3; f++ {
		want := f*len(genSurnames) + rng.intn(len(genSurnames))
		for j, p := range pairs {
			if p == want {
				pairs[f], pairs[j] = pairs[j], pairs[f]
				break
			}
		}
	}

	k := genClasses(n)
	rows := make([]genRow, n)
	for i := range rows {
		pair := pairs[i%len(pairs)]
		c := i % k // round robin, so the file is not already in class order
		y := genYears[c%len(genYears)]
		raw := y.label
		// Exports write years several ways; vary them so reading is tested.
		if y.label != "R" {
			switch i % 3 {
			case 1:
				raw = "Year " + y.label
			case 2:
				raw = "Y" + y.label
			}
		} else if i%2 == 1 {
			raw = "Reception"
		}
		rows[i] = genRow{
			Pupil: roster.Pupil{
				Forename: genForenames[pair/len(genSurnames)],
				Surname:  genSurnames[pair%len(genSurnames)],
				Year:     y.norm,
				Class:    genClassName(c),
				Line:     i + 2, // the header is line 1 and no field spans lines
			},
			rawYear: raw,
			adno:    fmt.Sprintf("%06d", 100+i),
			tutor:   genStaff[c%len(genStaff)],
		}
	}
	return rows
}

// GeneratePupils returns the pupils of Generate(n, seed) exactly as Read
// returns them from it (file order, normalised years, line numbers), so a
// test can compare what it printed against what it fed in.
func GeneratePupils(n int, seed int64) []roster.Pupil {
	rows := genRows(n, seed)
	if len(rows) == 0 {
		return nil
	}
	ps := make([]roster.Pupil, len(rows))
	for i, r := range rows {
		ps[i] = r.Pupil
	}
	return ps
}

// Generate returns an invented roster of n pupils as a management system
// exports it: a UTF-8 BOM, CRLF line ends, Arbor/SIMS-style headers in an
// unhelpful order (surname before forename), ignored extra columns, years
// written as "3", "Year 3", "Y3", "R" and "Reception", and a quoted comma in
// every row (the tutor column, "Khan, A"). The first three pupils are Zoë,
// Siân and Łukasz. Classes are "R Ash", "1 Ash", ... with about 30 pupils
// each and at least 3. Full names are unique up to 2,500 pupils.
//
// The output depends only on n and seed, never on the clock or the Go
// version, so tests and benchmarks can rely on it.
func Generate(n int, seed int64) []byte {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	// csv.Writer only fails when the underlying writer does, and a
	// bytes.Buffer never does, so errors are not checked.
	_ = w.Write([]string{"Adno", "Legal Surname", "Preferred Forename", "Year Group", "Reg Group", "Tutor"})
	for _, r := range genRows(n, seed) {
		_ = w.Write([]string{r.adno, r.Surname, r.Forename, r.rawYear, r.Class, r.tutor})
	}
	w.Flush()
	return b.Bytes()
}
