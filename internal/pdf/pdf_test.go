package pdf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"

	"github.com/policypack/policypack/internal/markdown"
	"github.com/policypack/policypack/internal/testtool"
)

// run runs an external checker (poppler-utils, qpdf) and returns its
// output; testtool decides what a missing one means (skip here, fail in CI).
func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(testtool.Path(t, name), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out.String(), errb.String())
	}
	return out.String()
}

// pagesText is the text of every page of a PDF, from one pdftotext run.
func pagesText(t testing.TB, path string, opts ...string) []string {
	t.Helper()
	args := append([]string{"-enc", "UTF-8"}, opts...)
	text := run(t, "pdftotext", append(args, path, "-")...)
	return strings.Split(strings.TrimSuffix(text, "\f"), "\f")
}

// rendered renders each test document once and writes it to a temp file
// for the external tools.
type rendered struct {
	name string
	doc  *markdown.Document
	pdf  []byte
	path string
}

func renderAll(t *testing.T) []rendered {
	t.Helper()
	dir := t.TempDir()
	var out []rendered
	for _, c := range []struct {
		file string
		form bool
	}{{"policy.md", false}, {"form.md", true}} {
		doc := loadDoc(t, c.file, c.form)
		b, err := Render(doc)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		p := filepath.Join(dir, strings.TrimSuffix(c.file, ".md")+".pdf")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, rendered{c.file, doc, b, p})
	}
	for i, bd := range builtDocs {
		doc := loadBuilt(t, i)
		b, err := Render(doc)
		if err != nil {
			t.Fatalf("%s: %v", bd.name, err)
		}
		p := filepath.Join(dir, strings.TrimSuffix(bd.name, ".md")+".pdf")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, rendered{bd.name, doc, b, p})
	}
	return out
}

func TestQpdfCheck(t *testing.T) {
	for _, r := range renderAll(t) {
		out := run(t, "qpdf", "--check", r.path)
		if !strings.Contains(out, "No syntax or stream encoding errors") {
			t.Errorf("%s: qpdf --check:\n%s", r.name, out)
		}
	}
}

func TestFontsEmbeddedAndSubset(t *testing.T) {
	for _, r := range renderAll(t) {
		out := run(t, "pdffonts", r.path)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) < 3 {
			t.Fatalf("%s: no fonts listed:\n%s", r.name, out)
		}
		for _, l := range lines[2:] {
			f := strings.Fields(l)
			// name type... emb sub uni object ID: emb, sub, uni are the
			// 3 fields before the last 2.
			if len(f) < 6 {
				t.Fatalf("%s: cannot read pdffonts line %q", r.name, l)
			}
			emb, sub, uni := f[len(f)-5], f[len(f)-4], f[len(f)-3]
			if emb != "yes" || sub != "yes" || uni != "yes" {
				t.Errorf("%s: font not embedded, subset and mapped to Unicode: %q", r.name, l)
			}
			if !regexp.MustCompile(`^[A-Z]{6}\+`).MatchString(f[0]) {
				t.Errorf("%s: font %s has no subset tag", r.name, f[0])
			}
		}
	}
}

// TestStylesRegisteredOnlyWhenUsed: a document must not embed (and pay
// for) faces it does not draw with.
func TestStylesRegisteredOnlyWhenUsed(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		doc  *markdown.Document
		want []string
	}{
		{"policy.md", loadDoc(t, "policy.md", false), []string{"liberationsansbold", "liberationsansbolditalic", "liberationsansitalic", "liberationmono", "liberationsans"}},
		{"form.md", loadDoc(t, "form.md", true), []string{"liberationsansbold", "liberationsans"}},
		{"built policy", loadBuilt(t, 0), []string{"liberationsansbold", "liberationsans"}},
		// The example form is a draft: its version line says so in the
		// regular face.
		{"built form, draft", loadBuilt(t, 2), []string{"liberationsans"}},
		{"built form", approved(loadBuilt(t, 2)), []string{"liberationsans"}},
	} {
		b, err := Render(c.doc)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "x.pdf")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range strings.Split(run(t, "pdffonts", p), "\n")[2:] {
			if f := strings.Fields(l); len(f) > 0 {
				got = append(got, f[0][strings.IndexByte(f[0], '+')+1:])
			}
		}
		sort.Strings(got)
		sort.Strings(c.want)
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%s: embedded faces %v, want %v", c.name, got, c.want)
		}
	}
}

