package docx

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/yuin/goldmark/ast"

	"github.com/policypack/policypack/internal/markdown"
	"github.com/policypack/policypack/internal/testtool"
)

// keep names a folder to keep the .docx files and LibreOffice's PDFs of
// the round-trip test in, for looking at them page by page.
var keep = flag.String("keep", "", "folder to keep the round trip's .docx and PDF files in")

// everyKind is a body with every node kind the renderer writes; its front
// matter (title block, contents) is everyKindMeta's.
const everyKind = `## 1. Lists and *emphasis* {#lists}

Plain, **bold**, *italic*, ` + "`code`" + `, a [web link](https://example.org/a?b=1&c=2), a [mail link](mailto:office@example.org),
an autolink <https://example.com/auto>, a [link to the tables](#tables), a [bad link](javascript:alert(1)) and an ![image description](https://tracker.example/x.png).
A hard break follows\
here.

In this school:

- first bullet
- second bullet
    1. nested number one
    2. nested number two
        - deeper bullet
- third bullet

  with a second paragraph

3. starts at three
4. four

### 1.1 A deeper heading {#deeper}

#### A fourth-level heading

> A quoted paragraph.
>
> Another quoted paragraph.

---

` + "```" + `
code  block line
  indented line
` + "```" + `

<!-- pagebreak -->

## 2. Tables {#tables}

| Role | Name | Contact |
|:---|:---:|---:|
| Headteacher | Ms A Ahmed | head@example.org |
| Designated safeguarding lead | Mr B Brown | dsl@example.org |

Sign below:

Full name: ________________
Signature: ____________ Date: ________
Photos on the website: [ ] Yes [ ] No
`

// everyKindMeta is testMeta with everyKind's contents list.
func everyKindMeta() markdown.Meta {
	m := testMeta(false)
	m.Front.Contents = []markdown.Entry{
		{ID: "lists", Number: "1", Title: "Lists and emphasis", Level: 1},
		{ID: "deeper", Number: "1.1", Title: "A deeper heading", Level: 2},
		{ID: "tables", Number: "2", Title: "Tables", Level: 1},
	}
	return m
}

func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// docWords is every word a reader of the .docx must find: the body's text
// as the Markdown has it, and the title block's and contents list's, which
// compose hands on as data (the record in Meta, the contents entries).
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
		case *markdown.TitleBlock:
			m := doc.Meta
			b.WriteString(m.School + " " + m.Title + " ")
			if m.Form {
				b.WriteString(markdown.VersionLine(m) + " ")
			} else {
				b.WriteString(m.State.Notice(m.NextReview) + " ")
				for _, row := range markdown.RecordRows(m) {
					b.WriteString(row[1] + " ")
				}
			}
		case *markdown.Contents:
			if !doc.Meta.Form {
				for _, e := range n.Entries {
					b.WriteString(e.Label() + " ")
				}
			}
		case *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return words(b.String())
}

// missingWords lists the words of want that text has fewer of.
func missingWords(want []string, text string) []string {
	have := map[string]int{}
	for _, w := range words(text) {
		have[w]++
	}
	need := map[string]int{}
	for _, w := range want {
		need[w]++
	}
	var missing []string
	for w, n := range need {
		if have[w] < n {
			missing = append(missing, fmt.Sprintf("%s (%d of %d)", w, have[w], n))
		}
	}
	return missing
}

type rendered struct {
	name string
	doc  *markdown.Document
	path string
}

// renderAll writes every test document to dir as .docx.
func renderAll(t *testing.T, dir string) []rendered {
	t.Helper()
	var out []rendered
	add := func(name string, doc *markdown.Document) {
		data, err := Render(doc)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		path := filepath.Join(dir, name+".docx")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, rendered{name, doc, path})
	}
	meta := everyKindMeta()
	meta.Logo, meta.LogoType = testPNG(t), "png"
	add("every-kind", parse(everyKind, meta))
	for i, d := range builtDocs {
		add(d.name, loadBuilt(t, i))
	}
	return out
}

