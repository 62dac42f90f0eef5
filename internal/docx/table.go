package docx

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
)

const tableBorders = `<w:tblBorders>` +
	`<w:top w:val="single" w:sz="4" w:space="0" w:color="969696"/><w:left w:val="single" w:sz="4" w:space="0" w:color="969696"/>` +
	`<w:bottom w:val="single" w:sz="4" w:space="0" w:color="969696"/><w:right w:val="single" w:sz="4" w:space="0" w:color="969696"/>` +
	`<w:insideH w:val="single" w:sz="4" w:space="0" w:color="969696"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="969696"/></w:tblBorders>`

// table writes a GFM table: its header row repeated at the top of each page
// (w:tblHeader), no row split across pages (w:cantSplit), columns sized
// from their text. Borders and the header's shading are direct formatting,
// so a replaced styles part cannot lose them.
func (r *renderer) table(n ast.Node) {
	var rows []ast.Node
	ncol := 0
	for row := n.FirstChild(); row != nil; row = row.NextSibling() {
		rows = append(rows, row)
		ncol = max(ncol, row.ChildCount())
	}
	if ncol == 0 {
		return
	}
	widths := r.columnWidths(rows, ncol, contentW-r.indent())
	r.b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="` + strconv.Itoa(sum(widths)) + `" w:type="dxa"/>`)
	if ind := r.indent(); ind > 0 {
		r.b.WriteString(`<w:tblInd w:w="` + strconv.Itoa(ind) + `" w:type="dxa"/>`)
	}
	r.b.WriteString(tableBorders + `<w:tblLayout w:type="fixed"/>` +
		`<w:tblCellMar><w:top w:w="34" w:type="dxa"/><w:left w:w="91" w:type="dxa"/><w:bottom w:w="34" w:type="dxa"/><w:right w:w="91" w:type="dxa"/></w:tblCellMar>` +
		`<w:tblLook w:val="0020" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		r.b.WriteString(`<w:gridCol w:w="` + strconv.Itoa(w) + `"/>`)
	}
	r.b.WriteString(`</w:tblGrid>`)
	lists := r.lists
	r.lists = nil // a list's indent does not apply inside the table
	for _, row := range rows {
		head := row.Kind() == extast.KindTableHeader
		r.b.WriteString(`<w:tr><w:trPr><w:cantSplit/>`)
		if head {
			r.b.WriteString(`<w:tblHeader/>`)
		}
		r.b.WriteString(`</w:trPr>`)
		j := 0
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			tc, ok := c.(*extast.TableCell)
			if !ok {
				continue
			}
			shade := ""
			if head {
				shade = `<w:shd w:val="clear" w:color="auto" w:fill="E2E9F2"/>`
			}
			r.cell(widths[j], shade, func() {
				p := pPr{style: "TableText", jc: align(tc.Alignment)}
				if head {
					// The header row stays with the first row.
					p.keepNext = true
				}
				r.para(p, func() { r.inlines(tc, runProps{bold: head}) })
			})
			j++
		}
		for ; j < ncol; j++ { // a short row still has every column
			r.cell(widths[j], "", func() { r.para(pPr{style: "TableText"}, func() {}) })
		}
		r.b.WriteString(`</w:tr>`)
	}
	r.lists = lists
	r.b.WriteString(`</w:tbl>`)
	r.spacer()
}

// indent is the left indent of the current block context (a list item).
func (r *renderer) indent() int {
	if len(r.lists) == 0 {
		return 0
	}
	return listIndent(len(r.lists) - 1)
}

func align(a extast.Alignment) string {
	switch a {
	case extast.AlignCenter:
		return "center"
	case extast.AlignRight:
		return "right"
	}
	return ""
}

// columnWidths shares width between columns: each gets at least its
// longest word, and the rest goes by the length of its longest cell, so a
// column of short labels stays narrow and one of sentences gets the room.
func (r *renderer) columnWidths(rows []ast.Node, ncol, width int) []int {
	const charW = 100 // twips per character of 9.5 pt text, roughly
	minW := make([]int, ncol)
	natural := make([]int, ncol)
	for _, row := range rows {
		j := 0
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			if j >= ncol {
				break
			}
			text := r.doc.Text(c)
			natural[j] = max(natural[j], utf8.RuneCountInString(text)*charW+200)
			for _, w := range strings.Fields(text) {
				minW[j] = max(minW[j], utf8.RuneCountInString(w)*charW+200)
			}
			j++
		}
	}
	out := make([]int, ncol)
	if sum(natural) <= width {
		// Everything fits on one line: share the spare room in
		// proportion, so the table spans the text width.
		for j := range out {
			out[j] = natural[j] * width / max(sum(natural), 1)
		}
	} else {
		spare := max(width-sum(minW), 0)
		extra := make([]int, ncol)
		for j := range extra {
			extra[j] = max(natural[j]-minW[j], 0)
		}
		for j := range out {
			out[j] = minW[j] + spare*extra[j]/max(sum(extra), 1)
		}
		if sum(minW) > width { // very long words: shrink in proportion
			for j := range out {
				out[j] = minW[j] * width / sum(minW)
			}
		}
	}
	out[ncol-1] += width - sum(out) // rounding
	return out
}

func sum(v []int) int {
	s := 0
	for _, x := range v {
		s += x
	}
	return s
}
