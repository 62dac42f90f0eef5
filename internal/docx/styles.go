package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/policypack/policypack/internal/diag"
)

// defaultStyles is the built-in styles part. Text is Liberation Sans (Arial
// where it is missing: the two have the same metrics), as the PDF's body
// text is a sans-serif, with the PDF's sizes and colours. Heading styles
// carry outline levels, so Word's navigation pane and its own table of
// contents find every heading.
var defaultStyles = xmlHeader + `<w:styles xmlns:w="` + nsW + `">` +
	`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Liberation Sans" w:hAnsi="Liberation Sans" w:eastAsia="Liberation Sans" w:cs="Liberation Sans"/>` +
	`<w:color w:val="191919"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl/></w:pPr></w:style>` +
	`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>` +
	`<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:semiHidden/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:spacing w:before="120" w:after="240" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val="17365D"/><w:sz w:val="48"/><w:szCs w:val="48"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val="17365D"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>` +
	headingStyle(1, 28, "17365D", false, 340, 113) +
	headingStyle(2, 24, "191919", false, 255, 85) +
	headingStyle(3, 21, "191919", true, 198, 57) +
	headingStyle(4, 21, "191919", true, 198, 57) +
	headingStyle(5, 21, "191919", true, 198, 57) +
	headingStyle(6, 21, "191919", true, 198, 57) +
	`<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>` +
	`<w:pPr><w:keepNext/><w:spacing w:before="340" w:after="170"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val="17365D"/><w:sz w:val="30"/><w:szCs w:val="30"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/>` +
	`<w:pPr><w:spacing w:before="120" w:after="20"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TOC2"><w:name w:val="toc 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/>` +
	`<w:pPr><w:spacing w:after="20"/><w:ind w:left="340"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TOC3"><w:name w:val="toc 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/>` +
	`<w:pPr><w:spacing w:after="20"/><w:ind w:left="680"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:spacing w:after="60"/><w:ind w:left="454"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:pBdr><w:left w:val="single" w:sz="18" w:space="8" w:color="A5A5A5"/></w:pBdr><w:ind w:left="340"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Notice"><w:name w:val="Notice"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:pBdr><w:top w:val="single" w:sz="8" w:space="4" w:color="A01414"/><w:left w:val="single" w:sz="8" w:space="4" w:color="A01414"/>` +
	`<w:bottom w:val="single" w:sz="8" w:space="4" w:color="A01414"/><w:right w:val="single" w:sz="8" w:space="4" w:color="A01414"/></w:pBdr>` +
	`<w:shd w:val="clear" w:color="auto" w:fill="FCE8E8"/><w:spacing w:before="160" w:after="160"/><w:ind w:left="113" w:right="113"/></w:pPr>` +
	`<w:rPr><w:color w:val="A01414"/><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="SourceCode"><w:name w:val="Source Code"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/><w:spacing w:line="240" w:lineRule="auto"/></w:pPr>` +
	`<w:rPr><w:rFonts w:ascii="Liberation Mono" w:hAnsi="Liberation Mono" w:cs="Liberation Mono"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableSpacer"><w:name w:val="Table Spacer"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:after="0" w:line="160" w:lineRule="exact"/></w:pPr><w:rPr><w:sz w:val="12"/><w:szCs w:val="12"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="FormText"><w:name w:val="Form Text"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:after="20" w:line="240" w:lineRule="auto"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="DocumentInfo"><w:name w:val="Document Info"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:after="200"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:pBdr><w:bottom w:val="single" w:sz="4" w:space="2" w:color="A5A5A5"/></w:pBdr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>` +
	`<w:rPr><w:color w:val="696969"/><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:pBdr><w:top w:val="single" w:sz="4" w:space="4" w:color="A5A5A5"/></w:pBdr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>` +
	`<w:rPr><w:color w:val="696969"/><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr></w:style>` +
	`<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:color w:val="0054A6"/><w:u w:val="single"/></w:rPr></w:style>` +
	`<w:style w:type="character" w:styleId="VerbatimChar"><w:name w:val="Verbatim Char"/><w:basedOn w:val="DefaultParagraphFont"/>` +
	`<w:rPr><w:rFonts w:ascii="Liberation Mono" w:hAnsi="Liberation Mono" w:cs="Liberation Mono"/><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr></w:style>` +
	`</w:styles>`

