package docx

import (
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"testing"
)

// childOrder is the order ECMA-376 (Part 1, WordprocessingML) gives the
// children of the property elements policypack writes. Word reports a
// file whose properties are out of order as damaged, while LibreOffice and
// pandoc read it, so the round trip alone would not catch it.
var childOrder = map[string][]string{
	"pPr": {"pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr", "suppressLineNumbers",
		"pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
		"autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
		"suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
		"rPr", "sectPr", "pPrChange"},
	"rPr": {"rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
		"emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position",
		"sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
		"eastAsianLayout", "specVanish", "oMath"},
	"tblPr": {"tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
		"tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription"},
	"tcPr": {"cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection",
		"tcFitText", "vAlign", "hideMark"},
	"sectPr": {"headerReference|footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
		"pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection",
		"bidi", "rtlGutter", "docGrid", "printerSettings"},
	"style": {"name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority", "semiHidden",
		"unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose", "personalReply", "rsid", "pPr", "rPr",
		"tblPr", "trPr", "tcPr", "tblStylePr"},
	"lvl":        {"start", "numFmt", "lvlRestart", "pStyle", "isLgl", "suff", "lvlText", "lvlPicBulletId", "legacy", "lvlJc", "pPr", "rPr"},
	"tblBorders": {"top", "left", "start", "bottom", "right", "end", "insideH", "insideV"},
	"pBdr":       {"top", "left", "bottom", "right", "between", "bar"},
	"tcBorders":  {"top", "left", "start", "bottom", "right", "end", "insideH", "insideV", "tl2br", "tr2bl"},
	"tblCellMar": {"top", "left", "start", "bottom", "right", "end"},
}

func rank(order []string, name string) int {
	return slices.IndexFunc(order, func(s string) bool { return slices.Contains(strings.Split(s, "|"), name) })
}

// checkOrder reports every property element of data whose children are
// out of the schema's order or unknown to it.
func checkOrder(t *testing.T, part string, data string) {
	t.Helper()
	type open struct {
		name string
		last int // rank of the last child seen
	}
	var stack []open
	d := xml.NewDecoder(strings.NewReader(data))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("%s: %v", part, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if n := len(stack); n > 0 && tok.Name.Space == nsW {
				if order, ok := childOrder[stack[n-1].name]; ok {
					r := rank(order, tok.Name.Local)
					switch {
					case r < 0:
						t.Errorf("%s: w:%s in w:%s is not in the schema's list", part, tok.Name.Local, stack[n-1].name)
					case r < stack[n-1].last:
						t.Errorf("%s: w:%s comes after a later sibling in w:%s", part, tok.Name.Local, stack[n-1].name)
					default:
						stack[n-1].last = r
					}
				}
			}
			stack = append(stack, open{name: tok.Name.Local})
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

func TestSchemaOrder(t *testing.T) {
	meta := everyKindMeta()
	meta.Logo, meta.LogoType = testPNG(t), "png"
	var files [][]byte
	single, err := Render(parse(everyKind, meta))
	if err != nil {
		t.Fatal(err)
	}
	book, err := RenderBook(loadBuilt(t, 2).Meta, bookDocs(t), true)
	if err != nil {
		t.Fatal(err)
	}
	tracked, err := RenderTracked(testTracked)
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, single, book, tracked)
	for _, f := range files {
		for name, data := range unzip(t, f) {
			if strings.HasSuffix(name, ".xml") && strings.HasPrefix(name, "word/") {
				checkOrder(t, name, data)
			}
		}
	}
}
