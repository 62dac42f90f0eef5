package docx

import (
	"strconv"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"

	"github.com/policypack/policypack/internal/markdown"
)

// formBlock writes a block of form fields as a table without borders: each
// field is a label cell and a cell whose bottom border is the line to write
// on (a yes/no field has two tick boxes instead), with room to write above
// it. Rows are never split and each keeps with the next, so a signature
// block stays on one page, with the sentence before it (see paragraph).
func (r *renderer) formBlock(n ast.Node) {
	fb := n.(*markdown.FormBlock)
	width := contentW - r.indent()
	const grid = 48 // columns of the table's grid; each row spans them all
	unit := width / grid
	r.b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="` + strconv.Itoa(unit*grid) + `" w:type="dxa"/>`)
	if ind := r.indent(); ind > 0 {
		r.b.WriteString(`<w:tblInd w:w="` + strconv.Itoa(ind) + `" w:type="dxa"/>`)
	}
	// The table's grid is every column boundary of every row (in units
	// of 1/48 of the width), as Word itself builds one: a reader sees a
	// few columns, not 48.
	rowSpans := make([][]int, len(fb.Rows))
	cuts := map[int]bool{0: true, grid: true}
	for i, row := range fb.Rows {
		rowSpans[i] = formSpans(row, grid)
		at := 0
		for _, s := range rowSpans[i] {
			at += s
			cuts[at] = true
		}
	}
	var bounds []int
	for c := 0; c <= grid; c++ {
		if cuts[c] {
			bounds = append(bounds, c)
		}
	}
	// span is the number of grid columns between units a and b.
	span := func(a, b int) int {
		n := 0
		for _, c := range bounds {
			if c > a && c <= b {
				n++
			}
		}
		return n
	}
	r.b.WriteString(`<w:tblLayout w:type="fixed"/>` +
		`<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>` +
		`<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for i := 1; i < len(bounds); i++ {
		r.b.WriteString(`<w:gridCol w:w="` + strconv.Itoa((bounds[i]-bounds[i-1])*unit) + `"/>`)
	}
	r.b.WriteString(`</w:tblGrid>`)
	lists := r.lists
	r.lists = nil
	for i, row := range fb.Rows {
		last := i == len(fb.Rows)-1
		spans := rowSpans[i]
		at := 0
		// cellPr is a cell's width and grid span for the next w units.
		cellPr := func(w int) (int, string) {
			pr := gridSpan(span(at, at+w))
			at += w
			return w * unit, pr
		}
		r.b.WriteString(`<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="510" w:hRule="atLeast"/></w:trPr>`)
		for k, f := range row {
			w, pr := cellPr(spans[2*k])
			r.cell(w, pr+`<w:vAlign w:val="bottom"/>`, func() {
				r.para(pPr{style: "FormText", keepNext: !last}, func() { writeRun(&r.b, runProps{}, f.Label+":") })
			})
			w, pr = cellPr(spans[2*k+1])
			if f.Kind == markdown.FieldYesNo {
				r.cell(w, pr+`<w:vAlign w:val="bottom"/>`, func() {
					r.para(pPr{style: "FormText", keepNext: !last}, func() {
						// No-break spaces keep each box with its word.
						writeRun(&r.b, runProps{}, "☐\u00a0Yes    ☐\u00a0No")
					})
				})
				continue
			}
			line := `<w:tcBorders><w:bottom w:val="single" w:sz="6" w:space="0" w:color="191919"/></w:tcBorders>`
			r.cell(w, pr+line+`<w:vAlign w:val="bottom"/>`, func() {
				r.para(pPr{style: "FormText", keepNext: !last}, func() { writeRun(&r.b, runProps{}, f.Value) })
			})
		}
		if rest := grid - sumSpans(spans); rest > 0 {
			w, pr := cellPr(rest)
			r.cell(w, pr, func() { r.para(pPr{style: "FormText", keepNext: !last}, func() {}) })
		}
		r.b.WriteString(`</w:tr>`)
	}
	r.lists = lists
	r.b.WriteString(`</w:tbl>`)
	r.spacer()
}

func gridSpan(n int) string {
	if n <= 1 {
		return ""
	}
	return `<w:gridSpan w:val="` + strconv.Itoa(n) + `"/>`
}

func sumSpans(s []int) int {
	t := 0
	for _, v := range s {
		t += v
	}
	return t
}

// formSpans gives each field of a row a label span and a blank span, in
// grid columns: the label as wide as its text, the blank as long as the
// underscores written for it, all scaled down to fit the row.
func formSpans(row []markdown.Field, grid int) []int {
	// A grid column (1/48 of the text width, 200 twips) holds about 1.6
	// characters of body text; a label is given room for its text and
	// the colon, so Word never breaks a word of it.
	const perCol = 1.6
	want := make([]float64, 0, 2*len(row))
	for _, f := range row {
		label := float64(utf8.RuneCountInString(f.Label)+3) / perCol
		blank := 11.0 // "☐ Yes    ☐ No"
		if f.Kind == markdown.FieldBlank {
			blank = max(float64(f.Width)/perCol*0.8, 8, float64(utf8.RuneCountInString(f.Value)+2)/perCol)
		}
		want = append(want, label, blank)
	}
	// Labels and blanks shrink to fit the row; tick boxes never do (a
	// "☐ Yes ☐ No" split over two lines reads as two questions).
	fixed, total := 0.0, 0.0
	for i, w := range want {
		if i%2 == 1 && row[i/2].Kind == markdown.FieldYesNo {
			fixed += w
		} else {
			total += w
		}
	}
	scale := 1.0
	if total+fixed > float64(grid) {
		scale = (float64(grid) - fixed) / total
	}
	for i := range want {
		if !(i%2 == 1 && row[i/2].Kind == markdown.FieldYesNo) {
			want[i] *= scale
		}
	}
	spans := make([]int, len(want))
	used := 0
	for i, w := range want {
		spans[i] = max(int(w), 1)
		used += spans[i]
	}
	for used > grid { // rounding up of tiny spans: take from the widest
		widest := 0
		for i := range spans {
			if spans[i] > spans[widest] {
				widest = i
			}
		}
		spans[widest]--
		used--
	}
	if len(row) == 1 && row[0].Kind == markdown.FieldBlank {
		// A lone blank runs to the right margin, as a line to write on.
		spans[1] = grid - spans[0]
	}
	return spans
}