// TestRoundTrip opens every .docx with two independent readers: LibreOffice
// (converted to PDF, whose text must hold every word of the Markdown) and
// pandoc (whose plain text must too, with nothing on stderr).
func TestRoundTrip(t *testing.T) {
	soffice := testtool.Path(t, "soffice")
	pdftotext := testtool.Path(t, "pdftotext")
	pandoc := testtool.Path(t, "pandoc")
	dir := *keep
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	docs := renderAll(t, dir)
	// pandoc reads the Title and Subtitle styles (the title block's
	// title and school) as metadata; this template prints them.
	template := filepath.Join(t.TempDir(), "plain.txt")
	if err := os.WriteFile(template, []byte("$title$\n$subtitle$\n\n$body$\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	// -raw: without it pdftotext joins "cross-" at a line's end to the
	// next line's "referenced", a word no document has.
	// One soffice call for every file (LibreOffice takes seconds to
	// start), with a profile of its own so parallel runs never share one.
	args := []string{"-env:UserInstallation=file://" + filepath.ToSlash(t.TempDir()), "--headless", "--convert-to", "pdf", "--outdir", dir}
	for _, d := range docs {
		args = append(args, d.path)
	}
	// A tracked document (a redline) goes through the same call.
	tracked, err := RenderTracked(testTracked)
	if err != nil {
		t.Fatal(err)
	}
	redline := filepath.Join(dir, "redline.docx")
	if err := os.WriteFile(redline, tracked, 0o644); err != nil {
		t.Fatal(err)
	}
	args = append(args, redline)
	// So does a book: three pupils' forms, one page each.
	book, err := RenderBook(loadBuilt(t, 2).Meta, bookDocs(t), false)
	if err != nil {
		t.Fatal(err)
	}
	bookPath := filepath.Join(dir, "book.docx")
	if err := os.WriteFile(bookPath, book, 0o644); err != nil {
		t.Fatal(err)
	}
	args = append(args, bookPath)
	cmd := exec.Command(soffice, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, stderr.String())
	}
	out, err := exec.Command(pdftotext, "-raw", "-enc", "UTF-8", filepath.Join(dir, "redline.pdf"), "-").Output()
	if err != nil {
		t.Errorf("redline: LibreOffice made no readable PDF: %v (stderr: %s)", err, stderr.String())
	}
	// LibreOffice shows tracked changes: both the old and the new words.
	for _, want := range []string{"keep themselves safe", "stay safe", "Changes to Online Safety Policy"} {
		if !strings.Contains(oneLine(string(out)), want) {
			t.Errorf("redline: LibreOffice's PDF lacks %q", want)
		}
	}
	out, err = exec.Command(pdftotext, "-raw", "-enc", "UTF-8", filepath.Join(dir, "book.pdf"), "-").Output()
	if err != nil {
		t.Errorf("book: LibreOffice made no readable PDF: %v", err)
	}
	// pdftotext ends every page with a form feed.
	if pages := strings.Split(strings.TrimSuffix(string(out), "\f"), "\f"); len(pages) != 3 {
		t.Errorf("book: %d pages, want 3 (one per pupil)", len(pages))
	} else {
		for i, name := range []string{"Zoë Example", "Siân Jones", "Łukasz Nowak"} {
			if !strings.Contains(pages[i], name) || !strings.Contains(pages[i], "Page 1 of 1") ||
				// The address may wrap after a slash.
				!strings.Contains(strings.ReplaceAll(pages[i], "\n", ""), "https://www.example-school.org.uk/policies/online-safety") {
				t.Errorf("book: page %d lacks %q, its own \"Page 1 of 1\" or the QR code's address:\n%s", i+1, name, pages[i])
			}
		}
	}
	for _, d := range docs {
		pdf := strings.TrimSuffix(d.path, ".docx") + ".pdf"
		out, err := exec.Command(pdftotext, "-raw", "-enc", "UTF-8", pdf, "-").Output()
		if err != nil {
			t.Errorf("%s: LibreOffice made no readable PDF: %v (stderr: %s)", d.name, err, stderr.String())
			continue
		}
		want := docWords(d.doc)
		if len(want) < 40 {
			t.Fatalf("%s: only %d words in the test document", d.name, len(want))
		}
		if m := missingWords(want, string(out)); len(m) > 0 {
			t.Errorf("%s: words missing from LibreOffice's PDF: %v", d.name, m)
		}

		cmd := exec.Command(pandoc, "-f", "docx", "-t", "plain", "-s", "--template", template, "--wrap=none", d.path)
		var perr bytes.Buffer
		cmd.Stderr = &perr
		plain, err := cmd.Output()
		if err != nil {
			t.Errorf("%s: pandoc: %v\n%s", d.name, err, perr.String())
			continue
		}
		if perr.Len() > 0 {
			t.Errorf("%s: pandoc warns:\n%s", d.name, perr.String())
		}
		// pandoc reads the body only: the running header and footer
		// are not in its text.
		if m := missingWords(want, string(plain)); len(m) > 0 {
			t.Errorf("%s: words missing from pandoc's text: %v", d.name, m)
		}
	}
}
