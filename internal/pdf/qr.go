package pdf

import (
	"bytes"
	"fmt"
	"image"
	"image/png"

	"codeberg.org/go-pdf/fpdf"

	"github.com/boombuler/barcode/qr"
)

// A form whose Meta.QR is set carries a QR code to that address (the school's
// online policy), encoded by boombuler/barcode and embedded as a lossless
// greyscale PNG, registered once per file for each distinct address: a
// book of a thousand forms holds one image, drawn a thousand times. (Vector
// squares would be exact too, but cost about 12 KB of page content per
// form; fpdf's barcode contrib made a lossy JPEG.) The address is printed
// beside the code.
//
// Where it goes: at the top right of page 1, level with the school's name and
// above the title, when the title block leaves that corner free (it does for
// a school with a logo and a name that leaves a few centimetres). Otherwise it
// is laid out as a block of its own after the form's last line, so it never
// covers text.
const (
	qrSize      = 20.0           // mm, the code's side
	qrTop       = contentTop - 5 // page 1 has no running header, so the band above the content is free
	qrClear     = 2.5            // mm kept free around the code (its quiet zone)
	qrTextSize  = 8.0
	qrTextGap   = 3.0 // between the address and the code
	qrPixelsPer = 8   // image pixels per module, so a viewer scaling it up keeps the edges sharp
)

// qrPlan is where a document's QR code and address go.
type qrPlan struct {
	url    string
	dark   [][]bool // the code's modules, [row][column], true for dark
	text   line     // the address as printed
	inFlow bool     // a block after the form's content, not in the title area
	x      float64
	y      float64 // top of the code: planned in the title area, recorded when drawn in the flow
}

// planQR places a form's QR code, once. Called with titleArea after the
// title block, it puts the code in the title area when that is free, as a
// zero-height item straight after the title block, so the code is drawn on
// page 1 wherever the content falls; appending the item directly (rather
// than with add) leaves the pending gap and list state alone. Called at the
// end of the document, it lays the code out as a block of its own if it has
// not been placed yet.
func (r *renderer) planQR(titleArea bool) {
	m := r.doc.Meta
	if !m.Form || m.QR == "" || r.qr != nil {
		return
	}
	q := &qrPlan{url: m.QR, x: marginL + contentW - qrSize, y: qrTop}
	q.text = r.breakLines([]span{{text: m.QR, a: attrs{st: stRegular, size: qrTextSize, col: colLink, url: m.QR}}}, 1e6)[0]
	if titleArea {
		if !r.titleAreaFree(q) {
			return // placed in the flow at the end
		}
		if err := q.encode(); err != nil {
			r.fail(fmt.Errorf("pdf: %s: QR code for %q: %w", m.Title, m.QR, err))
		}
		r.qr = q
		r.items = append(r.items, &item{draw: func(d *drawer, _ float64) { d.drawQR(q, q.y) }})
		return
	}
	if err := q.encode(); err != nil {
		r.fail(fmt.Errorf("pdf: %s: QR code for %q: %w", m.Title, m.QR, err))
		return
	}
	q.inFlow = true
	r.qr = q
	r.space(6)
	r.add(&item{h: qrSize, draw: func(d *drawer, y float64) { d.drawQR(q, y) }})
}

// rect is an area of page 1 in millimetres.
type rect struct{ x0, y0, x1, y1 float64 }

func (a rect) overlaps(b rect) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

// titleAreaFree reports whether the code and the address fit in the top
// right corner of the form's title block without touching its logo, school
// name or title, measured by the same measureHead the title block is laid
// out with.
func (r *renderer) titleAreaFree(q *qrPlan) bool {
	h := r.measureHead(true)
	logoW, logoH, schoolX, schoolLH, school, headH := h.logoW, h.logoH, h.schoolX, h.schoolLH, h.school, h.headH
	titleLH, title := h.titleLH, h.title

	top := contentTop
	var boxes []rect
	if logoW > 0 {
		boxes = append(boxes, rect{marginL, top, marginL + logoW, top + logoH})
	}
	sy := top + (headH-float64(len(school))*schoolLH)/2
	for i, ln := range school {
		boxes = append(boxes, rect{schoolX, sy + float64(i)*schoolLH, schoolX + ln.w, sy + float64(i+1)*schoolLH})
	}
	ty := top + headH + 6
	for i, ln := range title {
		boxes = append(boxes, rect{marginL, ty + float64(i)*titleLH, marginL + ln.w, ty + float64(i+1)*titleLH})
	}
	// Below the title come the summary line and the form itself, full
	// width: the code must end above them.
	bottom := ty + float64(len(title))*titleLH + 2
	code := rect{q.x - qrClear, q.y - qrClear, q.x + qrSize + qrClear, q.y + qrSize + qrClear}
	lh := lineHeight(qrTextSize)
	tx := q.x - qrTextGap - q.text.w
	addr := rect{tx, q.y + qrSize - lh, q.x, q.y + qrSize}
	if code.y1 > bottom || tx < marginL {
		return false
	}
	for _, b := range boxes {
		if b.overlaps(code) || b.overlaps(addr) {
			return false
		}
	}
	return true
}

// drawQR draws the code with its top at y and the address beside it, both
// linking to the address. The image is registered the first time a file
// draws this address.
func (d *drawer) drawQR(q *qrPlan, y float64) {
	q.y = y
	name := "qr " + q.url
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	if d.f.GetImageInfo(name) == nil {
		img, err := qrPNG(q.dark)
		if err != nil {
			d.r.fail(fmt.Errorf("pdf: %s: QR code: %w", d.r.doc.Meta.Title, err))
			return
		}
		d.f.RegisterImageOptionsReader(name, opt, bytes.NewReader(img))
	}
	d.f.ImageOptions(name, q.x, y, qrSize, qrSize, false, opt, 0, "")
	if err := d.f.Error(); err != nil {
		d.r.fail(fmt.Errorf("pdf: %s: QR code: %w", d.r.doc.Meta.Title, err))
		return
	}
	d.f.LinkString(q.x, y, qrSize, qrSize, q.url)
	lh := lineHeight(qrTextSize)
	tx := q.x - qrTextGap - q.text.w
	d.line(q.text, tx, y+qrSize-lh, lh)
}

// qrPNG draws the modules as an 8-bit greyscale PNG (a depth fpdf reads),
// qrPixelsPer pixels a module.
func qrPNG(dark [][]bool) ([]byte, error) {
	n := len(dark) * qrPixelsPer
	img := image.NewGray(image.Rect(0, 0, n, n))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for r, row := range dark {
		for c, on := range row {
			if !on {
				continue
			}
			for y := r * qrPixelsPer; y < (r+1)*qrPixelsPer; y++ {
				clear(img.Pix[y*img.Stride+c*qrPixelsPer : y*img.Stride+(c+1)*qrPixelsPer])
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// encode encodes the address as a QR code at error correction level M,
// which survives a crease or a smudge on a printed form. Each document
// encodes its own (it is quick): nothing is cached across documents.
func (q *qrPlan) encode() error {
	code, err := qr.Encode(q.url, qr.M, qr.Auto)
	if err != nil {
		return err
	}
	n := code.Bounds().Dx()
	q.dark = make([][]bool, n)
	for y := range n {
		q.dark[y] = make([]bool, n)
		for x := range n {
			r, _, _, _ := code.At(x, y).RGBA()
			q.dark[y][x] = r < 0x8000
		}
	}
	return nil
}
