package pdf

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // logo formats
	_ "image/png"
	"strconv"

	"github.com/policypack/policypack/internal/markdown"
)

type logoInfo struct {
	tp   string // fpdf image type
	data []byte
	w, h float64 // pixel size, for the aspect ratio
}

func (r *renderer) loadLogo() error {
	m := r.doc.Meta
	if len(m.Logo) == 0 {
		return nil
	}
	tp := m.LogoType
	switch tp {
	case "png", "jpg", "jpeg":
	default:
		return fmt.Errorf("pdf: %s: logo type %q is not png or jpg", m.Title, tp)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(m.Logo))
	if err != nil {
		return fmt.Errorf("pdf: %s: logo: %w", m.Title, err)
	}
	if (format == "png") != (tp == "png") {
		return fmt.Errorf("pdf: %s: logo is %s data but its type says %s", m.Title, format, tp)
	}
	if cfg.Width == 0 || cfg.Height == 0 {
		return fmt.Errorf("pdf: %s: logo has no pixels", m.Title)
	}
	r.logo = &logoInfo{tp: tp, data: m.Logo, w: float64(cfg.Width), h: float64(cfg.Height)}
	return nil
}

// head is the measured top of page 1: logo, school name and title.
type head struct {
	logoW, logoH     float64
	schoolX          float64
	schoolLH, headH  float64
	school, title    []line
	titleLH          float64
	schoolSize, size float64
}

// measureHead measures the logo, school name and title as the title block
// draws them; the QR code's placement measures the same boxes, so both
// call this.
func (r *renderer) measureHead(form bool) head {
	m := r.doc.Meta
	h := head{logoH: 18, schoolSize: 14, size: 24}
	face := stBold
	if form {
		// A form's title block is set in the regular face: a one-page
		// form often needs no bold at all, and every face embedded
		// costs about 2 ms of fpdf's font handling.
		h.logoH, h.schoolSize, h.size = 13, 13, 18
		face = stRegular
	}
	if r.logo != nil {
		h.logoW = min(h.logoH*r.logo.w/r.logo.h, 60)
		if h.logoW == 60 {
			h.logoH = 60 * r.logo.h / r.logo.w
		}
	}
	h.schoolX = marginL
	if h.logoW > 0 {
		h.schoolX += h.logoW + 5
	}
	h.schoolLH = h.schoolSize * 1.2 * ptMM
	h.school = r.breakLines([]span{{text: m.School, a: attrs{st: face, size: h.schoolSize, col: colHeading}}}, marginL+contentW-h.schoolX)
	h.headH = max(h.logoH*boolf(h.logoW > 0), float64(len(h.school))*h.schoolLH)
	h.titleLH = h.size * 1.15 * ptMM
	h.title = r.breakLines([]span{{text: m.Title, a: attrs{st: face, size: h.size, col: colHeading}}}, contentW)
	return h
}

// titleBlock lays out the document's first lines: logo and school, title,
// and for a policy the review record; for a form a one-line summary.
func (r *renderer) titleBlock() {
	m := r.doc.Meta
	form := m.Form
	hd := r.measureHead(form)
	logoW, logoH, schoolX, schoolLH, school, headH := hd.logoW, hd.logoH, hd.schoolX, hd.schoolLH, hd.school, hd.headH
	titleLH, title := hd.titleLH, hd.title

	type row struct {
		label string
		lines []line
	}
	var rows []row
	labelW := 42.0
	rowLH := lineHeight(bodySize)
	var summary []line
	if form {
		if v := markdown.VersionLine(m); v != "" {
			col := colMuted
			if m.State == markdown.StateDraft {
				col = colAlert
			}
			summary = r.breakLines([]span{{text: v, a: attrs{st: stRegular, size: 9, col: col}}}, contentW)
		}
	} else if !m.Cover {
		for _, f := range markdown.RecordRows(m) {
			rows = append(rows, row{f[0], r.breakLines([]span{{text: f[1], a: attrs{st: stRegular, size: bodySize, col: colText}}}, contentW-labelW-3)})
			r.textWidth(f[0], stBold, bodySize)
		}
	}
	// Measure everything below, top to bottom, as the draw function will.
	headGap := 6.0 // below the school's name
	if form {
		headGap = 4 // a form should fit one page with its signatures
	}
	h := headH + headGap + float64(len(title))*titleLH
	if form {
		h += 2 + float64(len(summary))*lineHeight(9)
	} else if !m.Cover {
		h += 6
		for _, rw := range rows {
			h += float64(len(rw.lines))*rowLH + 2
		}
	}
	logo := r.logo
	r.add(&item{h: h, draw: func(d *drawer, y float64) {
		if logo != nil && logoW > 0 {
			d.image(logo, marginL, y, logoW, logoH)
		}
		sy := y + (headH-float64(len(school))*schoolLH)/2
		for i, ln := range school {
			d.line(ln, schoolX, sy+float64(i)*schoolLH, schoolLH)
		}
		y += headH + headGap
		for _, ln := range title {
			d.line(ln, marginL, y, titleLH)
			y += titleLH
		}
		if form {
			y += 2
			for _, ln := range summary {
				d.line(ln, marginL, y, lineHeight(9))
				y += lineHeight(9)
			}
		} else if !m.Cover {
			y += 6
			d.hline(marginL, marginL+contentW, y, 0.3, colRule)
			for _, rw := range rows {
				rh := float64(len(rw.lines))*rowLH + 2
				d.text(marginL+1, y+1+baseline(stBold, bodySize, rowLH), rw.label, stBold, bodySize, colText)
				for i, ln := range rw.lines {
					d.line(ln, marginL+labelW, y+1+float64(i)*rowLH, rowLH)
				}
				y += rh
				d.hline(marginL, marginL+contentW, y, 0.3, colRule)
			}
		}
	}})
	r.gap = 8
	if form {
		r.gap = 5
	}
}

