package roster

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Options are what an office may need to say about a file it cannot
// re-export: its encoding, and which of its columns hold what.
type Options struct {
	// Encoding is "" to detect (a UTF-8 or UTF-16 byte-order mark, else
	// valid UTF-8, else Windows-1252), or one of Encodings to insist.
	Encoding string
	// Columns maps a field ("forename", "surname", "year", "class", or
	// "name" for one full-name column) to the header of the column that
	// holds it, for headers no known MIS uses.
	Columns map[string]string
}

// Encodings are the values Options.Encoding accepts.
var Encodings = []string{"utf-8", "windows-1252", "utf-16"}

// Fields are the keys Options.Columns accepts.
var Fields = []string{"forename", "surname", "year", "class", "name"}

// Roster is what ReadWith found: the pupils, the encoding the file was read
// as, and notes for the office (by line, never by name).
type Roster struct {
	Pupils []Pupil
	// Encoding is "UTF-8", "Windows-1252" or "UTF-16", as detected or given.
	Encoding string
	// Detected is true when Encoding was detected rather than given.
	Detected bool
	Notes    []Problem
}

// decode reads the whole file (at most MaxSize) and returns it as UTF-8.
// Excel's "CSV (Comma delimited)" on a UK Windows machine writes
// Windows-1252, in which Zoë and Siân are not valid UTF-8; "Unicode text"
// writes UTF-16 with a byte-order mark.
func decode(r io.Reader, want string) (text []byte, enc string, err error) {
	data, err := io.ReadAll(&limitReader{r: r, n: MaxSize})
	if err != nil {
		return nil, "", err
	}
	utf16 := func(b []byte) ([]byte, error) {
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder().Bytes(b)
	}
	cp1252 := func(b []byte) ([]byte, error) { return charmap.Windows1252.NewDecoder().Bytes(b) }
	switch strings.ToLower(strings.ReplaceAll(want, "_", "-")) {
	case "":
	case "utf-8", "utf8":
		// As given: a row that is not UTF-8 is reported by its line, and
		// a UTF-16 file is refused, when the rows are read.
		return data, "UTF-8", nil
	case "windows-1252", "cp1252", "ansi", "latin1", "latin-1":
		b, err := cp1252(data)
		return b, "Windows-1252", err
	case "utf-16", "utf16", "unicode":
		b, err := utf16(data)
		return b, "UTF-16", err
	default:
		return nil, "", fmt.Errorf("--encoding %q: use %s, or leave it out to detect", want, strings.Join(Encodings, ", "))
	}
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		return data[3:], "UTF-8", nil
	case bytes.HasPrefix(data, []byte("\xff\xfe")), bytes.HasPrefix(data, []byte("\xfe\xff")):
		b, err := utf16(data)
		return b, "UTF-16", err
	case utf8.Valid(data):
		return data, "UTF-8", nil
	default:
		b, err := cp1252(data)
		return b, "Windows-1252", err
	}
}

// splitFullName splits one "full name" cell: "Surname, Forename" (as SIMS
// writes it) at the comma, else "Forename Surname" at the last space.
func splitFullName(s string) (forename, surname string) {
	if sur, fore, ok := strings.Cut(s, ","); ok {
		return cleanName(fore), cleanName(sur)
	}
	s = cleanName(s)
	if i := strings.LastIndexByte(s, ' '); i > 0 {
		return s[:i], s[i+1:]
	}
	return "", s
}

// duplicates notes each row that repeats an earlier pupil (same names, year
// and class), so the office knows a form would print twice.
func duplicates(pupils []Pupil) []Problem {
	first := map[string]int{}
	var out []Problem
	for _, p := range pupils {
		k := strings.Join([]string{Key(p.Forename), Key(p.Surname), Key(p.Year), Key(p.Class)}, "|")
		if l, ok := first[k]; ok {
			out = append(out, Problem{Line: p.Line, Reason: fmt.Sprintf("the same pupil as line %d: their form prints twice unless one row is removed", l)})
			continue
		}
		first[k] = p.Line
	}
	return out
}
