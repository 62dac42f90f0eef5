package pdf

import (
	"github.com/yuin/goldmark/ast"

	"github.com/policypack/policypack/internal/markdown"
)

const (
	formRowH   = 10.0 // room to write by hand
	formGap    = 7.0  // between fields on one row
	tickBox    = 3.6
	minBlank   = 15.0
	labelAfter = 2.0
)

// placed is a form field positioned on a visual row of a form block.
type placed struct {
	f      markdown.Field
	x      float64
	lineW  float64 // length of the blank
	labelW float64
}

// formBlock lays out a block of form fields as one item: a signature block
// is measured whole and never split across pages.
func (r *renderer) formBlock(n ast.Node) {
	fb := n.(*markdown.FormBlock)
	uw := r.textWidth("_", stRegular, bodySize)
	x0, w := r.x, r.w
	var rows [][]placed
	for _, row := range fb.Rows {
		var cur []placed
		x := x0
		for _, f := range row {
			p := placed{f: f, labelW: r.textWidth(f.Label+":", stRegular, bodySize)}
			var fw float64
			switch f.Kind {
			case markdown.FieldYesNo:
				fw = p.labelW + 3 + 2*tickBox + 1.5 + r.textWidth("Yes", stRegular, bodySize) +
					5 + 1.5 + r.textWidth("No", stRegular, bodySize)
			default:
				p.lineW = max(float64(f.Width)*uw, minBlank)
				if f.Value != "" {
					p.lineW = max(p.lineW, r.textWidth(f.Value, stRegular, bodySize)+3)
				}
				fw = p.labelW + labelAfter + p.lineW
			}
			if len(cur) > 0 && x+fw > x0+w {
				rows = append(rows, cur)
				cur, x = nil, x0
			}
			if f.Kind == markdown.FieldBlank && x+fw > x0+w {
				p.lineW = max(x0+w-x-p.labelW-labelAfter, minBlank)
				fw = p.labelW + labelAfter + p.lineW
			}
			p.x = x
			cur = append(cur, p)
			x += fw + formGap
		}
		if len(cur) > 0 {
			rows = append(rows, cur)
		}
	}
	r.space(3)
	r.add(&item{h: float64(len(rows)) * formRowH, draw: func(d *drawer, y float64) {
		for i, row := range rows {
			base := y + float64(i+1)*formRowH - 2.6
			for _, p := range row {
				d.text(p.x, base, p.f.Label+":", stRegular, bodySize, colText)
				lx := p.x + p.labelW + labelAfter
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
		}
	}})
	r.space(3)
}
