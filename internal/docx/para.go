package docx

import (
	"bytes"
	"strconv"
	"strings"
)

// runProps is how a run of text looks. Looks that a trust may want to
// restyle are character styles (Hyperlink, VerbatimChar); the rest are
// direct formatting.
type runProps struct {
	bold, italic bool
	code         bool // inline code: the VerbatimChar style
	link         bool // the Hyperlink style
	muted        bool // grey: "not recorded"
	alert        bool // dark red: overdue, DRAFT
	size         int  // half-points; 0 for the paragraph style's size
}

func (p runProps) write(b *bytes.Buffer) {
	if p == (runProps{}) {
		return
	}
	b.WriteString(`<w:rPr>`)
	switch {
	case p.code:
		b.WriteString(`<w:rStyle w:val="VerbatimChar"/>`)
	case p.link:
		b.WriteString(`<w:rStyle w:val="Hyperlink"/>`)
	}
	if p.bold {
		b.WriteString(`<w:b/><w:bCs/>`)
	}
	if p.italic {
		b.WriteString(`<w:i/><w:iCs/>`)
	}
	switch {
	case p.alert:
		b.WriteString(`<w:color w:val="A01414"/>`)
	case p.muted:
		b.WriteString(`<w:color w:val="696969"/>`)
	}
	if p.size > 0 {
		s := strconv.Itoa(p.size)
		b.WriteString(`<w:sz w:val="` + s + `"/><w:szCs w:val="` + s + `"/>`)
	}
	b.WriteString(`</w:rPr>`)
}

// writeRun writes text as one or more runs: a newline becomes a line break
// and a tab a tab, so no character is lost and none makes markup.
func writeRun(b *bytes.Buffer, p runProps, text string) {
	if text == "" {
		return
	}
	b.WriteString(`<w:r>`)
	p.write(b)
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString(`<w:br/>`)
		}
		for j, seg := range strings.Split(line, "\t") {
			if j > 0 {
				b.WriteString(`<w:tab/>`)
			}
			if seg != "" {
				b.WriteString(`<w:t xml:space="preserve">`)
				_ = xmlEscape(b, seg)
				b.WriteString(`</w:t>`)
			}
		}
	}
	b.WriteString(`</w:r>`)
}

// pPr is a paragraph's properties.
type pPr struct {
	style      string
	numID      int // list numbering instance, 0 for none
	ilvl       int
	indLeft    int // twips, 0 for the style's
	keepNext   bool
	keepLines  bool
	after      int  // space after in twips, when afterSet
	afterSet   bool // false: the style's space after
	jc         string
	border     string // extra w:pBdr content
	shade      string // fill colour
	tabs       string // w:tabs content
	pageBefore bool
}

func (p pPr) write(b *bytes.Buffer) {
	b.WriteString(`<w:pPr>`)
	if p.style != "" {
		b.WriteString(`<w:pStyle w:val="` + p.style + `"/>`)
	}
	if p.keepNext {
		b.WriteString(`<w:keepNext/>`)
	}
	if p.keepLines {
		b.WriteString(`<w:keepLines/>`)
	}
	if p.pageBefore {
		b.WriteString(`<w:pageBreakBefore/>`)
	}
	if p.numID > 0 {
		b.WriteString(`<w:numPr><w:ilvl w:val="` + strconv.Itoa(p.ilvl) + `"/><w:numId w:val="` + strconv.Itoa(p.numID) + `"/></w:numPr>`)
	}
	if p.border != "" {
		b.WriteString(`<w:pBdr>` + p.border + `</w:pBdr>`)
	}
	if p.shade != "" {
		b.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="` + p.shade + `"/>`)
	}
	if p.tabs != "" {
		b.WriteString(`<w:tabs>` + p.tabs + `</w:tabs>`)
	}
	if p.afterSet {
		b.WriteString(`<w:spacing w:after="` + strconv.Itoa(p.after) + `"/>`)
	}
	if p.indLeft > 0 {
		b.WriteString(`<w:ind w:left="` + strconv.Itoa(p.indLeft) + `"/>`)
	}
	if p.jc != "" {
		b.WriteString(`<w:jc w:val="` + p.jc + `"/>`)
	}
	b.WriteString(`</w:pPr>`)
}

func (p pPr) withAfter(twips int) pPr {
	p.after, p.afterSet = twips, true
	return p
}
