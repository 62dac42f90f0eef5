package pdf

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/markdown"
)

// layoutDocs are the documents whose pagination is checked: the test
// documents, the built example documents and some hostile ones.
func layoutDocs(t *testing.T) map[string]*markdown.Document {
	t.Helper()
	docs := map[string]*markdown.Document{
		"policy.md": loadDoc(t, "policy.md", false),
		"form.md":   loadDoc(t, "form.md", true),
	}
	for i, b := range builtDocs {
		docs[b.name] = loadBuilt(t, i)
	}
	long := strings.Repeat("A cell with a great deal of text in it that goes on and on. ", 120)
	docs["tall row"] = markdown.Parse([]byte("## Table\n\n| a | b |\n|---|---|\n| short | "+long+" |\n| next | row |\n"), testMeta(false))
	docs["long form"] = markdown.Parse([]byte("## Form\n\n"+strings.Repeat("Name: ____________\n", 40)), testMeta(true))
	docs["headings only"] = markdown.Parse([]byte(strings.Repeat("## Heading\n\n### Sub\n\nText.\n\n", 40)), testMeta(false))
	return docs
}

func paginated(t *testing.T, doc *markdown.Document) [][]placement {
	t.Helper()
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	r := newRenderer(doc)
	if err := r.layout(); err != nil {
		t.Fatal(err)
	}
	return r.paginate()
}

// TestNothingOverflowsAPage: every placed item lies inside the text area,
// so nothing is clipped or drawn over the footer.
func TestNothingOverflowsAPage(t *testing.T) {
	for name, doc := range layoutDocs(t) {
		for i, pg := range paginated(t, doc) {
			for _, p := range pg {
				if p.y < contentTop-1e-6 || p.y+p.it.h > contentBottom+1e-6 {
					t.Errorf("%s: page %d: item from %.1f to %.1f mm leaves the text area (%.0f-%.0f)",
						name, i+1, p.y, p.y+p.it.h, contentTop, contentBottom)
				}
			}
		}
	}
}

// TestNoHeadingAtPageFoot: a heading is never the last thing on a page
// while what it introduces starts the next one.
func TestNoHeadingAtPageFoot(t *testing.T) {
	for name, doc := range layoutDocs(t) {
		pages := paginated(t, doc)
		for i, pg := range pages[:len(pages)-1] {
			last := pg[len(pg)-1]
			if last.it.hd != nil && last.it.h > 0 {
				t.Errorf("%s: page %d ends with heading %q", name, i+1, last.it.hd.text)
			}
			if last.it.keep && len(pages[i+1]) > 0 && pages[i+1][0].it.repeat == nil {
				// A kept chain may only break when it is taller than a page.
				chain := 0.0
				for _, p := range pg {
					if p.it.keep {
						chain += p.it.h
					} else {
						chain = 0
					}
				}
				if chain+pages[i+1][0].it.h < contentBottom-contentTop {
					t.Errorf("%s: page %d breaks a keep-together chain", name, i+1)
				}
			}
		}
	}
}

// TestTableHeaderRepeats: a table that continues on a new page starts it
// with its header row.
func TestTableHeaderRepeats(t *testing.T) {
	for name, doc := range layoutDocs(t) {
		for i, pg := range paginated(t, doc) {
			for j, p := range pg {
				if p.it.repeat == nil {
					continue
				}
				if j == 0 {
					t.Errorf("%s: page %d starts with a table row, not its header", name, i+1)
				}
				if j == 1 && pg[0].it != p.it.repeat {
					t.Errorf("%s: page %d: the row after the first item is not under its header", name, i+1)
				}
			}
		}
	}
}

// TestLongTableSpansPages makes sure the test document really exercises
// repeated headers (a test that cannot fail proves nothing).
func TestLongTableSpansPages(t *testing.T) {
	pages := paginated(t, loadDoc(t, "policy.md", false))
	repeats := 0
	for _, pg := range pages {
		if len(pg) > 1 && pg[1].it.repeat != nil && pg[0].it == pg[1].it.repeat {
			repeats++
		}
	}
	if repeats == 0 {
		t.Error("the long table of policy.md never continues on a new page")
	}
}