// approved is doc with its policy approved and no review due.
func approved(doc *markdown.Document) *markdown.Document {
	m := doc.Meta
	m.State = markdown.StateApproved
	doc.Meta = m
	return doc
}

func TestPageSizeA4(t *testing.T) {
	for _, r := range renderAll(t) {
		out := run(t, "pdfinfo", "-l", "1000", r.path)
		n := 0
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "Page") && strings.Contains(l, "size:") {
				n++
				if !strings.Contains(l, "595.28 x 841.89 pts (A4)") {
					t.Errorf("%s: %s", r.name, l)
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: pdfinfo shows no page sizes:\n%s", r.name, out)
		}
	}
}

func TestMetadata(t *testing.T) {
	for _, r := range renderAll(t) {
		out := run(t, "pdfinfo", r.path)
		m := r.doc.Meta
		for _, want := range []string{
			"Title:           " + m.Title,
			"Author:          " + m.School,
			"Subject:         " + m.Subject,
			"Creator:         " + m.Creator,
		} {
			if !strings.Contains(out, want+"\n") {
				t.Errorf("%s: pdfinfo lacks %q:\n%s", r.name, want, out)
			}
		}
		date := "20000101"
		if !m.Created.IsZero() {
			date = m.Created.Format("20060102")
		}
		for _, key := range []string{"/CreationDate", "/ModDate"} {
			if want := key + " (D:" + date + "000000)"; !bytes.Contains(r.pdf, []byte(want)) {
				t.Errorf("%s: no %s", r.name, want)
			}
		}
		if !bytes.Contains(r.pdf, []byte("/Lang (en-GB)")) {
			t.Errorf("%s: catalog has no /Lang (en-GB)", r.name)
		}
	}
}

// docWords is every word of the document's text as the AST holds it: the
// words a reader of the Markdown body would expect to find in the PDF. The
// front matter is data beside the body (the title block prints its values
// from Meta; TestTitleBlock checks those), so only the body counts.
func docWords(doc *markdown.Document) []string {
	var b strings.Builder
	src := doc.Source
	_ = ast.Walk(doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			b.Write(markdown.Unescape(n.Value(src)))
			b.WriteByte(' ')
		case *ast.String:
			b.Write(n.Value)
			b.WriteByte(' ')
		case *ast.AutoLink:
			b.Write(n.Label(src))
			b.WriteByte(' ')
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				b.Write(seg.Value(src))
				b.WriteByte(' ')
			}
		case *markdown.FormBlock:
			for _, row := range n.Rows {
				for _, f := range row {
					b.WriteString(f.Label + " " + f.Value + " ")
					if f.Kind == markdown.FieldYesNo {
						b.WriteString("Yes No ")
					}
				}
			}
		case *markdown.PictureList:
			for _, it := range n.Items {
				b.WriteString(it.Text + " ")
			}
		case *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return words(b.String())
}

// words splits text into runs of letters and digits: punctuation, spaces
// and line breaks differ between Markdown and extracted PDF text, words
// must not.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func TestEveryWordIsInThePDF(t *testing.T) {
	for _, r := range renderAll(t) {
		text := run(t, "pdftotext", "-enc", "UTF-8", r.path, "-")
		have := map[string]int{}
		for _, w := range words(text) {
			have[w]++
		}
		want := map[string]int{}
		dw := docWords(r.doc)
		for _, w := range dw {
			want[w]++
		}
		if len(dw) < 50 {
			t.Fatalf("%s: only %d words in the test document", r.name, len(dw))
		}
		var missing []string
		for w, n := range want {
			if have[w] < n {
				missing = append(missing, fmt.Sprintf("%s (%d of %d)", w, have[w], n))
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s: words of the Markdown missing from pdftotext output: %v", r.name, missing)
		}
	}
}

