package docx

import (
	"bytes"
	"fmt"
	"image/png"
	"strconv"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"

	"github.com/policypack/policypack/internal/markdown"
)

// qrCode returns the QR code of a form whose Meta.QR is set (the school's
// online policy), as the PDF prints it: error correction level M, which
// survives a crease or a smudge on a printed form, 20 mm square. The image
// is a media part added once per address, so a book of a hundred forms
// holds one.
func (r *renderer) qrCode() (*picture, error) {
	m := r.doc.Meta
	if !m.Form || m.QR == "" || !markdown.SafeURL(m.QR) {
		return nil, nil
	}
	rid, ok := r.qrRels[m.QR]
	if !ok {
		code, err := qr.Encode(m.QR, qr.M, qr.Auto)
		if err != nil {
			return nil, fmt.Errorf("docx: %s: QR code for %q: %w", m.Title, m.QR, err)
		}
		n := code.Bounds().Dx()
		scaled, err := barcode.Scale(code, n*4, n*4)
		if err != nil {
			return nil, fmt.Errorf("docx: %s: QR code for %q: %w", m.Title, m.QR, err)
		}
		var b bytes.Buffer
		if err := png.Encode(&b, scaled); err != nil {
			return nil, fmt.Errorf("docx: %s: QR code: %w", m.Title, err)
		}
		name := "qr" + strconv.Itoa(len(r.qrRels)+1) + ".png"
		rid = "rId" + strconv.Itoa(firstFreeRel+len(r.rels))
		r.rels = append(r.rels, rel{id: rid, typ: relImage, target: "media/" + name})
		r.media = append(r.media, part{name: "word/media/" + name, data: b.Bytes()})
		r.qrRels[m.QR] = rid
	}
	const side = 20 * 36000 // EMU
	return &picture{rid: rid, name: "QR code", descr: "QR code: " + m.QR, cx: side, cy: side}, nil
}