// TestOddDocuments: unusual but valid Markdown renders without error or
// panic.
func TestOddDocuments(t *testing.T) {
	for _, c := range []struct{ name, src string }{
		{"empty", ""},
		{"only title", "# Online Safety Policy\n"},
		{"deep headings", "# A\n\n###### Six\n\n##### Five\n\n## Two\n"},
		{"heading last", "Text.\n\n## Last\n"},
		{"ragged table", "| a | b |\n|---|---|\n| 1 | 2 | 3 |\n| only |\n"},
		{"table in list", "- item\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n"},
		{"quote in quote", "> one\n>\n> > two\n> > - list in quote\n"},
		{"empty list item", "- \n- two\n"},
		{"page breaks", "<!-- pagebreak -->\n\n<!-- pagebreak -->\n\nText.\n\n<!-- pagebreak -->\n"},
		{"dead internal link", "See [nowhere](#nowhere).\n"},
		{"html", "<div>\nraw\n</div>\n\nText <b>bold</b> and <br> break.\n"},
		{"image", "![School crest](crest.png)\n"},
		{"huge word", strings.Repeat("x", 500) + "\n"},
		{"code", "```go\n\tfunc main() {}\n```\n\n    indented\n"},
		{"start 0 list", "0. zero\n1. one\n"},
		{"big ordered", "998. a\n999. b\n1000. c\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, form := range []bool{false, true} {
				if _, err := Render(markdown.Parse([]byte(c.src), testMeta(form))); err != nil {
					t.Errorf("form=%v: %v", form, err)
				}
			}
		})
	}
}

// TestLeadInsAndShortListsKeep: a paragraph ending in a colon stays with the
// list it introduces, and a short list stays whole.
func TestLeadInsAndShortListsKeep(t *testing.T) {
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	layout := func(src string) []*item {
		r := newRenderer(markdown.Parse([]byte(src), testMeta(false)))
		if err := r.layout(); err != nil {
			t.Fatal(err)
		}
		var its []*item
		for _, it := range r.items[2:] { // after the title's anchor and the title block
			if it.h > 0 && it.hd == nil {
				its = append(its, it)
			}
		}
		return its
	}
	its := layout("Some text.\n\nIn this school:\n\n- one\n- two\n- three\n")
	if len(its) != 5 {
		t.Fatalf("%d items, want 5 (two paragraphs, three list lines)", len(its))
	}
	if its[0].keep {
		t.Errorf("an ordinary paragraph is kept with the next block")
	}
	for i := 1; i < 4; i++ {
		if !its[i].keep {
			t.Errorf("item %d (lead-in or short list line) not kept with the next", i)
		}
	}
	long := layout("Intro.\n\n" + strings.Repeat("- an item\n", shortList+4))
	kept := 0
	for _, it := range long[3 : len(long)-3] {
		if it.keep {
			kept++
		}
	}
	if !long[1].keep || long[2].keep || kept != 0 {
		t.Errorf("a long list's lines kept: %v; only its first item (with the second) and its last lines should be", keeps(long))
	}
}

func TestSafeURL(t *testing.T) {
	for dest, want := range map[string]bool{
		"https://www.gov.uk/": true, "http://x.example": true, "mailto:office@x.example": true,
		"javascript:alert(1)": false, "JAVASCRIPT:alert(1)": false, "data:text/html,x": false, "vbscript:x": false, "file:///etc/passwd": false,
	} {
		if got := markdown.SafeURL(dest); got != want {
			t.Errorf("SafeURL(%q) = %v, want %v", dest, got, want)
		}
	}
}

// TestListAndTableKeeps: a lead-in keeps only the first two items of a
// longer list with it (never one alone at a page foot, and the run never
// moves whole and leaves a fifth of a page blank), and a table takes the
// line before it along.
func TestListAndTableKeeps(t *testing.T) {
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	layout := func(src string) []*item {
		r := newRenderer(markdown.Parse([]byte(src), testMeta(false)))
		if err := r.layout(); err != nil {
			t.Fatal(err)
		}
		var its []*item
		for _, it := range r.items[2:] {
			if it.h > 0 && it.hd == nil {
				its = append(its, it)
			}
		}
		return its
	}
	// Six one-line items: the list the Hevingham and Marsham policy's
	// section 3 moved whole, leaving a fifth of page 4 blank.
	its := layout("It also takes into account:\n\n" + strings.Repeat("- an item\n", 6))
	// The lead-in, then one line per item.
	if !its[0].keep {
		t.Errorf("the lead-in is not kept with the list")
	}
	chain := 1
	for _, it := range its {
		if !it.keep {
			break
		}
		chain++
	}
	if chain != 3 {
		t.Errorf("the lead-in and the first %d lines of a %d-item list move as one; the first two items (and no more) should go with it", chain-1, 6)
	}
	its = layout("Some text before.\n\n| Document control | |\n| --- | --- |\n| Policy | Online safety |\n")
	if !its[0].keep {
		t.Errorf("the line before a table is not kept with it")
	}
}