// TestSchoolNameRoundTrips: Welsh letters and typographic punctuation in
// config must come out of the PDF exactly as they went in.
func TestSchoolNameRoundTrips(t *testing.T) {
	for _, r := range renderAll(t) {
		text := run(t, "pdftotext", "-enc", "UTF-8", "-f", "1", "-l", "1", r.path, "-")
		if !strings.Contains(text, r.doc.Meta.School) {
			t.Errorf("%s: page 1 lacks the school name %q:\n%s", r.name, r.doc.Meta.School, text)
		}
		info := run(t, "pdfinfo", r.path)
		if !strings.Contains(info, "Author:          "+r.doc.Meta.School+"\n") {
			t.Errorf("%s: metadata author is not %q:\n%s", r.name, r.doc.Meta.School, info)
		}
	}
	text := run(t, "pdftotext", "-enc", "UTF-8", renderAll(t)[0].path, "-")
	for _, s := range []string{"Łukasz Wróbel’s “Code Club”", "£5 or €6", "ŷ â ê î ô û ŵ", "Ł ł ą ę ć ń ó ś ź ż", "Bro Ŵyr — pupils"} {
		if !strings.Contains(text, s) {
			t.Errorf("policy: %q does not round-trip", s)
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, c := range []struct {
		file string
		form bool
	}{{"policy.md", false}, {"form.md", true}} {
		a, err := Render(loadDoc(t, c.file, c.form))
		if err != nil {
			t.Fatal(err)
		}
		b, err := Render(loadDoc(t, c.file, c.form))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders differ", c.file)
		}
	}
}

// The creation date is the document's time, which compose sets
// (SOURCE_DATE_EPOCH when the build had one); the renderer reads no
// environment.
func TestCreationDate(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1")
	doc := loadDoc(t, "form.md", true)
	doc.Meta.Created = time.Unix(1700000000, 0)
	b, err := Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("/CreationDate (D:20231114221320)")) {
		t.Errorf("the document's time is not the creation date")
	}
	doc = loadDoc(t, "form.md", true)
	doc.Meta.Created = time.Time{}
	if b, err = Render(doc); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("/CreationDate (D:20000101000000)")) {
		t.Errorf("no document time: want 1 January 2000")
	}
}

// headingTexts lists the document's headings in order: the title of its
// title block, "Contents" for its contents node, and the body's headings.
func headingTexts(doc *markdown.Document) (texts []string, levels []int) {
	_ = ast.Walk(doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch h := n.(type) {
		case *ast.Heading:
			texts = append(texts, strings.Join(words(string(doc.Text(h))), " "))
			levels = append(levels, h.Level)
		case *markdown.TitleBlock:
			texts = append(texts, strings.Join(words(doc.Meta.Title), " "))
			levels = append(levels, 1)
		case *markdown.Contents:
			texts = append(texts, markdown.ContentsTitle)
			levels = append(levels, 2)
		}
		return ast.WalkContinue, nil
	})
	return texts, levels
}

type outline struct {
	Title string    `json:"title"`
	Page  int       `json:"destpageposfrom1"`
	Kids  []outline `json:"kids"`
}

func flatten(os []outline, out *[]outline) {
	for _, o := range os {
		*out = append(*out, o)
		flatten(o.Kids, out)
	}
}

