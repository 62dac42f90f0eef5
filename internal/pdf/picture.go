package pdf

import (
	"codeberg.org/go-pdf/fpdf"
	"github.com/yuin/goldmark/ast"

	"github.com/policypack/policypack/internal/markdown"
)

const (
	pictureSize = 19.0 // mm a side
	pictureType = 18.0 // points: large type for a child learning to read
	pictureGap  = 6.0  // between a picture and its words
)

// pictureList lays out a young child's rules: a picture at the left of
// each, its words in large type beside it. The list is kept on one page.
func (r *renderer) pictureList(n ast.Node) {
	pl := n.(*markdown.PictureList)
	r.space(4)
	x, w := r.x, r.w
	tx := x + pictureSize + pictureGap
	lh := lineHeight(pictureType)
	first := len(r.items)
	for i, pi := range pl.Items {
		spans := []span{{text: pi.Text, a: attrs{st: stRegular, size: pictureType, col: colText}}}
		lines := r.breakLines(spans, w-(tx-x))
		th := float64(len(lines)) * lh
		h := max(pictureSize, th)
		pic := pi.Picture
		if i > 0 {
			r.space(2)
		}
		r.add(&item{h: h, keep: true, draw: func(d *drawer, y float64) {
			d.picture(pic, x, y+(h-pictureSize)/2, pictureSize)
			ty := y + (h-th)/2
			for k, ln := range lines {
				d.line(ln, tx, ty+float64(k)*lh, lh)
			}
		}})
	}
	if len(r.items) > first {
		r.items[len(r.items)-1].keep = false
	}
	r.space(4)
}

// picture draws p as vector paths in a square of side size at (x, y): line
// art in ink, outlines left white for a child to colour in.
func (d *drawer) picture(p *markdown.Picture, x, y, size float64) {
	k := size / 100
	d.setDraw(colText, p.Stroke*k)
	d.f.SetLineCapStyle("round")
	d.f.SetLineJoinStyle("round")
	d.f.SetFillColor(int(colText.r), int(colText.g), int(colText.b))
	px := func(v float64) float64 { return x + v*k }
	py := func(v float64) float64 { return y + v*k }
	for _, s := range p.Shapes {
		style := "D"
		if s.Fill {
			style = "FD"
		}
		pts := s.Pts
		switch s.Kind {
		case markdown.ShapeCircle:
			d.f.Circle(px(pts[0]), py(pts[1]), pts[2]*k, style)
		case markdown.ShapeRect:
			d.f.RoundedRect(px(pts[0]), py(pts[1]), pts[2]*k, pts[3]*k, pts[4]*k, "1234", style)
		case markdown.ShapeLine:
			d.f.MoveTo(px(pts[0]), py(pts[1]))
			for i := 2; i+1 < len(pts); i += 2 {
				d.f.LineTo(px(pts[i]), py(pts[i+1]))
			}
			d.f.DrawPath("D")
		case markdown.ShapePolygon:
			var poly []fpdf.PointType
			for i := 0; i+1 < len(pts); i += 2 {
				poly = append(poly, fpdf.PointType{X: px(pts[i]), Y: py(pts[i+1])})
			}
			d.f.Polygon(poly, style)
		}
	}
	d.f.SetLineCapStyle("butt")
	d.f.SetLineJoinStyle("miter")
}
