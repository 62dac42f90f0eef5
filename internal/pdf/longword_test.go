package pdf

import (
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/markdown"
)

// A 2,000-character word in one cell (an address without spaces) wraps
// inside its cell: every other column keeps room for its own longest
// word, and no line of any cell is wider than its column.
func TestLongWordInTable(t *testing.T) {
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 2000)
	src := "| Name | Address | Telephone |\n|---|---|---|\n| Designated safeguarding lead | " + long + " | 01603 000000 |\n"
	r := newRenderer(markdown.Parse([]byte(src), testMeta(false)))
	a := attrs{st: stRegular, size: tableSize}
	rows := [][]*cell{{
		{spans: []span{{text: "Designated safeguarding lead", a: a}}},
		{spans: []span{{text: long, a: a}}},
		{spans: []span{{text: "01603 000000", a: a}}},
	}}
	widths := r.columnWidths(rows, 3, r.w)
	total := 0.0
	for j, c := range rows[0] {
		mn, _ := r.wordWidths(c.spans)
		total += widths[j]
		if j != 1 && widths[j] < mn+2*cellPadX {
			t.Errorf("column %d is %.1f mm, narrower than its longest word (%.1f mm)", j, widths[j], mn)
		}
		for _, ln := range r.breakLines(c.spans, widths[j]-2*cellPadX) {
			if ln.w > widths[j]-2*cellPadX+1e-6 {
				t.Errorf("column %d: a line of %.1f mm in a %.1f mm column", j, ln.w, widths[j])
			}
		}
	}
	if total > r.w+1e-6 {
		t.Errorf("columns total %.1f mm, wider than the text (%.1f)", total, r.w)
	}
	if _, err := Render(markdown.Parse([]byte(src), testMeta(false))); err != nil {
		t.Fatal(err)
	}
}
