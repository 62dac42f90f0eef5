// Package roster reads the pupil lists that school management systems (SIMS,
// Arbor, Bromcom and the like) export as CSV, for the pre-filled forms that
// `policypack forms` prints.
//
// A roster is pupil data, so the package keeps it out of every message it
// makes: errors name the file, the line and what is wrong, never a field's
// content. The only text from the file that an error may repeat is the header
// row, and only when it is recognisably a header row (see HeaderError).
//
// A roster is all or nothing: Read returns pupils only when every row is good.
package roster

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Pupil is one row of a roster, trimmed and normalised. Names are in Unicode
// NFC, so a "Zoë" typed on a Mac and one typed on Windows compare equal and
// print the same.
type Pupil struct {
	Forename string // never empty
	Surname  string // never empty
	Year     string // "Year 3", "Reception", "N1"...; may be empty
	Class    string // registration group or class as the school names it; may be empty
	Line     int    // line of the file on which the pupil's row starts (the header is usually line 1)
}

// FullName is the name as printed on a form: forename, then surname.
func (p Pupil) FullName() string { return p.Forename + " " + p.Surname }

// MaxProblems is how many bad rows a *RowsError lists before it only counts
// the rest: enough to fix a file in one pass, few enough to read.
const MaxProblems = 20

// MaxSize is the largest roster Read accepts, in bytes. A whole secondary
// school is well under a megabyte; anything far bigger is the wrong file, and
// refusing it keeps a stray multi-gigabyte file from exhausting memory.
const MaxSize = 32 << 20

// MaxRows is the most pupils Read accepts. The largest all-through schools
// have about 3,000 pupils; a forms run holds every copy's pages until it
// writes them (100,000 rows took 4.3 GB), so a bound on rows is a bound on
// memory. A bigger list is split by class or year first.
const MaxRows = 5000

// ErrTooManyRows is returned (wrapped, with the file name) for a roster of
// more than MaxRows pupils.
var ErrTooManyRows = fmt.Errorf("more than %d pupil rows, more than any one school has; split the roster (by year group, say) and print each part", MaxRows)

// ErrEmpty is returned (wrapped, with the file name) for a roster with a
// header row but no pupils: printing zero forms is never what was meant.
var ErrEmpty = errors.New("no pupil rows after the header row")

// ErrTooLarge is returned (wrapped, with the file name) for input over MaxSize.
var ErrTooLarge = fmt.Errorf("larger than %d MiB, which is far more than any school roster", MaxSize>>20)

// Problem is one bad row: where it is and what is wrong. Reason is a fixed
// phrase chosen by this package and never contains text from the file.
type Problem struct {
	Line   int
	Reason string
}

// RowsError reports the bad rows of a roster: the first MaxProblems of them in
// file order, and how many more there were.
type RowsError struct {
	File     string
	Problems []Problem
	More     int // bad rows found but not listed
	// Truncated is true when a quoted field was never closed, so everything
	// after it was swallowed and could not be checked.
	Truncated bool
}

func (e *RowsError) Error() string {
	var b strings.Builder
	n := len(e.Problems) + e.More
	if n == 1 {
		fmt.Fprintf(&b, "%s: 1 bad row, so no pupils were read:", e.File)
	} else {
		fmt.Fprintf(&b, "%s: %d bad rows, so no pupils were read:", e.File, n)
	}
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  line %d: %s", p.Line, p.Reason)
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\n  ... and %d more", e.More)
	}
	if e.Truncated {
		b.WriteString("\n  (rows after an unclosed quote could not be checked)")
	}
	return b.String()
}

// Read parses a roster CSV. name is the file name used in errors; r is read to
// the end (or to MaxSize). The first non-blank row is the header, matched as
// described in the package README: see Columns for the accepted names.
//
// Every returned error names the file. A bad header is a *HeaderError; bad
// rows are a *RowsError listing every bad row (up to MaxProblems), and then no
// pupils are returned. Pupils come back in file order; see Sort.
func Read(name string, r io.Reader) ([]Pupil, error) {
	ro, err := ReadWith(name, r, Options{Encoding: "utf-8"})
	if err != nil {
		return nil, err
	}
	return ro.Pupils, nil
}

