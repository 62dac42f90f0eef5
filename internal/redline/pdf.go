package redline

import (
	"bytes"
	"fmt"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/go-fonts/liberation/liberationsansbold"
	"github.com/go-fonts/liberation/liberationsansitalic"
	"github.com/go-fonts/liberation/liberationsansregular"
)

// Colours of the marks; the marks themselves (underline, strike-through)
// carry the meaning, so the redline still reads in black and white.
var (
	insColour = [3]int{11, 93, 35}
	delColour = [3]int{143, 29, 20}
	greyText  = [3]int{110, 110, 110}
)

// PDF draws the redline as an A4 PDF with fpdf. It is drawn here rather than
// by internal/pdf because a redline needs marks (underline, strike-through)
// that policy documents never use. The output is deterministic.
func (r *Redline) PDF() (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("redline pdf: %v", p)
		}
	}()
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(20, 18, 20)
	f.SetAutoPageBreak(true, 18)
	f.AddUTF8FontFromBytes("sans", "", liberationsansregular.TTF)
	f.AddUTF8FontFromBytes("sans", "B", liberationsansbold.TTF)
	f.AddUTF8FontFromBytes("sans", "I", liberationsansitalic.TTF)
	title := "Changes to " + r.Title
	f.SetTitle(title, true)
	f.SetSubject(r.School, true)
	f.SetCreator("policypack", true)
	f.SetCreationDate(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	f.SetModificationDate(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	f.SetCatalogSort(true)
	f.SetFooterFunc(func() {
		f.SetY(-12)
		f.SetFont("sans", "", 8)
		f.SetTextColor(greyText[0], greyText[1], greyText[2])
		f.CellFormat(0, 5, fmt.Sprintf("%s: %s, page %d of {nb}", title, r.School, f.PageNo()), "", 0, "C", false, 0, "")
	})
	f.AliasNbPages("{nb}")
	f.AddPage()

	ink := func(c [3]int) { f.SetTextColor(c[0], c[1], c[2]) }
	ink([3]int{0, 0, 0})
	f.SetFont("sans", "B", 17)
	f.MultiCell(0, 8, title, "", "L", false)
	if r.School != "" {
		f.SetFont("sans", "B", 11)
		f.MultiCell(0, 6, r.School, "", "L", false)
	}
	f.Ln(1)
	f.SetFont("sans", "", 10)
	ink(greyText)
	f.MultiCell(0, 5, "From: "+r.From+"\nTo: "+r.To, "", "L", false)
	f.Ln(2)
	ink([3]int{0, 0, 0})
	f.SetFont("sans", "B", 12)
	f.MultiCell(0, 7, r.Summary()+".", "", "L", false)
	f.SetFont("sans", "", 9.5)
	f.Write(5, "Inserted text is ")
	f.SetFont("sans", "U", 9.5)
	ink(insColour)
	f.Write(5, "underlined")
	f.SetFont("sans", "", 9.5)
	ink([3]int{0, 0, 0})
	f.Write(5, "; deleted text is ")
	f.SetFont("sans", "S", 9.5)
	ink(delColour)
	f.Write(5, "struck through")
	f.SetFont("sans", "", 9.5)
	ink([3]int{0, 0, 0})
	f.Write(5, ". Each change is marked + (inserted) or \u2212 (deleted). Unchanged sections are listed by heading only; a bar in the margin marks a changed section.")
	f.Ln(9)

	const size, lh = 10.5, 5.4
	// mark writes the small sign before each change, so the redline reads
	// in black and white, and in extracted text, as well as in colour.
	mark := func(sign string, c [3]int) {
		f.SetFont("sans", "B", 7.5)
		ink(c)
		f.Write(lh, sign)
	}
	left, _, _, _ := f.GetMargins()
	for _, s := range r.Sections {
		if s.Status == Unchanged {
			f.SetFont("sans", "", 9.5)
			ink(greyText)
			f.MultiCell(0, 5, s.Heading+"  (unchanged)", "", "L", false)
			continue
		}
		f.Ln(2)
		startPage, startY := f.PageNo(), f.GetY()
		f.SetFont("sans", "B", 11.5)
		ink([3]int{0, 0, 0})
		f.MultiCell(0, 6.5, fmt.Sprintf("%s  (%s)", s.Heading, s.Status), "", "L", false)
		for _, p := range s.Paras {
			for _, seg := range p {
				switch seg.Op {
				case Insert:
					mark("+", insColour)
					f.SetFont("sans", "U", size)
					ink(insColour)
				case Delete:
					mark("−", delColour)
					f.SetFont("sans", "S", size)
					ink(delColour)
				case Skip:
					f.SetFont("sans", "I", 9)
					ink(greyText)
					f.Write(lh, "["+seg.Text+"]")
					continue
				default:
					f.SetFont("sans", "", size)
					ink([3]int{0, 0, 0})
				}
				f.Write(lh, seg.Text)
			}
			f.Ln(lh + 1.5)
		}
		// Change bar in the left margin, on the section's last page.
		top := startY
		if f.PageNo() != startPage {
			_, top, _, _ = f.GetMargins()
		}
		bar := map[Status][3]int{Changed: {197, 138, 0}, Added: {26, 127, 55}, Removed: {180, 35, 24}}[s.Status]
		f.SetFillColor(bar[0], bar[1], bar[2])
		f.Rect(left-5, top, 1.4, f.GetY()-top-1, "F")
	}
	var b bytes.Buffer
	if err := f.Output(&b); err != nil {
		return nil, fmt.Errorf("redline pdf: %w", err)
	}
	return b.Bytes(), nil
}