func TestOutlineHasEveryHeading(t *testing.T) {
	for _, r := range renderAll(t) {
		out := run(t, "qpdf", "--json", "--json-key=outlines", r.path)
		var j struct {
			Outlines []outline `json:"outlines"`
		}
		if err := json.Unmarshal([]byte(out), &j); err != nil {
			t.Fatal(err)
		}
		var flat []outline
		flatten(j.Outlines, &flat)
		pages := pagesText(t, r.path)
		texts, _ := headingTexts(r.doc)
		if len(flat) != len(texts) {
			t.Fatalf("%s: %d outline entries, %d headings", r.name, len(flat), len(texts))
		}
		for i, o := range flat {
			if got := strings.Join(words(o.Title), " "); got != texts[i] {
				t.Errorf("%s: outline entry %d is %q, heading is %q", r.name, i, got, texts[i])
			}
			if o.Page < 1 || o.Page > len(pages) {
				t.Fatalf("%s: outline entry %q points to page %d", r.name, texts[i], o.Page)
			}
			if !strings.Contains(strings.Join(words(pages[o.Page-1]), " "), texts[i]) {
				t.Errorf("%s: outline entry %q points to page %d, which does not show it", r.name, texts[i], o.Page)
			}
		}
	}
}

// TestTOCPagesAreTheHeadingsPages reads the contents page back and checks
// every entry's page number against the page the heading is printed on.
func TestTOCPagesAreTheHeadingsPages(t *testing.T) {
	for _, r := range renderAll(t) {
		if !r.doc.Meta.Form {
			t.Run(r.name, func(t *testing.T) { checkTOC(t, r) })
		}
	}
}

func checkTOC(t *testing.T, r rendered) {
	texts, levels := headingTexts(r.doc)
	pages := pagesText(t, r.path, "-layout")
	pageText := func(p int) string {
		if p < 1 || p > len(pages) {
			t.Fatalf("no page %d", p)
		}
		return pages[p-1]
	}
	// The contents run from page 1 to the page before the first entry's
	// page; an entry may wrap, its number on its last line.
	entry := regexp.MustCompile(`^\s*(.*?)\s+(\d+)\s*$`)
	got := map[string]int{}
	var order []string
	var toc string
	inTOC := false
	for p := 1; p == 1 || (len(order) > 0 && p < got[order[0]] && p < 5); p++ {
		text := pageText(p)
		toc += text
		pending := ""
		for _, l := range strings.Split(text, "\n") {
			if strings.TrimSpace(l) == "Contents" {
				inTOC = true
				continue
			}
			if !inTOC {
				continue
			}
			if m := entry.FindStringSubmatch(l); m != nil {
				key := strings.Join(words(pending+" "+m[1]), " ")
				got[key], _ = strconv.Atoi(m[2])
				order = append(order, key)
				pending = ""
			} else if strings.TrimSpace(l) == "" {
				pending = ""
			} else {
				pending += " " + l
			}
		}
	}
	checked := 0
	for i, h := range texts {
		if levels[i] > tocDepth || (i == 0 && h == r.doc.Meta.Title) || h == "Contents" {
			if _, ok := got[h]; ok {
				t.Errorf("%q (level %d) should not be in the contents", h, levels[i])
			}
			continue
		}
		p, ok := got[h]
		if !ok {
			t.Errorf("contents has no entry for %q:\n%s", h, toc)
			continue
		}
		page := strings.Join(words(pageText(p)), " ")
		if !strings.Contains(page, h) {
			t.Errorf("contents says %q is on page %d, but it is not:\n%s", h, p, page)
		}
		if p > 1 && strings.Contains(strings.Join(words(pageText(p-1)), " "), h) && !strings.Contains(strings.Join(words(toc), " "), h) {
			t.Errorf("%q is on page %d already, contents says %d", h, p-1, p)
		}
		checked++
	}
	if checked < 4 {
		t.Errorf("only %d contents entries checked", checked)
	}
}

func TestFormHasNoContents(t *testing.T) {
	r := renderAll(t)[1]
	text := run(t, "pdftotext", "-enc", "UTF-8", r.path, "-")
	if strings.Contains(text, "Contents") {
		t.Errorf("form has a table of contents:\n%s", text)
	}
	if n := strings.Count(text, "\f"); n != 1 {
		t.Errorf("one-page form has %d pages", n)
	}
}

