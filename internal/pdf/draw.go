package pdf

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/policypack/policypack/internal/markdown"
)

// placement is an item placed on a page.
type placement struct {
	it  *item
	y   float64
	gap float64 // the space actually left above it (0 at the top of a page)
}

// paginate places the items on pages. A run of items marked keep (a heading
// and the first lines after it, a table's header row and first row, the
// first two lines of a paragraph) moves to a new page together when it
// does not fit but would fit on an empty page.
func (r *renderer) paginate() [][]placement {
	pages := [][]placement{nil}
	y := contentTop
	avail := contentBottom - contentTop
	newPage := func() {
		pages = append(pages, nil)
		y = contentTop
	}
	place := func(it *item, gap float64) {
		y += gap
		pages[len(pages)-1] = append(pages[len(pages)-1], placement{it: it, y: y, gap: gap})
		if it.hd != nil {
			// Known before anything is drawn, so the table of contents
			// on page 1 can print the pages of later headings.
			it.hd.page, it.hd.y = len(pages), y
		}
		y += it.h
	}
	for i := 0; i < len(r.items); i++ {
		it := r.items[i]
		if it.brk {
			if len(pages[len(pages)-1]) > 0 {
				newPage()
			}
			continue
		}
		empty := y == contentTop
		gap := it.before
		if empty {
			gap = 0
		}
		// Height of the chain of kept-together items starting here.
		chain := it.h
		for j := i; r.items[j].keep && j+1 < len(r.items) && !r.items[j+1].brk; j++ {
			chain += r.items[j+1].before + r.items[j+1].h
		}
		if it.repeat != nil {
			chain += it.repeat.h
		}
		switch {
		case empty:
		case y+gap+chain <= contentBottom+1e-6:
		case chain <= avail+1e-6 || y+gap+it.h > contentBottom+1e-6:
			newPage()
			gap = 0
		}
		if y == contentTop && it.repeat != nil {
			// A table continues on a new page: repeat its header row.
			place(it.repeat, 0)
		}
		place(it, gap)
	}
	return pages
}

// drawer draws placed items with fpdf, remembering the current font and
// colours so each change is written once.
type drawer struct {
	r        *renderer
	f        *fpdf.Fpdf
	st       style
	size     float64
	col      rgb
	fontSet  bool
	used     [numStyles]uint64 // per face: 0 unused, else a hash of its text
	gap      float64
	logoDone bool
}

// header draws the running header (from the document's page 2) and the
// footer, page numbered page of total. A pack's cover has no review date
// of its own to print.
func (d *drawer) header(first bool, page, total int) {
	m := d.r.doc.Meta
	const size = 8.5
	if !first {
		x := marginL
		if m.State == markdown.StateDraft && !m.Cover {
			// Every page of a draft says so, not only the first.
			d.text(x, headerBase, markdown.DraftMark, stRegular, size, colAlert)
			x += d.r.textWidth(markdown.DraftMark+"  ", stRegular, size)
		}
		d.text(x, headerBase, m.School, stRegular, size, colMuted)
		// The title is shortened with an ellipsis rather than run into
		// the school's name.
		room := marginL + contentW - x - d.r.textWidth(m.School, stRegular, size) - 8
		title := fitText(d.r, m.Title, stRegular, size, room)
		tw := d.r.textWidth(title, stRegular, size)
		d.text(marginL+contentW-tw, headerBase, title, stRegular, size, colMuted)
		d.hline(marginL, marginL+contentW, headerBase+2, 0.2, colRule)
	}
	d.hline(marginL, marginL+contentW, footerBase-4.5, 0.2, colRule)
	if !m.Cover {
		// The footer states the record, never a review notice: overdue
		// is for the title block and the dashboard.
		var foot string
		col := colMuted
		switch {
		case m.State == markdown.StateDraft:
			foot, col = m.State.Notice(""), colAlert
		case m.Form:
			foot = markdown.VersionLine(m)
		case m.NextReview != "":
			foot = "Next review due: " + m.NextReview
		}
		d.text(marginL, footerBase, foot, stRegular, size, col)
	}
	pn := "Page " + strconv.Itoa(page) + " of " + strconv.Itoa(total)
	pw := d.r.textWidth(pn, stRegular, size)
	d.text(marginL+contentW-pw, footerBase, pn, stRegular, size, colMuted)
}

// font selects a face, registering it with fpdf the first time the
// document uses it: a document pays only for the faces it draws with.
func (d *drawer) font(st style, size float64) {
	if d.fontSet && d.st == st && d.size == size {
		return
	}
	fc := faces[st]
	if d.used[st] == 0 {
		if err := fc.cut(); err != nil {
			d.r.fail(err)
			return
		}
		// fpdf writes into the font bytes it is given while subsetting
		// (utf8FontFile.getMetrics appends to a slice of them), so each
		// document gets its own copy: sharing one would be a data race
		// and would corrupt the font for later documents.
		d.f.AddUTF8FontFromBytes(fc.family, "", bytes.Clone(fc.ttf))
		d.used[st] = fnvAdd(0, fc.family)
	}
	d.f.SetFont(fc.family, "", size)
	d.st, d.size, d.fontSet = st, size, true
}

