package docx

import (
	"bytes"
	"strconv"
)

// numInstance is one w:num of the numbering part: the shared bullet
// definition, or an ordered list restarting at its own first number.
type numInstance struct {
	ordered bool
	ilvl    int // the level an ordered list's start applies to
	start   int
}

// bulletNum returns the numbering id every bullet list shares (a bullet
// list has nothing to restart).
func (r *renderer) bulletNum() int {
	for i, n := range r.nums {
		if !n.ordered {
			return i + 1
		}
	}
	r.nums = append(r.nums, numInstance{})
	return len(r.nums)
}

// orderedNum returns a new numbering id for an ordered list at depth,
// starting at start: each list restarts rather than continuing the last.
func (r *renderer) orderedNum(depth, start int) int {
	r.nums = append(r.nums, numInstance{ordered: true, ilvl: depth, start: start})
	return len(r.nums)
}

// bulletChars are the bullets by nesting depth, as in the PDF.
var bulletChars = []string{"•", "◦", "▪"}

// numberingXML is the numbering part: two abstract definitions (bullets;
// decimal numbers) with nine levels indented in steps, and one instance
// per list.
func (r *renderer) numberingXML() []byte {
	var b bytes.Buffer
	b.WriteString(xmlHeader + `<w:numbering xmlns:w="` + nsW + `">`)
	for a := 0; a < 2; a++ {
		b.WriteString(`<w:abstractNum w:abstractNumId="` + strconv.Itoa(a) + `"><w:multiLevelType w:val="hybridMultilevel"/>`)
		for l := 0; l < 9; l++ {
			ls := strconv.Itoa(l)
			b.WriteString(`<w:lvl w:ilvl="` + ls + `"><w:start w:val="1"/>`)
			if a == 0 {
				b.WriteString(`<w:numFmt w:val="bullet"/><w:lvlText w:val="` + bulletChars[l%len(bulletChars)] + `"/>`)
			} else {
				b.WriteString(`<w:numFmt w:val="decimal"/><w:lvlText w:val="%` + strconv.Itoa(l+1) + `."/>`)
			}
			b.WriteString(`<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="` + strconv.Itoa(listIndent(l)) + `" w:hanging="340"/></w:pPr>`)
			if a == 0 {
				b.WriteString(`<w:rPr><w:rFonts w:ascii="Liberation Sans" w:hAnsi="Liberation Sans" w:cs="Liberation Sans"/></w:rPr>`)
			}
			b.WriteString(`</w:lvl>`)
		}
		b.WriteString(`</w:abstractNum>`)
	}
	for i, n := range r.nums {
		id := strconv.Itoa(i + 1)
		if !n.ordered {
			b.WriteString(`<w:num w:numId="` + id + `"><w:abstractNumId w:val="0"/></w:num>`)
			continue
		}
		b.WriteString(`<w:num w:numId="` + id + `"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="` + strconv.Itoa(n.ilvl) +
			`"><w:startOverride w:val="` + strconv.Itoa(n.start) + `"/></w:lvlOverride></w:num>`)
	}
	b.WriteString(`</w:numbering>`)
	return b.Bytes()
}
