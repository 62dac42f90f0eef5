package roster

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// crlf joins lines with CRLF, as Windows exports end them.
func crlf(lines ...string) string { return strings.Join(lines, "\r\n") + "\r\n" }

// lf joins lines with LF.
func lf(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

const bom = "\ufeff"

func TestRead(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []Pupil
	}{
		{
			name: "BOM and CRLF",
			in: bom + crlf(
				"Forename,Surname,Year,Class",
				"Amelia,Hartley,3,3B",
				"Noah,Iqbal,Year 4,4H",
			),
			want: []Pupil{
				{"Amelia", "Hartley", "Year 3", "3B", 2},
				{"Noah", "Iqbal", "Year 4", "4H", 3},
			},
		},
		{
			name: "LF without BOM, no final newline",
			in:   "Forename,Surname,Year,Class\nAmelia,Hartley,3,3B",
			want: []Pupil{{"Amelia", "Hartley", "Year 3", "3B", 2}},
		},
		{
			name: "accented names, decomposed input comes back composed",
			in: lf(
				"Forename,Surname,Year,Class",
				"Zoe\u0308,Öztürk,R,Ash",
				"Siân,Wiśniewski,Reception,Ash",
				"Łukasz,Zieliński,N1,Acorns",
			),
			want: []Pupil{
				{"Zoë", "Öztürk", "Reception", "Ash", 2},
				{"Siân", "Wiśniewski", "Reception", "Ash", 3},
				{"Łukasz", "Zieliński", "N1", "Acorns", 4},
			},
		},
		{
			name: "quoted comma and doubled quotes",
			in: crlf(
				"Forename,Surname,Year,Class",
				`"Mary, Jane",Ashworth,5,"5/6, Rowan"`,
				`"Ellie ""Nell""",O'Connor,6,"5/6, Rowan"`,
			),
			want: []Pupil{
				{"Mary, Jane", "Ashworth", "Year 5", "5/6, Rowan", 2},
				{`Ellie "Nell"`, "O'Connor", "Year 6", "5/6, Rowan", 3},
			},
		},
		{
			name: "SIMS-style headers, surname first, unknown columns ignored",
			in: bom + crlf(
				"UPN,Legal Surname,Preferred Forename,NC Year,Reg Group,Date of Admission,Tutor",
				`A000000000001,Brennan,Aoife,03,3 Oak,01/09/2023,"Khan, A"`,
			),
			want: []Pupil{{"Aoife", "Brennan", "Year 3", "3 Oak", 2}},
		},
		{
			name: "Arbor-style headers",
			in: lf(
				"First Name,Last Name,Year Group,Registration Group,House",
				"Seán,Ó Briain,Y7,7RB,Cedar",
			),
			want: []Pupil{{"Seán", "Ó Briain", "Year 7", "7RB", 2}},
		},
		{
			name: "headers matched ignoring case, spaces and punctuation",
			in: lf(
				"  GIVEN_NAME , family-name ,Year group.,tutor group",
				"Kofi,Mensah,10,10T",
			),
			want: []Pupil{{"Kofi", "Mensah", "Year 10", "10T", 2}},
		},
		{
			name: "Form as the class column",
			in: lf(
				"first name,legal surname,year,form",
				"Nia,Pryce,Y9,9P",
			),
			want: []Pupil{{"Nia", "Pryce", "Year 9", "9P", 2}},
		},
		{
			name: "preferred names win over legal ones when both are present",
			in: lf(
				"Legal Forename,Preferred Forename,Legal Surname,Preferred Surname,Year,Class",
				"Elizabeth,Libby,Smythe,Smith,2,2W",
			),
			want: []Pupil{{"Libby", "Smith", "Year 2", "2W", 2}},
		},
		{
			name: "blank lines and rows of bare commas are skipped, lines still counted",
			in: crlf(
				"Forename,Surname,Year,Class",
				"",
				"Grace,Fenwick,1,1A",
				",,,",
				" , , , ",
				"Leo,Greaves,1,1A",
				",,,",
			),
			want: []Pupil{
				{"Grace", "Fenwick", "Year 1", "1A", 3},
				{"Leo", "Greaves", "Year 1", "1A", 6},
			},
		},
		{
			name: "a field spanning lines in an ignored column keeps later line numbers true",
			in: lf(
				"Forename,Surname,Year,Class,Notes",
				"Isla,Holloway,4,4E,\"walks home\nwith sibling\"",
				"Jude,Ingleby,4,4E,",
			),
			want: []Pupil{
				{"Isla", "Holloway", "Year 4", "4E", 2},
				{"Jude", "Ingleby", "Year 4", "4E", 4},
			},
		},
		{
			name: "space trimmed and folded, empty year and class allowed",
			in: lf(
				"Forename,Surname,Year,Class",
				"  Anna\u00a0 Maria ,  de  Souza ,,",
			),
			want: []Pupil{{"Anna Maria", "de Souza", "", "", 2}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read("pupils.csv", strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Read =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

// secretNames are the names used in bad rosters below. No error may contain
// any of them: pupil data stays out of errors and logs.
var secretNames = []string{"Zoë", "Siân", "Łukasz", "Hartley", "Iqbal", "Brennan", "Whitlock", "Quayle", "Ffion"}

func TestReadErrors(t *testing.T) {
	manyBad := []string{"Forename,Surname,Year,Class"}
	for range MaxProblems + 5 {
		manyBad = append(manyBad, ",Whitlock,3,3B")
	}

	tests := []struct {
		name    string
		in      string
		is      error    // errors.Is target, or nil
		want    []string // substrings the message must contain
		notWant []string // substrings it must not contain (besides secretNames)
		check   func(t *testing.T, err error)
	}{
		{
			name: "missing class column lists headers found and accepted names",
			in:   lf("UPN,Forename,Surname,Year,Tutor", "A1,Zoë,Hartley,3,Khan"),
			want: []string{
				"pupils.csv: line 1: no class column",
				`headers found: "UPN", "Forename", "Surname", "Year", "Tutor"`,
				"accepted:", "Reg group", "Registration group", "Tutor group",
			},
			check: func(t *testing.T, err error) {
				var he *HeaderError
				if !errors.As(err, &he) {
					t.Fatalf("error is %T, want *HeaderError", err)
				}
				if !reflect.DeepEqual(he.Missing, []string{"class"}) {
					t.Errorf("Missing = %v, want [class]", he.Missing)
				}
			},
		},
		{
			name: "two missing columns are both named",
			in:   lf("Pupil,Surname,NC Year", "Zoë,Hartley,3"),
			want: []string{"no forename, no class column", `headers found: "Pupil", "Surname", "NC Year"`},
		},
		{
			name:    "a file without a header row does not echo its first pupil",
			in:      lf("Zoë,Hartley,3,3B", "Siân,Iqbal,3,3B"),
			want:    []string{"pupils.csv: line 1: no forename, no surname, no year, no class column", "none of its 4 cells", "accepted: Forename / First name"},
			notWant: []string{"headers found", "3B"},
		},
		{
			name:    "semicolon-separated export gets a hint",
			in:      lf("Forename;Surname;Year;Class", "Zoë;Hartley;3;3B"),
			want:    []string{"semicolons", `headers found: "Forename;Surname;Year;Class"`},
			notWant: []string{"3B"},
		},
		{
			name:    "unbalanced quote names the line and no pupil",
			in:      crlf("Forename,Surname,Year,Class", "Ffion,Quayle,3,3B", `"Zoë,Hartley,3,3B`, "Siân,Iqbal,3,3B"),
			want:    []string{"pupils.csv: 1 bad row", "line 3: unbalanced quotes", "rows after an unclosed quote could not be checked"},
			notWant: []string{"3B"},
		},
		{
			name:    "a quote in the middle of an unquoted field",
			in:      lf("Forename,Surname,Year,Class", `Zoë,Hart"ley,3,3B`),
			want:    []string{"line 2: a \" inside a field"},
			notWant: []string{"3B"},
		},
		{
			name: "missing forename and missing surname",
			in:   lf("Forename,Surname,Year,Class", "Ffion,Quayle,3,3B", ",Hartley,3,3B", "Zoë,  ,3,3B", ",,3,3B"),
			want: []string{"pupils.csv: 3 bad rows, so no pupils were read", "line 3: no forename", "line 4: no surname", "line 5: no forename and no surname"},
		},
		{
			name:    "an unquoted comma makes a wrong field count",
			in:      lf("Forename,Surname,Year,Class", "Zoë,Hartley, Jr,3,3B", "Siân,Iqbal,3"),
			want:    []string{"2 bad rows", "line 2: wrong number of fields", "line 3: wrong number of fields"},
			notWant: []string{"Jr"},
		},
		{
			name:    "every bad row is reported, up to a cap",
			in:      lf(manyBad...),
			want:    []string{"25 bad rows", "line 2: no forename", "line 21: no forename", "... and 5 more"},
			notWant: []string{"line 22:"},
			check: func(t *testing.T, err error) {
				var re *RowsError
				if !errors.As(err, &re) {
					t.Fatalf("error is %T, want *RowsError", err)
				}
				if len(re.Problems) != MaxProblems || re.More != 5 {
					t.Errorf("listed %d, more %d; want %d and 5", len(re.Problems), re.More, MaxProblems)
				}
			},
		},
		{
			name: "Windows-1252 bytes are not UTF-8",
			in:   lf("Forename,Surname,Year,Class", "Zo\xeb,Hartley,3,3B"),
			want: []string{"line 2: is not UTF-8 text", "CSV UTF-8"},
		},
		{
			name: "UTF-16 is refused with a hint",
			in:   "\xff\xfeF\x00o\x00",
			want: []string{"pupils.csv: the file is UTF-16", "CSV UTF-8"},
		},
		{
			name: "empty file",
			in:   "",
			want: []string{"pupils.csv: the file is empty"},
		},
		{
			name: "BOM only",
			in:   bom,
			want: []string{"pupils.csv: the file is empty"},
		},
		{
			name: "header but no pupils",
			in:   bom + crlf("Forename,Surname,Year,Class", ",,,"),
			is:   ErrEmpty,
			want: []string{"pupils.csv: no pupil rows"},
		},
		{
			name: "unbalanced quote in the header",
			in:   lf(`Forename,"Surname,Year,Class`),
			want: []string{"line 1: unbalanced quotes", "(in the header row)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read("pupils.csv", strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("Read returned %d pupils and no error", len(got))
			}
			if got != nil {
				t.Errorf("Read returned %d pupils with an error; a roster is all or nothing", len(got))
			}
			msg := err.Error()
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %v", msg, tt.is)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			for _, w := range append(tt.notWant, secretNames...) {
				if strings.Contains(msg, w) {
					t.Errorf("error contains %q:\n%s", w, msg)
				}
			}
			if tt.check != nil {
				tt.check(t, err)
			}
		})
	}
}

// endless yields a header and then good rows for ever. Each row carries a
// 64 KiB column that Read ignores (a long "Notes" export), so the 32 MiB
// limit is reached after a few hundred rows: the test is about the limit,
// not about parsing two million pupils (which took 40 s under -race).
type endless struct {
	started bool
	pending []byte
}

var endlessRow = []byte("Ffion,Quayle,3,3B," + strings.Repeat("x", 64<<10) + "\n")

func (e *endless) Read(p []byte) (int, error) {
	if !e.started {
		e.started = true
		e.pending = []byte("Forename,Surname,Year,Class,Notes\n")
	}
	n := 0
	for n < len(p) {
		if len(e.pending) == 0 {
			e.pending = endlessRow
		}
		c := copy(p[n:], e.pending)
		e.pending = e.pending[c:]
		n += c
	}
	return n, nil
}

func TestReadTooLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 32 MiB")
	}
	_, err := Read("huge.csv", &endless{})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if !strings.HasPrefix(err.Error(), "huge.csv: ") {
		t.Errorf("error %q does not name the file", err)
	}
}

// failing returns some good rows and then an I/O error.
type failing struct{ r io.Reader }

func (f failing) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errors.New("device went away")
	}
	return n, err
}

