package pdf

import (
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
)

const (
	tableSize = 9.5
	cellPadX  = 1.6
	cellPadY  = 1.2
)

type cell struct {
	spans []span
	align extast.Alignment
	lines []line
}

// table lays out a GFM table: columns sized from their shortest and
// natural widths, cells wrapped, every row measured before it is placed so
// no row is split, and the header row repeated at the top of each page.
func (r *renderer) table(n ast.Node) {
	var rows [][]*cell
	header := -1
	for row := n.FirstChild(); row != nil; row = row.NextSibling() {
		st := stRegular
		if row.Kind() == extast.KindTableHeader {
			st = stBold
			header = len(rows)
		}
		var cells []*cell
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			tc, ok := c.(*extast.TableCell)
			if !ok {
				continue
			}
			cells = append(cells, &cell{spans: r.collect(tc, st, tableSize, colText), align: tc.Alignment})
		}
		rows = append(rows, cells)
	}
	ncol := 0
	for _, row := range rows {
		ncol = max(ncol, len(row))
	}
	if ncol == 0 {
		return
	}
	widths := r.columnWidths(rows, ncol, r.w)
	lh := tableSize * 1.3 * ptMM
	r.space(3)
	if len(r.items) > 0 && !r.items[len(r.items)-1].brk {
		// A table never starts a page cut off from the text it belongs
		// to: the last line before it goes with it (a heading already
		// does).
		r.items[len(r.items)-1].keep = true
	}
	x := r.x
	// A short table is kept whole on one page; a long one breaks between
	// rows, repeating its header row.
	const shortTable = 70.0
	var head *item
	var total float64
	first := len(r.items)
	for i, row := range rows {
		h := 0.0
		for j, c := range row {
			c.lines = r.breakLines(c.spans, widths[j]-2*cellPadX)
			h = max(h, float64(len(c.lines))*lh+2*cellPadY)
		}
		isHead := i == header
		if !isHead && head != nil && h > contentBottom-contentTop-head.h {
			// A row taller than a page cannot be kept whole: it is
			// the one case where a row is split, between lines.
			r.tallRow(row, widths, head, lh, x)
			total += h
			continue
		}
		row := row
		it := &item{h: h, keep: isHead, draw: func(d *drawer, y float64) {
			cx := x
			for j := 0; j < ncol; j++ {
				if isHead {
					d.fillRect(cx, y, widths[j], h, colTHFill)
				}
				d.rect(cx, y, widths[j], h, 0.2, colBorder)
				if j < len(row) {
					c := row[j]
					for k, ln := range c.lines {
						lx := cellX(cx, widths[j], c.align, ln.w)
						d.line(ln, lx, y+cellPadY+float64(k)*lh, lh)
					}
				}
				cx += widths[j]
			}
		}}
		if isHead {
			head = it
		} else {
			it.repeat = head
		}
		r.add(it)
		total += h
	}
	if total <= shortTable {
		for _, it := range r.items[first : len(r.items)-1] {
			it.keep = true
		}
	}
	r.space(3)
}

// columnWidths shares width w between the columns the way browsers do for
// automatic table layout: every column gets at least its longest word, and
// the rest goes to the columns whose text would otherwise wrap, in
// proportion to how much more they need. A table narrower than w is widened
// in proportion to its natural widths so tables span the text column.
func (r *renderer) columnWidths(rows [][]*cell, ncol int, w float64) []float64 {
	minW := make([]float64, ncol)
	natW := make([]float64, ncol)
	for _, row := range rows {
		for j, c := range row {
			mn, nat := r.wordWidths(c.spans)
			minW[j] = max(minW[j], mn+2*cellPadX+0.01)
			natW[j] = max(natW[j], nat+2*cellPadX+0.01)
		}
	}
	// A word wider than an equal share of the table (a 2,000-character
	// address) is split inside its cell by breakLines: sizing columns by it
	// would squeeze the others to nothing and draw their text over itself.
	if total := sumOf(minW); total > w {
		for j := range ncol {
			minW[j] = min(minW[j], w/float64(ncol))
		}
	}
	sumMin, sumNat := 0.0, 0.0
	for j := range ncol {
		natW[j] = max(natW[j], minW[j], 8)
		sumMin += minW[j]
		sumNat += natW[j]
	}
	out := make([]float64, ncol)
	switch {
	case sumNat <= w:
		for j := range ncol {
			out[j] = natW[j] * w / sumNat
		}
	case sumMin >= w:
		// Even the longest words do not fit: shrink, and breakLines
		// splits the words that no longer fit.
		for j := range ncol {
			out[j] = minW[j] * w / sumMin
		}
	default:
		// Columns whose natural width is within their share get it
		// (short columns such as dates never wrap); the others share
		// what remains in proportion to how much more than their
		// longest word they need.
		fixed := make([]bool, ncol)
		rest, left := w, ncol
		for changed := true; changed; {
			changed = false
			for j := range ncol {
				if !fixed[j] && natW[j] <= rest/float64(left) {
					fixed[j], changed = true, true
					rest -= natW[j]
					left--
				}
			}
		}
		restMin, restNat := 0.0, 0.0
		for j := range ncol {
			if !fixed[j] {
				restMin += minW[j]
				restNat += natW[j]
			}
		}
		if rest < restMin {
			for j := range ncol {
				fixed[j] = false
			}
			rest, restMin, restNat = w, sumMin, sumNat
		}
		for j := range ncol {
			if fixed[j] {
				out[j] = natW[j]
			} else {
				out[j] = minW[j] + (rest-restMin)*(natW[j]-minW[j])/(restNat-restMin)
			}
		}
	}
	return out
}

// tallRow adds a row taller than a page as several slices of its lines,
// each drawn like a row and each starting with the repeated header row.
func (r *renderer) tallRow(row []*cell, widths []float64, head *item, lh, x float64) {
	per := int((contentBottom - contentTop - head.h - 2*cellPadY) / lh)
	// The first slice leaves room for a heading above the table, so a
	// heading, the header row and the first slice can move to a new page
	// together.
	first := per - int(25/lh)
	n := 0
	for _, c := range row {
		n = max(n, len(c.lines))
	}
	for from, to := 0, 0; from < n; from = to {
		to = min(from+per, n)
		if from == 0 {
			to = min(first, n)
		}
		h := float64(to-from)*lh + 2*cellPadY
		from := from
		r.add(&item{h: h, repeat: head, draw: func(d *drawer, y float64) {
			cx := x
			for j, c := range row {
				d.rect(cx, y, widths[j], h, 0.2, colBorder)
				for k := from; k < to && k < len(c.lines); k++ {
					ln := c.lines[k]
					lx := cellX(cx, widths[j], c.align, ln.w)
					d.line(ln, lx, y+cellPadY+float64(k-from)*lh, lh)
				}
				cx += widths[j]
			}
		}})
	}
}

// cellX is where a line of width w starts in a cell at x of width cw.
func cellX(x, cw float64, align extast.Alignment, w float64) float64 {
	switch align {
	case extast.AlignRight:
		return x + cw - cellPadX - w
	case extast.AlignCenter:
		return x + (cw-w)/2
	}
	return x + cellPadX
}

func sumOf(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}
