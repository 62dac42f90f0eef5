package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"

	"github.com/policypack/policypack/internal/markdown"
)

// testPNG is a small logo, wider than tall.
func testPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 60, 30))
	for x := 0; x < 60; x++ {
		for y := 0; y < 30; y++ {
			img.Set(x, y, color.RGBA{23, 54, uint8(93 + x), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// body renders src as a policy and returns word/document.xml.
func body(t *testing.T, src string) string {
	t.Helper()
	_, parts := render(t, parse(src, testMeta(false)))
	return parts["word/document.xml"]
}

func wantIn(t *testing.T, what, xml string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if !strings.Contains(xml, f) {
			t.Errorf("%s: %q missing", what, f)
		}
	}
}

func wantNotIn(t *testing.T, what, xml string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if strings.Contains(xml, f) {
			t.Errorf("%s: %q should not be there", what, f)
		}
	}
}

// TestEveryXMLPartIsWellFormed parses every part of a document with every
// node kind.
func TestEveryXMLPartIsWellFormed(t *testing.T) {
	meta := testMeta(false)
	meta.Logo, meta.LogoType = testPNG(t), "png"
	_, parts := render(t, parse(everyKind, meta))
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
		"word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml", "word/numbering.xml",
		"word/settings.xml", "word/fontTable.xml", "word/header1.xml", "word/header2.xml", "word/footer1.xml"} {
		data, ok := parts[name]
		if !ok {
			t.Errorf("part %s missing", name)
			continue
		}
		d := xml.NewDecoder(strings.NewReader(data))
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Errorf("%s: %v", name, err)
				break
			}
		}
	}
	if _, ok := parts["word/media/logo.png"]; !ok {
		t.Error("logo part missing")
	}
}

func TestHeadings(t *testing.T) {
	x := body(t, "## Aims {#aims}\n\nText\n\n### Scope {#scope}\n\n##### Deep {#deep}\n")
	// "##" is Word's Heading 1; "#####" under "###" is one level down,
	// not three, so Word's outline has no gaps.
	wantIn(t, "headings", x,
		`<w:pStyle w:val="Heading1"/>`, `<w:pStyle w:val="Heading2"/>`, `<w:pStyle w:val="Heading3"/>`,
		`<w:bookmarkStart w:id="0" w:name="title"/>`, `<w:bookmarkStart w:id="1" w:name="aims"/>`, `<w:bookmarkStart w:id="2" w:name="scope"/>`)
	wantNotIn(t, "headings", x, `Heading4`)
	// The title is the title block's, written once.
	if n := strings.Count(x, "Online Safety Policy"); n != 1 {
		t.Errorf("title written %d times", n)
	}
	wantIn(t, "title", x, `<w:pStyle w:val="Title"/>`)
}