func TestMissingGlyphs(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []rune
	}{
		{"Ysgol Gymraeg Bro Ŵyr", nil},
		{"ŵ ŷ â ê Ł ł £ € ‘’ “” – — …", nil},
		// Welsh, Romanian, Greek and Cyrillic names, the list bullets and
		// the symbols the forms and policies print.
		{"ẁ ẃ ẅ ỳ Ștefan Țărână Ελένη Олена Їжак • ◦ ▪ → − · № ™ ☺", nil},
		// Tick boxes and check marks, from the symbol face.
		{"☐ ☑ ☒ ✓ ✔ ✗", nil},
		{"tab\tand\nnewline", nil},
		{"smile 😀 twice 😀", []rune{0x1F600}},
		{"中文 and 😀", []rune{'中', '文', 0x1F600}},
		// Liberation Sans has Hebrew, but the faces are cut to the
		// repertoire: outside it is missing, whatever the full face has.
		{"שלום", []rune{'ש', 'ל', 'ו', 'ם'}},
		{"e\u0301", []rune{0x301}}, // a combining accent has no width of its own
		{"\u0007bell", []rune{7}},
	} {
		got := MissingGlyphs(c.in)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("MissingGlyphs(%q) = %U, want %U", c.in, got, c.want)
		}
	}
}

// TestUnprintableIsAnError: Render must refuse, never panic or drop, a
// character it cannot print, wherever it appears.
func TestUnprintableIsAnError(t *testing.T) {
	for _, c := range []struct {
		name string
		src  string
		meta func(*markdown.Meta)
	}{
		{"body", "Hello 😀 world\n", nil},
		{"heading", "## Café 😀\n\ntext\n", nil},
		{"table", "| a |\n|---|\n| 😀 |\n", nil},
		{"code", "Use `😀` here\n", nil},
		{"form", "Name 😀: ________\n", nil},
		{"school", "text\n", func(m *markdown.Meta) { m.School = "Ysgol 😀" }},
		{"next review", "text\n", func(m *markdown.Meta) { m.NextReview = "😀" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := testMeta(false)
			if c.meta != nil {
				c.meta(&m)
			}
			b, err := Render(markdown.Parse([]byte(c.src), m))
			if err == nil || !strings.Contains(err.Error(), "U+1F600") {
				t.Fatalf("err = %v (%d bytes), want an error naming U+1F600", err, len(b))
			}
		})
	}
}

func TestLogo(t *testing.T) {
	png := tinyPNG(t)
	m := testMeta(false)
	m.Logo, m.LogoType = png, "png"
	b, err := Render(markdown.Parse([]byte("# Online Safety Policy\n\nText.\n"), m))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("/Subtype /Image")) {
		t.Error("logo not drawn")
	}
	for _, c := range []struct {
		name string
		data []byte
		tp   string
	}{{"not an image", []byte("hello"), "png"}, {"wrong type", png, "jpg"}, {"unknown type", png, "gif"}} {
		m.Logo, m.LogoType = c.data, c.tp
		if _, err := Render(markdown.Parse([]byte("Text.\n"), m)); err == nil || !strings.Contains(err.Error(), "logo") {
			t.Errorf("%s: err = %v, want a logo error", c.name, err)
		}
	}
}

func TestConcurrentRendersAgree(t *testing.T) {
	want, err := Render(loadDoc(t, "policy.md", false))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := Render(loadDoc(t, "policy.md", false))
			if err == nil && !bytes.Equal(got, want) {
				err = fmt.Errorf("concurrent render differs")
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// TestEveryNodeKindHasAFunction keeps the registries honest: every block
// and inline kind the test document uses has its own layout function.
func TestEveryNodeKindHasAFunction(t *testing.T) {
	doc := loadDoc(t, "policy.md", false)
	seen := map[ast.NodeKind]bool{}
	_ = ast.Walk(doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			seen[n.Kind()] = true
		}
		return ast.WalkContinue, nil
	})
	for _, k := range []ast.NodeKind{ast.KindHeading, ast.KindList, ast.KindBlockquote, ast.KindThematicBreak,
		ast.KindFencedCodeBlock, extast.KindTable, markdown.KindPageBreak, markdown.KindFormBlock,
		ast.KindLink, ast.KindAutoLink, ast.KindCodeSpan, ast.KindEmphasis} {
		if !seen[k] {
			t.Errorf("test document has no %s node", k)
		}
	}
	for k := range seen {
		_, b := blockFuncs[k]
		_, i := inlineFuncs[k]
		if !b && !i && k != extast.KindTableHeader && k != extast.KindTableRow && k != extast.KindTableCell {
			t.Errorf("no layout function for %s", k)
		}
	}
}

