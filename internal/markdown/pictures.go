package markdown

import (
	"math"
	"regexp"
	"sort"
	"strconv"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// ShapeKind says how a Shape's points are read.
type ShapeKind int

const (
	// ShapeCircle is a circle: centre x, y and radius.
	ShapeCircle ShapeKind = iota
	// ShapeRect is a rectangle with rounded corners: x, y, width, height
	// and the corner radius.
	ShapeRect
	// ShapeLine is an open line through the points x1, y1, x2, y2, ...
	ShapeLine
	// ShapePolygon is a closed outline through the points.
	ShapePolygon
)

// Shape is one stroke of a picture, in a box 100 units square with y
// pointing down, as in SVG.
type Shape struct {
	Kind ShapeKind
	Pts  []float64
	// Fill fills the shape in ink (an eye, the dot of a question mark);
	// otherwise it is an outline a child can colour in.
	Fill bool
}

// Picture is a simple line drawing for a young child's rule: every output
// draws the same shapes (PDF as vector paths, HTML as inline SVG), and a
// Markdown reader sees its name.
type Picture struct {
	Name   string
	Alt    string  // what the picture shows, for a screen reader
	Stroke float64 // line width in box units
	Shapes []Shape
}

// Pictures are the pictures a picture list may name. They are drawn here,
// as data, so that no output needs an image file or an icon font.
var Pictures = map[string]*Picture{}

func init() {
	bubble := []Shape{
		{Kind: ShapeRect, Pts: []float64{8, 10, 84, 60, 14}},
		{Kind: ShapePolygon, Pts: []float64{28, 70, 22, 90, 46, 70}},
	}
	add := func(p *Picture) {
		if p.Stroke == 0 {
			p.Stroke = 4
		}
		Pictures[p.Name] = p
	}
	add(&Picture{Name: "ask", Alt: "a speech bubble with a question mark",
		Shapes: append(bubble[:2:2],
			Shape{Kind: ShapeLine, Pts: append(curve(50, 31, 11, 9, 200, 405), 50, 42, 50, 50)},
			Shape{Kind: ShapeCircle, Pts: []float64{50, 59, 3.2}, Fill: true})})
	add(&Picture{Name: "tell", Alt: "a speech bubble with an exclamation mark",
		Shapes: append(bubble[:2:2],
			Shape{Kind: ShapeLine, Pts: []float64{50, 22, 50, 48}},
			Shape{Kind: ShapeCircle, Pts: []float64{50, 58, 3.6}, Fill: true})})
	add(&Picture{Name: "secret", Alt: "a padlock",
		Shapes: []Shape{
			{Kind: ShapeLine, Pts: append(append([]float64{33, 46}, curve(50, 36, 17, 17, 180, 360)...), 67, 46)},
			{Kind: ShapeRect, Pts: []float64{22, 46, 56, 44, 6}},
			{Kind: ShapeCircle, Pts: []float64{50, 63, 5}, Fill: true},
			{Kind: ShapeLine, Pts: []float64{50, 63, 50, 77}},
		}})
	add(&Picture{Name: "apps", Alt: "a tablet showing four apps",
		Shapes: []Shape{
			{Kind: ShapeRect, Pts: []float64{20, 6, 60, 88, 8}},
			{Kind: ShapeRect, Pts: []float64{30, 20, 17, 17, 3}},
			{Kind: ShapeRect, Pts: []float64{53, 20, 17, 17, 3}},
			{Kind: ShapeRect, Pts: []float64{30, 43, 17, 17, 3}},
			{Kind: ShapeRect, Pts: []float64{53, 43, 17, 17, 3}},
			{Kind: ShapeCircle, Pts: []float64{50, 80, 4}},
		}})
	add(&Picture{Name: "kind", Alt: "a heart", Shapes: []Shape{{Kind: ShapePolygon, Pts: heart()}}})
	add(&Picture{Name: "care", Alt: "a laptop",
		Shapes: []Shape{
			{Kind: ShapeRect, Pts: []float64{18, 18, 64, 46, 4}},
			{Kind: ShapeRect, Pts: []float64{25, 25, 50, 32, 1}},
			{Kind: ShapePolygon, Pts: []float64{8, 70, 92, 70, 96, 80, 4, 80}},
		}})
	add(&Picture{Name: "smiley", Alt: "a smiley face to colour in",
		Shapes: []Shape{
			{Kind: ShapeCircle, Pts: []float64{50, 50, 42}},
			{Kind: ShapeCircle, Pts: []float64{36, 38, 5}, Fill: true},
			{Kind: ShapeCircle, Pts: []float64{64, 38, 5}, Fill: true},
			{Kind: ShapeLine, Pts: curve(50, 50, 24, 22, 20, 160)},
		}})
}

// curve is the points of an elliptic arc from degree a0 to a1 (clockwise
// on the page, as y points down), every 10 degrees.
func curve(cx, cy, rx, ry, a0, a1 float64) []float64 {
	var pts []float64
	for a := a0; a <= a1+1e-9; a += 10 {
		t := a * math.Pi / 180
		pts = append(pts, round1(cx+rx*math.Cos(t)), round1(cy+ry*math.Sin(t)))
	}
	return pts
}

// heart is the classic heart curve, scaled into the box.
func heart() []float64 {
	var pts []float64
	for a := 0; a < 360; a += 10 {
		t := float64(a) * math.Pi / 180
		x := 16 * math.Pow(math.Sin(t), 3)
		y := 13*math.Cos(t) - 5*math.Cos(2*t) - 2*math.Cos(3*t) - math.Cos(4*t)
		pts = append(pts, round1(50+x*2.6), round1(46-y*2.6))
	}
	return pts
}

// round1 rounds to a tenth, so every output writes the same short numbers.
func round1(v float64) float64 { return math.Round(v*10) / 10 }

// PictureNames lists the pictures a picture list may name, sorted.
func PictureNames() []string {
	var out []string
	for n := range Pictures {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// PictureItem is one rule of a picture list: a picture and a few words.
type PictureItem struct {
	Picture *Picture
	Text    string // plain text, as it prints
}

// KindPictureList is the node kind of a picture list.
var KindPictureList = ast.NewNodeKind("PictureList")

// PictureList is a list of short rules for young children, each with a
// picture beside it, written in Markdown as a bullet list whose every item
// starts with the picture's name in brackets, as in
// "- [picture: ask] I ask a grown-up first.".
// A Markdown reader sees the name; paged output draws the pictures large,
// beside large type, and keeps the list on one page.
type PictureList struct {
	ast.BaseBlock
	Items []PictureItem
}

// Kind implements ast.Node.
func (n *PictureList) Kind() ast.NodeKind { return KindPictureList }

// Dump implements ast.Node.
func (n *PictureList) Dump(src []byte, level int) {
	m := map[string]string{}
	for i, it := range n.Items {
		m["item"+strconv.Itoa(i)] = it.Picture.Name + ": " + it.Text
	}
	ast.DumpHelper(n, src, level, m, nil)
}

// pictureRe matches a picture list item's line.
var pictureRe = regexp.MustCompile(`^\[picture: ([a-z]+)\][ \t]+(\S.*?)\s*$`)

// pictureTransformer replaces bullet lists whose every item is one line
// naming a known picture with PictureList nodes. A list naming a picture
// that does not exist stays an ordinary list, so the name shows.
type pictureTransformer struct{}

func (pictureTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var lists []*ast.List
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if l, ok := n.(*ast.List); ok && entering && !l.IsOrdered() {
			lists = append(lists, l)
		}
		return ast.WalkContinue, nil
	})
	for _, l := range lists {
		var items []PictureItem
		for it := l.FirstChild(); it != nil; it = it.NextSibling() {
			b := it.FirstChild()
			if b == nil || b.NextSibling() != nil || b.Lines().Len() != 1 {
				items = nil
				break
			}
			seg := b.Lines().At(0)
			m := pictureRe.FindStringSubmatch(string(seg.Value(src)))
			if m == nil || Pictures[m[1]] == nil {
				items = nil
				break
			}
			items = append(items, PictureItem{Picture: Pictures[m[1]], Text: Typographic(unescape(m[2]))})
		}
		if items == nil {
			continue
		}
		l.Parent().ReplaceChild(l.Parent(), l, &PictureList{Items: items})
	}
}