func TestBookmarkNames(t *testing.T) {
	used := map[string]bool{}
	for _, tt := range []struct{ id, want string }{
		{"roles-governing-board", "roles_governing_board"},
		{"roles_governing_board", "roles_governing_board_2"},
		{"1-intro", "h_1_intro"},
		{"ysgol-ŵyr", "ysgol__yr"},
		{strings.Repeat("a", 50), strings.Repeat("a", 40)},
		{strings.Repeat("a", 45), strings.Repeat("a", 38) + "_2"},
	} {
		if got := bookmarkName(tt.id, used); got != tt.want {
			t.Errorf("bookmarkName(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

func TestInlines(t *testing.T) {
	x := body(t, "# T\n\nPlain **bold** *italic* `code` [web](https://example.org/?a=1&b=2) [mail](mailto:a@example.org) "+
		"[bad](javascript:alert(1)) [data](data:text/html,x) [to aims](#aims) [nowhere](#nowhere) ![alt words](https://tracker.example/p.png) a &amp; b\\\nnext\n\n## Aims {#aims}\n")
	wantIn(t, "inlines", x,
		`<w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">bold</w:t>`,
		`<w:i/><w:iCs/></w:rPr><w:t xml:space="preserve">italic</w:t>`,
		`<w:rStyle w:val="VerbatimChar"/></w:rPr><w:t xml:space="preserve">code</w:t>`,
		`<w:hyperlink w:anchor="aims" w:history="1">`,
		`<w:t xml:space="preserve">alt words</w:t>`,
		`a &amp; b`, `<w:br/>`)
	wantNotIn(t, "inlines", x, `javascript`, `data:text`, `tracker.example`, `w:anchor="nowhere"`)
	_, parts := render(t, parse("# T\n\n[web](https://example.org/?a=1&b=2) [again](https://example.org/?a=1&b=2) [mail](mailto:a@example.org)\n", testMeta(false)))
	rels := parts["word/_rels/document.xml.rels"]
	wantIn(t, "link relationships", rels, `Target="https://example.org/?a=1&amp;b=2" TargetMode="External"`, `Target="mailto:a@example.org" TargetMode="External"`)
	if n := strings.Count(rels, "example.org/?a=1"); n != 1 {
		t.Errorf("one address gets %d relationships, want 1", n)
	}
}

func TestLists(t *testing.T) {
	_, parts := render(t, parse("# T\n\n- a\n- b\n    1. one\n    2. two\n\n3. three\n4. four\n\ntext\n\n1. again\n", testMeta(false)))
	x, num := parts["word/document.xml"], parts["word/numbering.xml"]
	wantIn(t, "lists", x,
		`<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>`,
		`<w:numPr><w:ilvl w:val="1"/><w:numId w:val="2"/></w:numPr>`,
		`<w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr>`,
		`<w:numPr><w:ilvl w:val="0"/><w:numId w:val="4"/></w:numPr>`)
	// Every ordered list restarts at its own first number.
	wantIn(t, "numbering", num,
		`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`,
		`<w:num w:numId="2"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/>`,
		`<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/>`,
		`<w:num w:numId="4"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>`,
		`<w:lvlText w:val="•"/>`, `<w:lvlText w:val="%1."/>`)
}

func TestTable(t *testing.T) {
	x := body(t, "# T\n\n| Role | Name |\n|---|--:|\n| Head | A |\n| DSL | B |\n")
	wantIn(t, "table", x, `<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`, `<w:jc w:val="right"/>`, `w:fill="E2E9F2"`)
	if n := strings.Count(x, `<w:tblHeader/>`); n != 1 {
		t.Errorf("%d header rows, want 1", n)
	}
	if n := strings.Count(x, `<w:cantSplit/>`); n < 3 {
		t.Errorf("%d rows that cannot split, want every row", n)
	}
}

func TestBlockQuoteBreakCode(t *testing.T) {
	x := body(t, "# T\n\n> quoted\n\ntext\n\n<!-- pagebreak -->\n\n```\n  a  b\n```\n\n---\n")
	wantIn(t, "blocks", x, `<w:pStyle w:val="Quote"/>`, `<w:br w:type="page"/>`,
		`<w:pStyle w:val="SourceCode"/><w:keepLines/>`, `<w:t xml:space="preserve">  a  b</w:t>`, `<w:pBdr><w:bottom`)
	wantNotIn(t, "blocks", x, `pagebreak`)
}

func TestFormBlock(t *testing.T) {
	_, parts := render(t, parse("# Consent form\n\nI agree to the above.\n\nPupil name: ___ Zoë Example ______\nPhotos: [ ] Yes [ ] No\nSignature: __________ Date: ______\n", testMeta(true)))
	x := parts["word/document.xml"]
	wantIn(t, "form", x, `Pupil name:`, `Zoë Example`, `☐`+"\u00a0"+`Yes`, `Signature:`, `Date:`,
		`<w:tcBorders><w:bottom w:val="single"`)
	// The sentence being signed and every row but the last keep with
	// what follows: the signature block is never split from it.
	i := strings.Index(x, "I agree")
	if p := strings.LastIndex(x[:i], "<w:p>"); !strings.Contains(x[p:i], "<w:keepNext/>") {
		t.Error("the paragraph before the form does not keep with it")
	}
	if n := strings.Count(x, `<w:pStyle w:val="FormText"/><w:keepNext/>`); n == 0 {
		t.Error("form rows do not keep together")
	}
	// A form has no contents list.
	wantNotIn(t, "form", x, `TOCHeading`)
}

func TestTitleBlockAndContents(t *testing.T) {
	m := testMeta(false)
	m.State, m.NextReview = markdown.StateOverdue, "1 May 2024"
	m.Front.Contents = []markdown.Entry{{ID: "aims", Number: "1", Title: "Aims", Level: 1}, {ID: "gone", Number: "2", Title: "Gone", Level: 1}}
	_, parts := render(t, parse("Text before.\n\n## 1. Aims {#aims}\n\nText, see [the contents](#contents).\n", m))
	x := parts["word/document.xml"]
	// The title block is laid out from the record, not from the
	// Markdown compose wrote for it.
	wantIn(t, "title block", x, `<w:pStyle w:val="Subtitle"/>`, `Ysgol Gymraeg Bro Ŵyr – “Ein Hysgol” (Łódź twinning)`,
		`Approved by`, `Full Governing Body`,
		`<w:pStyle w:val="Notice"/></w:pPr><w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">Review overdue since 1 May 2024.</w:t>`,
		`<w:pStyle w:val="TOCHeading"/>`, `<w:pStyle w:val="TOC1"/></w:pPr><w:hyperlink w:anchor="aims"`,
		`<w:hyperlink w:anchor="contents"`, `<w:br w:type="page"/>`)
	// An entry with no heading is text, not a link to nowhere.
	wantIn(t, "contents", x, `<w:t xml:space="preserve">2. Gone</w:t>`)
	wantNotIn(t, "contents", x, `w:anchor="gone"`)
	// Only what is recorded is printed.
	wantNotIn(t, "title block", x, `not recorded`, `Last reviewed`)
	if i, j := strings.Index(x, "Review overdue"), strings.Index(x, "Text before."); i < 0 || j < i {
		t.Error("the title block is not first")
	}
	m.Form = true
	_, parts = render(t, parse("Text\n", m))
	wantNotIn(t, "form", parts["word/document.xml"], `TOCHeading`, `<w:br w:type="page"/>`)
}

func TestHeaderFooter(t *testing.T) {
	_, parts := render(t, parse("# T\n\ntext\n", testMeta(false)))
	wantIn(t, "header", parts["word/header1.xml"], `Ysgol Gymraeg Bro Ŵyr`, `Online Safety Policy`)
	f := parts["word/footer1.xml"]
	wantIn(t, "footer", f, `Next review due: `, `24 May 2027`, `> PAGE <`, `> NUMPAGES <`, `w:fldCharType="begin"`)
	wantIn(t, "sections", parts["word/document.xml"], `<w:titlePg/>`, `<w:pgSz w:w="11906" w:h="16838"/>`)

	m := testMeta(false)
	m.State = markdown.StateDraft
	_, parts = render(t, parse("# T\n", m))
	wantIn(t, "draft footer", parts["word/footer1.xml"], `DRAFT`)
	m = testMeta(false)
	m.State = markdown.StateOverdue
	_, parts = render(t, parse("# T\n", m))
	// Overdue is for the title block and the dashboard, not every page.
	wantIn(t, "overdue footer", parts["word/footer1.xml"], `24 May 2027`)
	wantNotIn(t, "overdue footer", parts["word/footer1.xml"], `overdue`)
	// A form's footer carries its version line, never a review date.
	m = testMeta(true)
	_, parts = render(t, parse("# T\n", m))
	wantNotIn(t, "form footer", parts["word/footer1.xml"], `review`)
}

func TestCoreProperties(t *testing.T) {
	_, parts := render(t, parse("# T\n", testMeta(false)))
	wantIn(t, "core", parts["docProps/core.xml"], `<dc:title>Online Safety Policy</dc:title>`,
		`<dc:creator>Ysgol Gymraeg Bro Ŵyr – “Ein Hysgol” (Łódź twinning)</dc:creator>`,
		`<dc:subject>How the school keeps pupils safe online</dc:subject>`, `<dc:language>en-GB</dc:language>`,
		`<dcterms:created xsi:type="dcterms:W3CDTF">2026-05-24T00:00:00Z</dcterms:created>`)
	// The document's time is what compose set (SOURCE_DATE_EPOCH when the
	// build had one); the renderer reads no environment.
	t.Setenv("SOURCE_DATE_EPOCH", "1")
	m := testMeta(false)
	m.Created = time.Unix(1700000000, 0)
	_, parts = render(t, parse("# T\n", m))
	wantIn(t, "core", parts["docProps/core.xml"], `2023-11-14T22:13:20Z`)
	m.Created = time.Time{}
	_, parts = render(t, parse("# T\n", m))
	wantIn(t, "core", parts["docProps/core.xml"], `2000-01-01T00:00:00Z`)
}

// TestDeterministic: the same document gives the same bytes, whatever the
// clock says, rendered one after another or at the same time.
func TestDeterministic(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "")
	doc := loadBuilt(t, 0)
	first, err := Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([][]byte, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = Render(loadBuilt(t, 0))
		}()
	}
	wg.Wait()
	for i, r := range results {
		if !bytes.Equal(r, first) {
			t.Fatalf("render %d differs from the first", i)
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(first), int64(len(first)))
	if err != nil {
		t.Fatal(err)
	}
	if zr.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first entry is %s, want [Content_Types].xml", zr.File[0].Name)
	}
	date := documentDate(doc.Meta.Created)
	for _, f := range zr.File {
		if !f.Modified.Equal(date) {
			t.Errorf("%s: modified %v, want the document's date", f.Name, f.Modified)
		}
	}
}

// TestTextIsNeverMarkup: text from config and Markdown with XML's special
// characters and characters XML cannot carry stays text.
func TestTextIsNeverMarkup(t *testing.T) {
	m := testMeta(false)
	m.School = `St <Mary's> & "All" ]]></w:t></w:r><w:r><w:t>Saints` + "\x01"
	m.Title = `Policy </dc:title><evil/>`
	_, parts := render(t, parse("# Policy </dc:title><evil/>\n\n5 < 6 & \"quotes\" ]]> <w:p>\n", m))
	for name, data := range parts {
		if !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".rels") {
			continue
		}
		if strings.Contains(data, "<evil/>") || strings.Contains(data, "Saints\x01") || strings.Contains(data, "<w:p>\n") {
			t.Errorf("%s: text became markup", name)
		}
		d := xml.NewDecoder(strings.NewReader(data))
		for {
			if _, err := d.Token(); err != nil {
				if err != io.EOF {
					t.Errorf("%s: %v", name, err)
				}
				break
			}
		}
	}
	// The school's name prints with the typographer's quotes, as in the
	// body (internal/markdown), and escaped.
	wantIn(t, "escaped", parts["word/header1.xml"], `St &lt;Mary’s&gt; &amp; “All”`)
}

func TestLogo(t *testing.T) {
	m := testMeta(false)
	m.Logo, m.LogoType = testPNG(t), "png"
	_, parts := render(t, parse("# T\n", m))
	wantIn(t, "logo", parts["word/document.xml"], `<a:blip r:embed="rId8"/>`, `<wp:extent cx="1296000" cy="648000"/>`)
	wantIn(t, "logo rel", parts["word/_rels/document.xml.rels"], `Id="rId8" Type="`+relImage+`" Target="media/logo.png"`)
	m.LogoType = "jpg"
	if _, err := Render(parse("# T\n", m)); err == nil {
		t.Error("a PNG logo said to be a JPEG was accepted")
	}
	m.Logo = []byte("not an image")
	if _, err := Render(parse("# T\n", m)); err == nil || !strings.Contains(err.Error(), "logo") {
		t.Errorf("a broken logo: err = %v", err)
	}
}

func TestEveryNodeKindHasAFunction(t *testing.T) {
	doc := parse(everyKind, testMeta(false))
	_ = ast.Walk(doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		k := n.Kind()
		_, block := blockFuncs[k]
		_, inline := inlineFuncs[k]
		switch k {
		case ast.KindTextBlock, extast.KindTableHeader, extast.KindTableRow, extast.KindTableCell:
			// Written by their parent's function.
		default:
			if !block && !inline {
				t.Errorf("node kind %s has no function", k)
			}
		}
		return ast.WalkContinue, nil
	})
}

