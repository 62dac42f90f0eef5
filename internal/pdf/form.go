package pdf

import (
	"github.com/yuin/goldmark/ast"

	"github.com/policypack/policypack/internal/markdown"
)

const (
	formRowH   = 9.0 // room to write by hand above each line
	formGap    = 7.0 // between fields on one row
	tickBox    = 3.6
	minBlank   = 15.0
	labelAfter = 2.0
)

// placed is a form field positioned on a visual row of a form block.
type placed struct {
	f      markdown.Field
	x      float64
	label  []line  // the label ("Name:"), wrapped when it is too long for the row
	labelW float64 // width of its last line
	lineW  float64 // length of the blank
	// boxX is where a question's Yes/No boxes start when they stand in
	// the block's right-hand column, 0 when they follow the label.
	boxX float64
}

type formRow struct {
	fields []placed
	h      float64
}

// formBlock lays out a block of form fields as one item: a signature block
// is measured whole and never split across pages. A paragraph just before
// it (the sentence being signed) is kept on the same page.
func (r *renderer) formBlock(n ast.Node) {
	fb := n.(*markdown.FormBlock)
	uw := r.textWidth("_", stRegular, bodySize)
	x0, w := r.x, r.w
	lh := lineHeight(bodySize)
	yesNoW := 3 + 2*tickBox + 2*1.5 + 5 + r.textWidth("Yes", stRegular, bodySize) + r.textWidth("No", stRegular, bodySize)
	var rows []formRow
	for _, row := range fb.Rows {
		var cur formRow
		x := x0
		flushRow := func() {
			if len(cur.fields) > 0 {
				rows = append(rows, cur)
			}
			cur, x = formRow{}, x0
		}
		for _, f := range row {
			label := []span{{text: f.Label + ":", a: attrs{st: stRegular, size: bodySize, col: colText}}}
			p := placed{f: f}
			after := yesNoW
			if f.Kind == markdown.FieldBlank {
				p.lineW = max(float64(f.Width)*uw, minBlank)
				if f.Value != "" {
					p.lineW = max(p.lineW, r.textWidth(f.Value, stRegular, bodySize)+3)
				}
				p.lineW = min(p.lineW, w*0.6)
				after = labelAfter + p.lineW
			}
			if f.Kind == markdown.FieldYesNo && len(row) == 1 {
				// A question alone on its row puts its boxes in one
				// column at the right of the block, so every question's
				// Yes and No line up, and it wraps at the full width;
				// when its last line reaches into that column, the boxes
				// go on a line of their own below it.
				p.label = r.breakLines(label, w)
				p.labelW = p.label[len(p.label)-1].w
				p.boxX = x0 + w - yesNoW + labelAfter
				if p.labelW > w-yesNoW {
					p.label = append(p.label, line{size: bodySize})
					p.labelW = 0
				}
				fw := w
				if len(cur.fields) > 0 {
					flushRow()
				}
				p.x = x
				cur.fields = append(cur.fields, p)
				cur.h = max(cur.h, formRowH+float64(len(p.label)-1)*lh)
				x += fw + formGap
				continue
			}
			p.label = r.breakLines(label, w-after)
			p.labelW = p.label[len(p.label)-1].w
			fw := p.labelW + after
			if len(p.label) > 1 {
				fw = w
			}
			if len(cur.fields) > 0 && (x+fw > x0+w || len(p.label) > 1) {
				flushRow()
			}
			p.x = x
			cur.fields = append(cur.fields, p)
			cur.h = max(cur.h, formRowH+float64(len(p.label)-1)*lh)
			x += fw + formGap
		}
		flushRow()
	}
	h := 0.0
	for _, row := range rows {
		h += row.h
	}
	if prev := n.PreviousSibling(); prev != nil && prev.Kind() == ast.KindParagraph && len(r.items) > 0 {
		r.items[len(r.items)-1].keep = true
	}
	r.space(3)
	if h > contentBottom-contentTop {
		// Longer than a page: it has to break, but only between rows.
		for _, row := range rows {
			r.add(&item{h: row.h, draw: func(d *drawer, y float64) { drawFormRows(d, y, []formRow{row}) }})
		}
		r.space(3)
		return
	}
	r.add(&item{h: h, draw: func(d *drawer, y float64) { drawFormRows(d, y, rows) }})
	r.space(3)
}

func drawFormRows(d *drawer, y float64, rows []formRow) {
	lh := lineHeight(bodySize)
	for _, row := range rows {
		base := y + row.h - 2.6
		for _, p := range row.fields {
			top := base - baseline(stRegular, bodySize, lh) - float64(len(p.label)-1)*lh
			for i, ln := range p.label {
				d.line(ln, p.x, top+float64(i)*lh, lh)
			}
			lx := p.x + p.labelW + labelAfter
			if p.boxX > 0 {
				lx = p.boxX
			}
			if p.f.Kind == markdown.FieldYesNo {
				bx := lx + 1
				for _, opt := range []string{"Yes", "No"} {
					d.rect(bx, base-tickBox+0.5, tickBox, tickBox, 0.25, colText)
					d.text(bx+tickBox+1.5, base, opt, stRegular, bodySize, colText)
					bx += tickBox + 1.5 + d.r.textWidth(opt, stRegular, bodySize) + 5
				}
				continue
			}
			d.hline(lx, lx+p.lineW, base+1, 0.25, colText)
			if p.f.Value != "" {
				d.text(lx+1.5, base, p.f.Value, stRegular, bodySize, colText)
			}
		}
		y += row.h
	}
}
