package roster

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

const csvText = "Forename,Surname,Year,Class\nZoë,Siân-Jones,3,3 Oak\nŁukasz,Nowak,4,4 Ash\n"

// An office's file is read whatever Excel saved it as, and says how.
func TestReadWithEncodings(t *testing.T) {
	cp1252, err := charmap.Windows1252.NewEncoder().String(strings.ReplaceAll(csvText, "Łukasz", "Lukasz"))
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(csvText)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, data, given, enc, first string
	}{
		{"utf-8", csvText, "", "UTF-8", "Zoë"},
		{"utf-8 with BOM", "\xef\xbb\xbf" + csvText, "", "UTF-8", "Zoë"},
		{"Excel CSV (Comma delimited)", cp1252, "", "Windows-1252", "Zoë"},
		{"Excel Unicode text", utf16, "", "UTF-16", "Zoë"},
		{"given", cp1252, "windows-1252", "Windows-1252", "Zoë"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ro, err := ReadWith("p.csv", strings.NewReader(tc.data), Options{Encoding: tc.given})
			if err != nil {
				t.Fatal(err)
			}
			if ro.Encoding != tc.enc || ro.Detected != (tc.given == "") || ro.Pupils[0].Forename != tc.first || ro.Pupils[0].Surname != "Siân-Jones" {
				t.Errorf("got %s (detected %v), %+v", ro.Encoding, ro.Detected, ro.Pupils[0])
			}
		})
	}
	if _, err := ReadWith("p.csv", strings.NewReader(csvText), Options{Encoding: "ebcdic"}); err == nil || !strings.Contains(err.Error(), "use utf-8, windows-1252, utf-16") {
		t.Errorf("unknown encoding: %v", err)
	}
}

// Headers no MIS uses are mapped by the office; one full-name column is split.
func TestReadWithColumns(t *testing.T) {
	data := "Pupil First,Family,NCY,Group,Name\nAda,Lovelace,3,3 Oak,x\n"
	ro, err := ReadWith("p.csv", strings.NewReader(data), Options{Columns: map[string]string{"forename": "pupil first", "surname": "Family", "year": "NCY", "class": "Group"}})
	if err != nil {
		t.Fatal(err)
	}
	if p := ro.Pupils[0]; p.Forename != "Ada" || p.Surname != "Lovelace" || p.Year != "Year 3" || p.Class != "3 Oak" {
		t.Errorf("got %+v", p)
	}
	_, err = ReadWith("p.csv", strings.NewReader(data), Options{Columns: map[string]string{"class": "Form group"}})
	if err == nil || !strings.Contains(err.Error(), `--columns class=Form group: no column has this header; headers found: ["Pupil First" "Family" "NCY" "Group" "Name"]`) {
		t.Errorf("bad map: %v", err)
	}
	full := "Full name,Year,Class\n\"Lovelace, Ada\",3,3 Oak\nMary Ann Smith,4,4 Ash\n"
	ro, err = ReadWith("p.csv", strings.NewReader(full), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{ro.Pupils[0].Forename, ro.Pupils[0].Surname, ro.Pupils[1].Forename, ro.Pupils[1].Surname}; !slices.Equal(got, []string{"Ada", "Lovelace", "Mary Ann", "Smith"}) {
		t.Errorf("full names split as %q", got)
	}
}

// A pupil listed twice is noted by line number, never by name.
func TestReadWithDuplicates(t *testing.T) {
	data := "Forename,Surname,Year,Class\nAda,Lovelace,3,3 Oak\nAlan,Turing,3,3 Oak\nada,LOVELACE,Y3,3 Oak\n"
	ro, err := ReadWith("p.csv", strings.NewReader(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ro.Notes) != 1 || ro.Notes[0].Line != 4 || !strings.Contains(ro.Notes[0].Reason, "the same pupil as line 2") || strings.Contains(ro.Notes[0].Reason, "Ada") {
		t.Errorf("notes = %+v", ro.Notes)
	}
}
