package roster

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// names lists "Forename Surname/Class" for compact comparisons.
func names(ps []Pupil) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Forename + " " + p.Surname + "/" + p.Class
	}
	return out
}

func TestSort(t *testing.T) {
	tests := []struct {
		name string
		in   []Pupil // Line is set from position
		want []string
	}{
		{
			name: "class first, numerically",
			in: []Pupil{
				{Forename: "A", Surname: "Abbott", Class: "Ash"},
				{Forename: "A", Surname: "Abbott", Class: "10B"},
				{Forename: "A", Surname: "Abbott", Class: "2B"},
				{Forename: "A", Surname: "Abbott", Class: ""},
			},
			want: []string{"A Abbott/", "A Abbott/2B", "A Abbott/10B", "A Abbott/Ash"},
		},
		{
			name: "surnames: accents and punctuation file with their letters; Ł as L",
			in: []Pupil{
				{Forename: "A", Surname: "Zieliński"},
				{Forename: "A", Surname: "Öztürk"},
				{Forename: "A", Surname: "O'Connor"},
				{Forename: "A", Surname: "Ó Briain"},
				{Forename: "A", Surname: "Oakley"},
				{Forename: "A", Surname: "McLeod"},
				{Forename: "A", Surname: "MacLeod"},
				{Forename: "A", Surname: "Łukasiewicz"},
				{Forename: "A", Surname: "Lyons"},
				{Forename: "A", Surname: "de Souza"},
				{Forename: "A", Surname: "Ogden"},
				{Forename: "A", Surname: "Dean"},
			},
			want: []string{
				"A Dean/", "A de Souza/", "A Łukasiewicz/", "A Lyons/", "A MacLeod/", "A McLeod/",
				"A Oakley/", "A Ó Briain/", "A O'Connor/", "A Ogden/", "A Öztürk/", "A Zieliński/",
			},
		},
		{
			name: "then forename; an accent only breaks ties",
			in: []Pupil{
				{Forename: "Zoey", Surname: "Hartley"},
				{Forename: "Zoë", Surname: "Hartley"},
				{Forename: "Zoe", Surname: "Hartley"},
				{Forename: "Siân", Surname: "Hartley"},
				{Forename: "Sam", Surname: "Hartley"},
			},
			want: []string{"Sam Hartley/", "Siân Hartley/", "Zoe Hartley/", "Zoë Hartley/", "Zoey Hartley/"},
		},
		{
			name: "surname outranks forename across classes' members",
			in: []Pupil{
				{Forename: "Aaron", Surname: "Young", Class: "3B"},
				{Forename: "Zak", Surname: "Adams", Class: "3B"},
				{Forename: "Amy", Surname: "Zephyr", Class: "3A"},
			},
			want: []string{"Amy Zephyr/3A", "Zak Adams/3B", "Aaron Young/3B"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.in)
			for i := range in {
				in[i].Line = i + 2
			}
			Sort(in)
			if got := names(in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Sort =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestSortKeepsFileOrderForEqualNames(t *testing.T) {
	in := []Pupil{
		{Forename: "Sam", Surname: "Lee", Class: "1A", Line: 9},
		{Forename: "Sam", Surname: "Lee", Class: "1A", Line: 4},
		{Forename: "Sam", Surname: "Lee", Class: "1A", Line: 7},
	}
	Sort(in)
	var lines []int
	for _, p := range in {
		lines = append(lines, p.Line)
	}
	if !slices.Equal(lines, []int{4, 7, 9}) {
		t.Errorf("lines = %v, want [4 7 9]", lines)
	}
}

func TestGroupBy(t *testing.T) {
	in := []Pupil{
		{Forename: "Zoë", Surname: "Hartley", Year: "Year 3", Class: "3 Oak", Line: 2},
		{Forename: "Siân", Surname: "Abbott", Year: "Reception", Class: "R Ash", Line: 3},
		{Forename: "Łukasz", Surname: "Nowak", Year: "Year 3", Class: "3 Oak", Line: 4},
		{Forename: "Kai", Surname: "Iqbal", Year: "Year 10", Class: "10/11 Elm", Line: 5},
		{Forename: "Nia", Surname: "Pryce", Year: "Year 3", Class: "3 oak", Line: 6},
		{Forename: "Leo", Surname: "Greaves", Year: "Nursery", Class: "", Line: 7},
		{Forename: "Mia", Surname: "Fenwick", Year: "Year 2", Class: "3 Oak", Line: 8},
	}
	orig := slices.Clone(in)

	type group struct {
		Key, Slug string
		Pupils    []string
	}
	tests := []struct {
		by   string
		want []group
	}{
		{"class", []group{
			{"", "no-class", []string{"Leo Greaves/"}},
			{"3 oak", "3-oak", []string{"Nia Pryce/3 oak"}},
			{"3 Oak", "3-oak-2", []string{"Mia Fenwick/3 Oak", "Zoë Hartley/3 Oak", "Łukasz Nowak/3 Oak"}},
			{"10/11 Elm", "10-11-elm", []string{"Kai Iqbal/10/11 Elm"}},
			{"R Ash", "r-ash", []string{"Siân Abbott/R Ash"}},
		}},
		{"year", []group{
			{"Nursery", "nursery", []string{"Leo Greaves/"}},
			{"Reception", "reception", []string{"Siân Abbott/R Ash"}},
			{"Year 2", "year-2", []string{"Mia Fenwick/3 Oak"}},
			{"Year 3", "year-3", []string{"Nia Pryce/3 oak", "Zoë Hartley/3 Oak", "Łukasz Nowak/3 Oak"}},
			{"Year 10", "year-10", []string{"Kai Iqbal/10/11 Elm"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.by, func(t *testing.T) {
			gs, err := GroupBy(in, tt.by)
			if err != nil {
				t.Fatal(err)
			}
			var got []group
			total := 0
			for _, g := range gs {
				got = append(got, group{g.Key, g.Slug, names(g.Pupils)})
				total += len(g.Pupils)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("GroupBy(%q) =\n%+v\nwant\n%+v", tt.by, got, tt.want)
			}
			if total != len(in) {
				t.Errorf("groups hold %d pupils, want %d", total, len(in))
			}
			if !reflect.DeepEqual(in, orig) {
				t.Error("GroupBy modified its input")
			}
		})
	}

	if _, err := GroupBy(in, "house"); err == nil || !strings.Contains(err.Error(), `"house"`) {
		t.Errorf("GroupBy(house) err = %v, want an error naming it", err)
	}
}

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"3B", "3b"},
		{"R Ash", "r-ash"},
		{"5/6 Rowan", "5-6-rowan"},
		{`..\..\Windows`, "windows"},
		{"../../etc/passwd", "etc-passwd"},
		{"..", "unnamed"},
		{"", "unnamed"},
		{"  Year 3 (Mrs O'Neill)  ", "year-3-mrs-o-neill"},
		{"Dosbarth Ŵyn", "dosbarth-wyn"},
		{"Łąka", "łaka"},
		{"CON", "con-class"},
		{"Com1", "com1-class"},
		{"Console", "console"},
		{"C:\\x", "c-x"},
		{"a\x00b", "a-b"},
		{strings.Repeat("ab ", 40), strings.Repeat("ab-", 19) + "ab"},
	}
	for _, tt := range tests {
		got := Slug(tt.in)
		if got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if strings.ContainsAny(got, `/\.:`) || strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") {
			t.Errorf("Slug(%q) = %q is not a safe file name", tt.in, got)
		}
	}
}

func TestNormaliseYear(t *testing.T) {
	tests := []struct{ in, want string }{
		{"3", "Year 3"},
		{"03", "Year 3"},
		{" Y3 ", "Year 3"},
		{"yr 3", "Year 3"},
		{"Year 3", "Year 3"},
		{"YEAR  11", "Year 11"},
		{"NC Year 7", "Year 7"},
		{"R", "Reception"},
		{"YR", "Reception"},
		{"rec", "Reception"},
		{"Reception", "Reception"},
		{"N", "Nursery"},
		{"n1", "N1"},
		{"N2", "N2"},
		{"Nursery", "Nursery"},
		{"", ""},
		{"Sixth Form", "Sixth Form"},
		{"Year 123", "Year 123"},
		{"L6", "L6"},
	}
	for _, tt := range tests {
		if got := NormaliseYear(tt.in); got != tt.want {
			t.Errorf("NormaliseYear(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
