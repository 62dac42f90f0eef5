package docx

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/policypack/policypack/internal/markdown"
	"github.com/policypack/policypack/internal/testtool"
)

var testTracked = Tracked{
	Title: "Changes to Online Safety Policy", School: "Robert Miles Infant School",
	Intro:  []string{"From: approved 24 May 2024", "To: working tree", "1 section changed"},
	Footer: "Redline of the Online Safety Policy",
	Author: "policypack", Date: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
	Sections: []TrackedSection{
		{Heading: "1. About this policy", Level: 2, Note: "unchanged"},
		{Heading: "2. Aims", Level: 2, Note: "changed", Changed: true, Paras: [][]Run{
			{{Text: "Pupils are taught to "}, {Text: "stay safe", Change: Deleted}, {Text: "keep themselves safe", Change: Inserted}, {Text: " online & <offline>."}},
			{{Text: "3 unchanged paragraphs", Change: Omitted}},
		}},
	},
}

func TestTrackedRevisions(t *testing.T) {
	data, err := RenderTracked(testTracked)
	if err != nil {
		t.Fatal(err)
	}
	x := unzip(t, data)["word/document.xml"]
	wantIn(t, "revisions", x,
		`<w:del w:id="0" w:author="policypack" w:date="2026-11-30T00:00:00Z"><w:r><w:delText xml:space="preserve">stay safe</w:delText></w:r></w:del>`,
		`<w:ins w:id="1" w:author="policypack" w:date="2026-11-30T00:00:00Z"><w:r><w:t xml:space="preserve">keep themselves safe</w:t></w:r></w:ins>`,
		`online &amp; &lt;offline&gt;.`, `[3 unchanged paragraphs]`, `<w:pStyle w:val="Heading1"/>`)
	if again, _ := RenderTracked(testTracked); !bytes.Equal(again, data) {
		t.Error("the same redline gave different bytes")
	}
	wantIn(t, "footer", unzip(t, data)["word/footer1.xml"], "Redline of the Online Safety Policy")
}

// TestTrackedReadsBackAsRevisions: pandoc, accepting every change, reads the
// new text; rejecting every change, the old; LibreOffice opens the file.
func TestTrackedReadsBackAsRevisions(t *testing.T) {
	pandoc := testtool.Path(t, "pandoc")
	path := filepath.Join(t.TempDir(), "redline.docx")
	data, err := RenderTracked(testTracked)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	read := func(mode string) string {
		cmd := exec.Command(pandoc, "-f", "docx", "--track-changes="+mode, "-t", "plain", "--wrap=none", path)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || stderr.Len() > 0 {
			t.Fatalf("pandoc --track-changes=%s: %v\n%s", mode, err, stderr.String())
		}
		return string(out)
	}
	if got := read("accept"); !strings.Contains(got, "Pupils are taught to keep themselves safe online") {
		t.Errorf("changes accepted:\n%s", got)
	}
	if got := read("reject"); !strings.Contains(got, "Pupils are taught to stay safe online") {
		t.Errorf("changes rejected:\n%s", got)
	}
	all := read("all")
	for _, want := range []string{"keep themselves safe", "stay safe"} {
		if !strings.Contains(all, want) {
			t.Errorf("--track-changes=all lacks %q:\n%s", want, all)
		}
	}
	cmd := exec.Command(pandoc, "-f", "docx", "--track-changes=all", "-t", "native", path)
	native, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"insertion"`, `"deletion"`, `( "author" , "policypack" )`} {
		if !strings.Contains(string(native), want) {
			t.Errorf("pandoc's AST lacks %s", want)
		}
	}
}

// bookDocs are three pupils' copies of the parent agreement.
func bookDocs(t testing.TB) []*markdown.Document {
	var docs []*markdown.Document
	for _, name := range []string{"Zoë Example", "Siân Jones", "Łukasz Nowak"} {
		d := loadBuilt(t, 2)
		src := strings.Replace(string(d.Source), "Pupil name: ________________________________________", "Pupil name: ___ "+markdown.Escape(name)+" ___", 1)
		if src == string(d.Source) {
			t.Fatal("the parent agreement has no blank pupil name to fill in")
		}
		m := d.Meta
		m.QR = "https://www.example-school.org.uk/policies/online-safety"
		docs = append(docs, markdown.Parse([]byte(src), m))
	}
	return docs
}

func TestBook(t *testing.T) {
	docs := bookDocs(t)
	meta := docs[0].Meta
	meta.Logo, meta.LogoType = testPNG(t), "png"
	for _, d := range docs {
		d.Meta.Logo, d.Meta.LogoType = meta.Logo, meta.LogoType
	}
	data, err := RenderBook(meta, docs, true)
	if err != nil {
		t.Fatal(err)
	}
	parts := unzip(t, data)
	x := parts["word/document.xml"]
	if n := strings.Count(x, `<w:sectPr>`); n != 3 {
		t.Errorf("%d sections, want one per pupil", n)
	}
	if n := strings.Count(x, `<w:type w:val="oddPage"/>`); n != 3 {
		t.Errorf("%d duplex section starts, want 3", n)
	}
	wantIn(t, "book", x, "Zoë Example", "Siân Jones", "Łukasz Nowak", `<w:pgNumType w:start="1"/>`, `<wp:docPr id="3"`)
	wantIn(t, "book footer", parts["word/footer1.xml"], `SECTIONPAGES`)
	// Bookmarks and drawings are unique across the book.
	for _, attr := range []string{`w:name="`, `<wp:docPr id="`} {
		seen := map[string]bool{}
		for _, m := range strings.Split(x, attr)[1:] {
			v := m[:strings.IndexByte(m, '"')]
			if seen[v] {
				t.Errorf("%s%s\" twice", attr, v)
			}
			seen[v] = true
		}
	}
	// One QR code image for the whole book, linked from every form.
	if n := strings.Count(parts["word/_rels/document.xml.rels"], `Target="media/qr`); n != 1 {
		t.Errorf("%d QR code images, want 1 shared by every form", n)
	}
	if _, ok := parts["word/media/qr1.png"]; !ok {
		t.Error("no QR code image part")
	}
	if n := strings.Count(x, `descr="QR code: https://www.example-school.org.uk/policies/online-safety"`); n != 3 {
		t.Errorf("%d QR codes drawn, want one per form", n)
	}
	if _, err := RenderBook(meta, nil, false); err == nil {
		t.Error("an empty book was written")
	}
	plain, err := RenderBook(meta, docs, false)
	if err != nil {
		t.Fatal(err)
	}
	wantIn(t, "simplex book", unzip(t, plain)["word/document.xml"], `<w:type w:val="nextPage"/>`)
}