// stateNotice lays out, under a policy's title block, the notice its state
// calls for (a draft, a review overdue or due today), worded from the state,
// marked as a block quote is with an alert-coloured bar. A form has none,
// and neither has a pack's cover: it is no policy, and its table gives
// each policy's own state.
func (r *renderer) stateNotice() {
	m := r.doc.Meta
	notice := m.State.Notice(m.NextReview)
	if notice == "" || m.Form || m.Cover {
		return
	}
	r.space(2.6)
	const indent = 6
	bx := r.x + 1
	r.decoFirst = true
	r.decos = append(r.decos, func(d *drawer, y, h float64) { d.fillRect(bx, y, 0.9, h, colAlert) })
	r.textLines([]span{
		{text: notice + ".", a: attrs{st: stBold, size: bodySize, col: colText}},
		{text: " " + m.State.Action(m.Noun), a: attrs{st: stRegular, size: bodySize, col: colText}},
	}, r.x+indent, r.w-indent, lineHeight(bodySize))
	r.decos = r.decos[:len(r.decos)-1]
	r.space(2.6)
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// toc lays out the table of contents: one clickable entry per heading up to
// tocDepth, with the page the heading lands on (known when drawing).
func (r *renderer) toc(hd *heading) {
	var lines []*heading
	for _, h := range r.headings {
		if h.inTOC {
			lines = append(lines, h)
		}
	}
	r.tocLines(hd, lines)
}

// packTOC lays out a pack cover's contents from its entries: each names a
// heading of another document of the book, whose page Book.Bind supplies.
func (r *renderer) packTOC(hd *heading, entries []markdown.Entry) {
	var lines []*heading
	for _, e := range entries {
		h := &heading{level: max(e.Level, 1), text: e.Label(), ref: e.ID}
		r.refs = append(r.refs, h)
		lines = append(lines, h)
	}
	r.tocLines(hd, lines)
}

// tocLines lays out a contents list headed by hd, one line per heading.
func (r *renderer) tocLines(hd *heading, headings []*heading) {
	size := 15.0
	lh := size * 1.2 * ptMM
	r.space(6)
	title := markdown.ContentsTitle
	if hd != nil {
		title = hd.text
	}
	ln := r.breakLines([]span{{text: title, a: attrs{st: stBold, size: size, col: colHeading}}}, contentW)[0]
	r.add(&item{h: lh, keep: true, hd: hd, draw: func(d *drawer, y float64) {
		if hd != nil {
			d.anchor(hd, y)
		}
		d.line(ln, marginL, y, lh)
	}})
	r.gap = 3
	top := 7
	for _, h := range headings {
		top = min(top, h.level)
	}
	numW := r.textWidth("000", stRegular, bodySize)
	for _, h := range headings {
		h := h
		st := stRegular
		if h.level == top {
			st = stBold
			r.space(2.2)
		} else {
			r.space(0.8)
		}
		indent := float64(h.level-top) * 6
		x := marginL + indent
		elh := lineHeight(bodySize)
		lines := r.breakLines([]span{{text: h.text, a: attrs{st: st, size: bodySize, col: colText}}}, contentW-indent-numW-6)
		last := lines[len(lines)-1]
		eh := float64(len(lines)) * elh
		it := &item{h: eh, draw: func(d *drawer, y float64) {
			for i, ln := range lines {
				d.line(ln, x, y+float64(i)*elh, elh)
			}
			num := strconv.Itoa(h.abs)
			nw := d.r.textWidth(num, st, bodySize)
			nx := marginL + contentW - nw
			by := y + float64(len(lines)-1)*elh + baseline(st, bodySize, elh)
			d.dots(x+last.w+2, nx-2, by)
			d.text(nx, by, num, st, bodySize, colText)
			d.link(marginL, y, contentW, eh, h)
		}}
		// A document's line in a pack's contents stays with its first
		// section's.
		it.keep = h.level == top && len(headings) > 1 && r.doc.Meta.Cover
		r.add(it)
	}
}