func TestReadIOError(t *testing.T) {
	_, err := Read("usb.csv", failing{strings.NewReader(lf("Forename,Surname,Year,Class", "Ffion,Quayle,3,3B"))})
	if err == nil || !strings.Contains(err.Error(), "usb.csv: device went away") {
		t.Fatalf("err = %v, want the file name and the I/O error", err)
	}
}

func TestKey(t *testing.T) {
	for in, want := range map[string]string{
		"First name":   "firstname",
		"FIRST_NAME":   "firstname",
		" Reg. Group ": "reggroup",
		"NC-Year":      "ncyear",
		"Année":        "année",
	} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFullName(t *testing.T) {
	if got := (Pupil{Forename: "Zoë", Surname: "de Souza"}).FullName(); got != "Zoë de Souza" {
		t.Errorf("FullName = %q", got)
	}
}

// FuzzRead: whatever the bytes, Read returns pupils or an error naming the
// file, never both, never neither, never a panic, and never more than
// MaxRows pupils. Seeded with the example roster the README points to and a
// generated one.
func FuzzRead(f *testing.F) {
	if seed, err := os.ReadFile(filepath.Join("..", "..", "examples", "roster.csv")); err == nil {
		f.Add(seed)
	} else {
		f.Fatal(err)
	}
	// A generated roster (package rostertest, which imports this one).
	if seed, err := os.ReadFile(filepath.Join("rostertest", "testdata", "generate-20-seed-1.csv")); err == nil {
		f.Add(seed)
	} else {
		f.Fatal(err)
	}
	f.Add([]byte(lf("Forename,Surname,Year,Class", `"Zoë,Hartley,3,3B`)))
	f.Add([]byte(crlf("First name,Last name,Year group,Form", "a,b,c,d", ",,,")))
	f.Fuzz(func(t *testing.T, in []byte) {
		ps, err := Read("f.csv", strings.NewReader(string(in)))
		if err != nil {
			if ps != nil {
				t.Fatal("pupils returned with an error")
			}
			if !strings.HasPrefix(err.Error(), "f.csv") {
				t.Fatalf("error %q does not start with the file name", err)
			}
			return
		}
		if len(ps) == 0 || len(ps) > MaxRows {
			t.Fatalf("%d pupils and no error", len(ps))
		}
		for _, p := range ps {
			if p.Forename == "" || p.Surname == "" || p.Line < 2 {
				t.Fatalf("bad pupil %+v", p)
			}
		}
	})
}