func TestStylesFromReference(t *testing.T) {
	data, _ := render(t, parse("# T\n", testMeta(false)))
	styles, err := StylesFromReference("reference.docx", data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(styles, DefaultStyles()) {
		t.Error("styles read back differ from the built-in styles")
	}
	own := bytes.Replace(styles, []byte(`w:val="17365D"`), []byte(`w:val="006400"`), -1)
	out, err := Options{Styles: own}.Render(parse("# T\n", testMeta(false)))
	if err != nil {
		t.Fatal(err)
	}
	wantIn(t, "trust styles", unzip(t, out)["word/styles.xml"], `006400`)

	if _, err := StylesFromReference("ref.docx", []byte("not a zip")); err == nil || !strings.Contains(err.Error(), "ref.docx") {
		t.Errorf("not a docx: err = %v", err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/styles.xml")
	_, _ = w.Write([]byte(`<w:styles xmlns:w="` + nsW + `"><w:style w:styleId="Normal"/></w:styles>`))
	_ = zw.Close()
	if _, err := StylesFromReference("ref.docx", buf.Bytes()); err == nil || !strings.Contains(err.Error(), "Heading1") {
		t.Errorf("styles missing: err = %v", err)
	}
}

// TestPictureList: a young child's rules keep their words in Word, as a
// bulleted list in large type kept on one page (the pictures are the PDF's
// and the HTML's for now).
func TestPictureList(t *testing.T) {
	x := body(t, "# T\n\n- [picture: ask] I ask a grown-up first.\n- [picture: kind] I am kind online.\n")
	wantIn(t, "picture list", x,
		`<w:keepNext/>`, `<w:numId w:val="1"/>`, `<w:sz w:val="32"/>`,
		`>I ask a grown-up first.</w:t>`, `>I am kind online.</w:t>`)
	wantNotIn(t, "picture list", x, "[picture:")
}