// headingStyle is Word's built-in "heading N" style (the name Word knows
// it by), kept with the next paragraph, at outline level N.
func headingStyle(n, size int, colour string, italic bool, before, after int) string {
	ns, sz := fmt.Sprint(n), fmt.Sprint(size)
	it := ""
	if italic {
		it = `<w:i/><w:iCs/>`
	}
	return `<w:style w:type="paragraph" w:styleId="Heading` + ns + `"><w:name w:val="heading ` + ns + `"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
		`<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="` + fmt.Sprint(before) + `" w:after="` + fmt.Sprint(after) + `"/><w:outlineLvl w:val="` + fmt.Sprint(n-1) + `"/></w:pPr>` +
		`<w:rPr><w:b/><w:bCs/>` + it + `<w:color w:val="` + colour + `"/><w:sz w:val="` + sz + `"/><w:szCs w:val="` + sz + `"/></w:rPr></w:style>`
}

// StyleIDs are the styles the renderer refers to. A reference document's
// styles part must define each of them (Word would show the text in
// Normal otherwise, silently losing the headings' outline levels).
var StyleIDs = []string{
	"Normal", "Title", "Subtitle", "Heading1", "Heading2", "Heading3", "Heading4", "Heading5", "Heading6",
	"TOCHeading", "TOC1", "TOC2", "TOC3", "ListParagraph", "Quote", "Notice", "SourceCode", "TableText",
	"TableSpacer", "FormText", "DocumentInfo", "Header", "Footer", "Hyperlink", "VerbatimChar",
}

// DefaultStyles returns the built-in styles part, the starting point for a
// trust's own reference document.
func DefaultStyles() []byte { return []byte(defaultStyles) }

// StylesFromReference reads the styles part (word/styles.xml) of a
// reference .docx, a trust's house style saved from Word, and checks that
// it defines every style the renderer uses. name is the file's name for
// errors, which are *diag.Error.
func StylesFromReference(name string, data []byte) ([]byte, error) {
	const resave = `open it in Word and save it as "Word Document (*.docx)"`
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &diag.Error{File: name, Msg: "not a Word document (.docx): " + err.Error(), Hint: resave}
	}
	var styles []byte
	for _, f := range zr.File {
		if f.Name != "word/styles.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, &diag.Error{File: name, Msg: "word/styles.xml: " + err.Error(), Hint: resave}
		}
		styles, err = io.ReadAll(io.LimitReader(rc, 16<<20))
		rc.Close()
		if err != nil {
			return nil, &diag.Error{File: name, Msg: "word/styles.xml: " + err.Error(), Hint: resave}
		}
	}
	if styles == nil {
		return nil, &diag.Error{File: name, Msg: "has no styles part (word/styles.xml)", Hint: resave}
	}
	ids, err := styleIDs(styles)
	if err != nil {
		return nil, &diag.Error{File: name, Msg: "word/styles.xml: " + err.Error(), Hint: resave}
	}
	var missing []string
	for _, id := range StyleIDs {
		if !ids[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return nil, &diag.Error{File: name, Msg: "word/styles.xml lacks the styles " + strings.Join(missing, ", "),
			Hint: "start from a Word document policypack built: change its styles in Word (Home › Styles › Modify) and save it as the reference"}
	}
	return styles, nil
}

// styleIDs lists the w:styleId of every style in a styles part.
func styleIDs(data []byte) (map[string]bool, error) {
	ids := map[string]bool{}
	d := xml.NewDecoder(bytes.NewReader(data))
	root := true
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return ids, nil
		}
		if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root {
			if se.Name.Space != nsW || se.Name.Local != "styles" {
				return nil, fmt.Errorf("the root element is %s, not w:styles", se.Name.Local)
			}
			root = false
		}
		if se.Name.Space == nsW && se.Name.Local == "style" {
			for _, a := range se.Attr {
				if a.Name.Space == nsW && a.Name.Local == "styleId" {
					ids[a.Value] = true
				}
			}
		}
	}
}