// ReadWith is Read with the file's encoding detected (or given) and its
// columns mapped as opts says; it also notes rows that repeat a pupil.
func ReadWith(name string, r io.Reader, opts Options) (*Roster, error) {
	text, enc, err := decode(r, opts.Encoding)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	br := bufio.NewReader(bytes.NewReader(text))
	if err := skipBOM(br); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}

	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	// FieldsPerRecord stays 0: the header sets the count and every row must
	// match it. That is the check that catches an unquoted comma in a name,
	// which would otherwise silently shift the year into the class column.

	header, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		return nil, fmt.Errorf("%s: the file is empty; the first row must name the columns (%s)", name, acceptedSummary())
	case errors.Is(err, ErrTooLarge):
		return nil, fmt.Errorf("%s: %w", name, err)
	case err != nil:
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, &RowsError{File: name, Problems: []Problem{{pe.StartLine, reason(pe.Err) + " (in the header row)"}}}
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	headerLine, _ := cr.FieldPos(0)
	cols, herr := matchHeaderWith(name, headerLine, header, opts.Columns)
	if herr != nil {
		return nil, herr
	}

	var (
		pupils []Pupil
		rerr   = &RowsError{File: name}
	)
	bad := func(line int, why string) {
		if len(rerr.Problems) < MaxProblems {
			rerr.Problems = append(rerr.Problems, Problem{line, why})
		} else {
			rerr.More++
		}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				// An I/O error or ErrTooLarge: nothing more can be read.
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			bad(pe.StartLine, reason(pe.Err))
			if pe.Err == csv.ErrQuote && pe.Line > pe.StartLine {
				// An opening quote that never closed swallowed the rest
				// of the file (or up to a stray quote much later), so the
				// line numbers after it mean nothing.
				rerr.Truncated = true
				break
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			// Spreadsheets often export trailing rows of bare commas.
			continue
		}
		if !validUTF8(rec) {
			bad(line, `is not UTF-8 text: leave --encoding out to detect the encoding, or export the roster as "CSV UTF-8"`)
			continue
		}
		p := Pupil{Year: NormaliseYear(rec[cols.year]), Class: cleanName(rec[cols.class]), Line: line}
		if cols.full >= 0 {
			p.Forename, p.Surname = splitFullName(rec[cols.full])
		} else {
			p.Forename, p.Surname = cleanName(rec[cols.forename]), cleanName(rec[cols.surname])
		}
		switch {
		case p.Forename == "" && p.Surname == "":
			bad(line, "no forename and no surname")
			continue
		case p.Forename == "":
			bad(line, "no forename")
			continue
		case p.Surname == "":
			bad(line, "no surname")
			continue
		}
		if len(pupils) == MaxRows {
			return nil, fmt.Errorf("%s: %w", name, ErrTooManyRows)
		}
		pupils = append(pupils, p)
	}
	if len(rerr.Problems) > 0 {
		return nil, rerr
	}
	if len(pupils) == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrEmpty)
	}
	return &Roster{Pupils: pupils, Encoding: enc, Detected: opts.Encoding == "", Notes: duplicates(pupils)}, nil
}

// reason turns an encoding/csv error into a fixed phrase. Its own messages
// carry no field content either, but spelling them out here keeps that a
// property of this package, and says what to do in the office's words.
func reason(err error) string {
	switch {
	case errors.Is(err, csv.ErrFieldCount):
		return "wrong number of fields for the header (an unquoted comma in a name?)"
	case errors.Is(err, csv.ErrQuote):
		return `unbalanced quotes (a quoted field is not closed, or has a stray " after it)`
	case errors.Is(err, csv.ErrBareQuote):
		return `a " inside a field that does not start with a quote`
	default:
		return "cannot be read as CSV"
	}
}

// skipBOM drops a UTF-8 byte order mark (Excel's "CSV UTF-8" writes one) and
// refuses UTF-16, which Excel's "Unicode text" writes and which would
// otherwise be read as a page of nonsense and a confusing header error.
func skipBOM(br *bufio.Reader) error {
	b, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(b, []byte("\xef\xbb\xbf")):
		_, err := br.Discard(3)
		return err
	case bytes.HasPrefix(b, []byte("\xff\xfe")), bytes.HasPrefix(b, []byte("\xfe\xff")):
		return errors.New(`the file is UTF-16 text; export the roster as "CSV UTF-8"`)
	}
	return nil
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func validUTF8(rec []string) bool {
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return false
		}
	}
	return true
}

// cleanName trims a field, folds runs of white space (exports often carry
// double spaces and non-breaking spaces) into one space, and puts it in NFC.
func cleanName(s string) string {
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
	return norm.NFC.String(s)
}

// limitReader is io.LimitReader that fails instead of silently stopping, so a
// truncated roster can never be mistaken for a complete one.
type limitReader struct {
	r io.Reader
	n int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		// Probe for one more byte: a file of exactly MaxSize is fine.
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, ErrTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}