func (d *drawer) text(x, y float64, s string, st style, size float64, col rgb) {
	// A symbol the face lacks is drawn in the symbol face, in a run of
	// its own (measured the same way by textWidth).
	for i, c := range s {
		if faceFor(st, c) == stSymbol {
			if i > 0 {
				d.textRun(x, y, s[:i], st, size, col)
				x += d.r.textWidth(s[:i], st, size)
			}
			n := i + len(string(c))
			d.textRun(x, y, s[i:n], stSymbol, size, col)
			d.text(x+d.r.textWidth(s[i:n], stSymbol, size), y, s[n:], st, size, col)
			return
		}
	}
	d.textRun(x, y, s, st, size, col)
}

// textRun draws s in one face.
func (d *drawer) textRun(x, y float64, s string, st style, size float64, col rgb) {
	if s == "" {
		return
	}
	// Every string drawn was measured during layout, which reported any
	// character the face cannot print.
	d.font(st, size)
	d.used[st] = fnvAdd(d.used[st], s)
	if col != d.col {
		d.f.SetTextColor(int(col.r), int(col.g), int(col.b))
		d.col = col
	}
	d.f.Text(x, y, s)
}

// line draws a laid-out line of text with its top at y, merging pieces that
// look the same into one text operator, and adds link annotations.
func (d *drawer) line(ln line, x, y, lh float64) {
	base := y + baseline(stRegular, ln.size, lh)
	ps := ln.pieces
	for i := 0; i < len(ps); {
		j := i
		w := 0.0
		var s []byte
		for ; j < len(ps) && ps[j].a == ps[i].a; j++ {
			s = append(s, ps[j].text...)
			w += ps[j].w
		}
		a := ps[i].a
		d.text(x, base, string(s), a.st, a.size, a.col)
		if a.url != "" || a.dest != "" {
			d.hline(x, x+w, base+0.6, 0.2, colLink)
			if l, ok := d.r.policyStarts[a.policy]; ok && a.policy != "" {
				d.f.Link(x, y, w, lh, l)
			} else if a.url != "" {
				d.f.LinkString(x, y, w, lh, a.url)
			} else if h, ok := d.r.byID[a.dest]; ok {
				d.link(x, y, w, lh, h)
			}
		}
		x += w
		i = j
	}
}

func (d *drawer) link(x, y, w, h float64, to *heading) {
	d.f.Link(x, y, w, h, to.link)
}

// anchor records where a heading is drawn and adds its outline entry.
func (d *drawer) anchor(h *heading, y float64) {
	if !d.fontSet {
		d.font(stRegular, bodySize) // fpdf encodes outline titles as UTF-16 only with a UTF-8 font set
	}
	d.f.Bookmark(h.text, h.outline, y)
}

func (d *drawer) setDraw(col rgb, lw float64) {
	d.f.SetDrawColor(int(col.r), int(col.g), int(col.b))
	d.f.SetLineWidth(lw)
}

func (d *drawer) hline(x1, x2, y, lw float64, col rgb) {
	d.setDraw(col, lw)
	d.f.Line(x1, y, x2, y)
}

func (d *drawer) rect(x, y, w, h, lw float64, col rgb) {
	d.setDraw(col, lw)
	d.f.Rect(x, y, w, h, "D")
}

func (d *drawer) fillRect(x, y, w, h float64, col rgb) {
	d.f.SetFillColor(int(col.r), int(col.g), int(col.b))
	d.f.Rect(x, y, w, h, "F")
}

// dots draws a dotted leader from x1 to x2 on baseline y.
func (d *drawer) dots(x1, x2, y float64) {
	if x2-x1 < 3 {
		return
	}
	d.f.SetDrawColor(int(colMuted.r), int(colMuted.g), int(colMuted.b))
	d.f.SetLineWidth(0.35)
	d.f.SetLineCapStyle("round")
	d.f.SetDashPattern([]float64{0, 1.6}, 0)
	d.f.Line(x1, y, x2, y)
	d.f.SetDashPattern(nil, 0)
	d.f.SetLineCapStyle("butt")
}

func (d *drawer) image(l *logoInfo, x, y, w, h float64) {
	opt := fpdf.ImageOptions{ImageType: l.tp}
	if !d.logoDone {
		d.f.RegisterImageOptionsReader("logo", opt, bytes.NewReader(l.data))
		d.logoDone = true
	}
	d.f.ImageOptions("logo", x, y, w, h, false, opt, 0, "")
	if err := d.f.Error(); err != nil {
		d.r.fail(fmt.Errorf("pdf: %s: logo: %w", d.r.doc.Meta.Title, err))
	}
}

// fitText returns s, or as much of it as fits in w followed by "…".
func fitText(r *renderer, s string, st style, size, w float64) string {
	if r.textWidth(s, st, size) <= w {
		return s
	}
	rs := []rune(s)
	for n := len(rs) - 1; n > 0; n-- {
		t := strings.TrimRight(string(rs[:n]), " ,;:") + "…"
		if r.textWidth(t, st, size) <= w {
			return t
		}
	}
	return "…"
}