// TestYesNoColumn: every question's Yes and No boxes stand in one column, and
// a question too long for one line wraps at the full width, not short of it.
func TestYesNoColumn(t *testing.T) {
	long := "I give permission for them to be used on the school website and in school publications, without my child's full name"
	src := "I give permission for photographs: [ ] Yes [ ] No\n\n" + long + ": [ ] Yes [ ] No\n"
	b, err := Render(markdown.Parse([]byte(src), testMeta(true)))
	if err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, b)
	var yes []float64
	var firstLineRight float64
	html := run(t, "pdftotext", "-bbox", "-f", "1", "-l", "1", path, "-")
	re := regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="[0-9.]+">([^<]*)</word>`)
	var lineY float64
	for _, m := range re.FindAllStringSubmatch(html, -1) {
		x0, _ := strconv.ParseFloat(m[1], 64)
		y0, _ := strconv.ParseFloat(m[2], 64)
		x1, _ := strconv.ParseFloat(m[3], 64)
		switch {
		case m[4] == "Yes":
			yes = append(yes, x0*25.4/72)
		case m[4] == "them":
			lineY = y0
		}
		if lineY != 0 && y0 == lineY {
			firstLineRight = max(firstLineRight, x1*25.4/72)
		}
	}
	if len(yes) != 2 || math.Abs(yes[0]-yes[1]) > 0.05 {
		t.Errorf("Yes at x = %v mm, want two in one column", yes)
	}
	if firstLineRight-marginL < 0.85*contentW {
		t.Errorf("the long question's first line ends %.1f mm into a %.0f mm column: it wrapped early", firstLineRight-marginL, contentW)
	}
}

func keeps(its []*item) []bool {
	k := make([]bool, len(its))
	for i, it := range its {
		k[i] = it.keep
	}
	return k
}

// TestLeadInNotAloneWithOneItem: where a list's lead-in falls near a page
// foot, the page never ends with the lead-in and a single item under it
// (the Robert Miles and Hevingham online-safety PDFs did): the lead-in
// goes with at least two items, and the page break comes after the second.
func TestLeadInNotAloneWithOneItem(t *testing.T) {
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	list := "Staff, pupils and parents can also use these organisations:\n\n" +
		strings.Repeat("- an organisation\n", 8)
	fill := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "Filler paragraph %d.\n\n", i)
		}
		return b.String()
	}
	// Find an amount of filler that leaves room for the lead-in and
	// exactly one item (the old rule's break): the lead-in then must move,
	// or take two items with it.
	checked := 0
	for n := 1; n < 80; n++ {
		b, err := Render(markdown.Parse([]byte(fill(n)+list), testMeta(false)))
		if err != nil {
			t.Fatal(err)
		}
		pages := strings.Split(run(t, "pdftotext", "-layout", writeTemp(t, b), "-"), "\f")
		for p, text := range pages {
			lines := nonEmptyLines(text)
			for i, ln := range lines {
				if !strings.HasSuffix(ln, ":") {
					continue
				}
				bullets := 0
				for _, l := range lines[i+1:] {
					if strings.HasPrefix(strings.TrimSpace(l), "•") {
						bullets++
					}
				}
				if bullets == 1 {
					t.Errorf("filler %d: page %d ends with the lead-in and %d item(s) under it:\n%s", n, p+1, bullets, strings.Join(lines[i:], "\n"))
				}
				if p+1 < len(pages) && strings.Contains(pages[p+1], "an organisation") {
					checked++
					if bullets < 2 {
						t.Errorf("filler %d: the list breaks after %d item(s) on page %d", n, bullets, p+1)
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatalf("no filler amount split the list across pages: the test checked nothing")
	}
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		// Page furniture (running header, footer page numbers) is not content.
		if l == "" {
			continue
		}
		out = append(out, l)
	}
	return out
}