// TestFontBytesUntouched: fpdf writes into the font bytes it is handed
// while subsetting; Render must hand it copies, so the process-wide fonts
// stay intact for the next document (and for concurrent ones).
func TestFontBytesUntouched(t *testing.T) {
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	var before [numStyles][]byte
	for st, fc := range faces {
		before[st] = bytes.Clone(fc.ttf)
	}
	for i := range builtDocs {
		if _, err := Render(loadBuilt(t, i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Render(loadDoc(t, "policy.md", false)); err != nil {
		t.Fatal(err)
	}
	for st, fc := range faces {
		if !bytes.Equal(before[st], fc.ttf) {
			t.Errorf("%s: font bytes changed by Render", fc.name)
		}
	}
}

// TestTitleBlock: page 1 shows the school, the title and the review fields
// that are recorded (never "not recorded"); a draft says DRAFT on its first
// page and in every page's header and footer, and claims no approval; an
// overdue policy says so on its title block only, not in its footer.
func TestTitleBlock(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name    string
		meta    func(*markdown.Meta)
		body    string
		want    []string
		notWant []string
	}{
		{"all recorded", nil, "", []string{"Version 2.1", "Approved by Full Governing Body", "Approved on 24 May 2026",
			"Next review due 24 May 2027", "Next review due: 24 May 2027"}, []string{"not recorded", "Last reviewed", "DRAFT"}},
		{"draft", func(m *markdown.Meta) {
			m.Version, m.ApprovedOn, m.NextReview, m.State = "", "", "", markdown.StateDraft
			m.ApprovedBy, m.Noun = "Full Governing Body", "procedure"
		}, "", []string{"DRAFT: not yet approved. This procedure is a proposal until it is approved",
			"To be approved by Full Governing Body", "DRAFT: not yet approved Page 1 of"},
			[]string{"not recorded", "Approved by", "Approved on", "Version", "Next review"}},
		{"overdue", func(m *markdown.Meta) { m.State = markdown.StateOverdue },
			"", []string{"Review overdue since 24 May 2027. This policy must be reviewed and approved again.", "Next review due: 24 May 2027 Page"}, []string{"(overdue)"}},
		{"due today", func(m *markdown.Meta) { m.State = markdown.StateDueToday },
			"", []string{"Review due today, 24 May 2027."}, nil},
	} {
		m := testMeta(false)
		if c.meta != nil {
			c.meta(&m)
		}
		b, err := Render(markdown.Parse([]byte("## One\n\nText.\n"), m))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "t.pdf")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		page1 := pagesText(t, p, "-layout")[0]
		norm := strings.Join(strings.Fields(page1), " ")
		for _, w := range append(c.want, m.School, m.Title) {
			if !strings.Contains(norm, w) {
				t.Errorf("%s: page 1 lacks %q:\n%s", c.name, w, page1)
			}
		}
		for _, w := range c.notWant {
			if strings.Contains(norm, w) {
				t.Errorf("%s: page 1 has %q:\n%s", c.name, w, page1)
			}
		}
	}
}

// TestDraftMarksEveryPage: each page after the first of a draft carries
// DRAFT in its header as well as its footer.
func TestDraftMarksEveryPage(t *testing.T) {
	m := testMeta(false)
	m.State, m.ApprovedOn = markdown.StateDraft, ""
	body := strings.Repeat("## Section\n\n"+strings.Repeat("A long paragraph of policy text. ", 60)+"\n\n", 6)
	b, err := Render(markdown.Parse([]byte(body), m))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "d.pdf")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	pages := pagesText(t, p, "-layout")
	if len(pages) < 3 {
		t.Fatalf("%d pages, want at least 3", len(pages))
	}
	for i, pg := range pages {
		lines := strings.Split(strings.TrimSpace(pg), "\n")
		if i > 0 && !strings.HasPrefix(strings.TrimSpace(lines[0]), "DRAFT") {
			t.Errorf("page %d header %q lacks DRAFT", i+1, lines[0])
		}
		if !strings.Contains(lines[len(lines)-1], "DRAFT") {
			t.Errorf("page %d footer %q lacks DRAFT", i+1, lines[len(lines)-1])
		}
	}
}

// TestLinks: every contents entry and internal link jumps to its heading,
// and external links are URI actions.
func TestLinks(t *testing.T) {
	doc := loadDoc(t, "policy.md", false)
	b, err := Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	texts, levels := headingTexts(doc)
	inTOC := 0
	for i := range texts {
		if i > 0 && levels[i] <= tocDepth && texts[i] != markdown.ContentsTitle {
			inTOC++
		}
	}
	// Annotations with a destination: one per contents entry plus the
	// document's one "#reporting-concerns" link. Outline entries use
	// "/Dest [" too, one per heading.
	dests := bytes.Count(b, []byte("/Dest ["))
	if want := inTOC + 1 + len(texts); dests != want {
		t.Errorf("%d destinations, want %d (contents %d + link 1 + outline %d)", dests, want, inTOC, len(texts))
	}
	for _, url := range []string{"https://www.gov.uk/government/publications/keeping-children-safe-in-education--2", "https://www.saferinternet.org.uk"} {
		if !bytes.Contains(b, []byte("/URI ("+url+")")) {
			t.Errorf("no link to %s", url)
		}
	}
}

// TestEveryFaceCuts: each face cuts to its repertoire, fpdf reads the cut
// back with the widths the layout measures for every character of it (the
// check cut makes), and the cut is much smaller than the face as published,
// which is what makes registering it once per document cheap.
func TestEveryFaceCuts(t *testing.T) {
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	for _, fc := range faces {
		if err := fc.cut(); err != nil {
			t.Errorf("%s: %v", fc.name, err)
			continue
		}
		if fc.ranges == nil && len(fc.cutset) < 1000 || float64(len(fc.ttf)) > 0.6*float64(len(fc.full)) {
			t.Errorf("%s: cut to %d characters in %d bytes from %d", fc.name, len(fc.cutset), len(fc.ttf), len(fc.full))
		}
	}
}

// TestSymbolsFallBack: a tick box or check mark in any text (body, bold, a
// table, a form label) prints from the symbol face, measured and drawn in
// a run of its own, and only a document that uses one embeds that face.
func TestSymbolsFallBack(t *testing.T) {
	src := "Tick ☐ or ☑ and **✓ bold** here.\n\n| a ✗ | b |\n|---|---|\n| ☒ | x |\n\nAgreed ✔: ______\n"
	b, err := Render(markdown.Parse([]byte(src), testMeta(false)))
	if err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, b)
	text := strings.Join(strings.Fields(run(t, "pdftotext", "-enc", "UTF-8", path, "-")), " ")
	for _, want := range []string{"Tick ☐ or ☑ and ✓ bold here.", "✗", "☒", "Agreed ✔:"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
	if fonts := run(t, "pdffonts", path); !strings.Contains(fonts, "+dejavusans ") {
		t.Errorf("the symbol face is not embedded:\n%s", fonts)
	}
	b, err = Render(markdown.Parse([]byte("No symbols.\n"), testMeta(false)))
	if err != nil {
		t.Fatal(err)
	}
	if fonts := run(t, "pdffonts", writeTemp(t, b)); strings.Contains(fonts, "dejavu") {
		t.Errorf("the symbol face is embedded in a document without symbols:\n%s", fonts)
	}
}
