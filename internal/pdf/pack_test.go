package pdf

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/markdown"
)

// These tests cover Book.Bind: a bound pack of a cover and several
// documents, numbered continuously.

// packParts are two policies (with different titles and review dates, so
// each page's footer says whose it is) and a form.
func packParts(t *testing.T) (cover *markdown.Document, keys []string, docs []*markdown.Document) {
	t.Helper()
	a := loadDoc(t, "policy.md", false)
	b := loadDoc(t, "policy.md", false)
	b.Meta.Title, b.Meta.NextReview = "Acceptable Use Policy", "1 March 2027"
	f := loadDoc(t, "form.md", true)
	f.Meta.NextReview = "2 April 2027"
	keys = []string{"online-safety", "acceptable-use", "forms/parent-agreement"}
	docs = []*markdown.Document{a, b, f}
	var entries []markdown.Entry
	for i, d := range docs {
		entries = append(entries, markdown.Entry{ID: markdown.PackEntryID(keys[i], ""), Title: d.Meta.Title, Level: 1})
		for _, e := range d.Meta.Front.Contents {
			e.ID, e.Level = markdown.PackEntryID(keys[i], e.ID), 2
			entries = append(entries, e)
		}
	}
	m := markdown.Meta{School: a.Meta.School, Title: "Policy pack", Lang: "en-GB", Cover: true, Created: a.Meta.Created}
	m.Front.TitleBlock = []byte("# Policy pack\n")
	m.Front.Contents = entries
	cover = markdown.Parse([]byte("| Policy | Next review |\n|---|---|\n| Online Safety Policy | 24 May 2027 |\n"), m)
	return cover, keys, docs
}

func bind(t *testing.T, cover *markdown.Document, keys []string, docs []*markdown.Document) ([]byte, error) {
	t.Helper()
	b, err := NewBook(BookOptions{Meta: cover.Meta})
	if err != nil {
		t.Fatal(err)
	}
	cp, err := Prepare(cover, "")
	if err != nil {
		t.Fatal(err)
	}
	var parts []Part
	for i, d := range docs {
		p, err := Prepare(d, "")
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, Part{Key: keys[i], Doc: p})
	}
	if err := b.Bind(cp, parts); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if _, err := b.WriteTo(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

var tocLineRe = regexp.MustCompile(`^\s*(\S.*?)\s+(\d+)\s*$`)

func TestBind(t *testing.T) {
	cover, keys, docs := packParts(t)
	// Each document alone, for its page count.
	var own []int
	for _, d := range docs {
		data, err := Render(d)
		if err != nil {
			t.Fatal(err)
		}
		own = append(own, len(pagesText(t, writeTemp(t, data))))
	}
	data, err := bind(t, cover, keys, docs)
	if err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, data)
	run(t, "qpdf", "--check", path)
	pages := pagesText(t, path, "-layout")
	coverPages := len(pages) - own[0] - own[1] - own[2]
	if coverPages < 1 {
		t.Fatalf("%d pages for documents of %v pages", len(pages), own)
	}
	info := run(t, "pdfinfo", path)
	if !regexp.MustCompile(`(?m)^Pages:\s+` + strconv.Itoa(len(pages)) + `$`).MatchString(info) {
		t.Errorf("pdfinfo disagrees with pdftotext's %d pages:\n%s", len(pages), info)
	}
	// Continuous numbering, and each document's footer on its pages.
	first := []int{coverPages + 1, coverPages + own[0] + 1, coverPages + own[0] + own[1] + 1}
	for i, p := range pages {
		if want := "Page " + strconv.Itoa(i+1) + " of " + strconv.Itoa(len(pages)); !strings.Contains(p, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
		if i < coverPages && strings.Contains(p, "Next review due") {
			t.Errorf("cover page %d prints a review date the pack does not have:\n%s", i+1, p)
		}
	}
	// A policy's footer gives its next review; a form's, its version line.
	footer := func(m markdown.Meta) string {
		if m.Form {
			return markdown.VersionLine(m)
		}
		return "Next review due: " + m.NextReview
	}
	for d, f := range first {
		if !strings.Contains(pages[f-1], footer(docs[d].Meta)) {
			t.Errorf("page %d is not %s's first page:\n%s", f, docs[d].Meta.Title, pages[f-1])
		}
		if strings.Contains(pages[f-2], footer(docs[d].Meta)) {
			t.Errorf("%s starts before page %d", docs[d].Meta.Title, f)
		}
	}
	// The cover's contents: every entry, in order, with the page it is on.
	type tocLine struct {
		text string
		page int
	}
	var toc []tocLine
	for _, p := range pages[:coverPages] {
		for _, ln := range strings.Split(p, "\n") {
			if m := tocLineRe.FindStringSubmatch(ln); m != nil && !strings.HasPrefix(strings.TrimSpace(ln), "Page ") {
				n, _ := strconv.Atoi(m[2])
				toc = append(toc, tocLine{strings.Join(strings.Fields(m[1]), " "), n})
			}
		}
	}
	next := func(text string) int {
		for len(toc) > 0 {
			l := toc[0]
			toc = toc[1:]
			if l.text == text {
				return l.page
			}
		}
		t.Errorf("contents lacks %q (or lists it out of order)", text)
		return -1
	}
	for d, doc := range docs {
		if got := next(doc.Meta.Title); got != first[d] {
			t.Errorf("contents gives %s page %d, want %d", doc.Meta.Title, got, first[d])
		}
		end := len(pages)
		if d+1 < len(first) {
			end = first[d+1] - 1
		}
		for _, e := range doc.Meta.Front.Contents {
			got := next(e.Label())
			if got <= first[d] || got > end || !hasLine(pages[got-1], e.Label()) {
				t.Errorf("contents gives %q page %d, which does not head it (%s is pages %d-%d)", e.Label(), got, doc.Meta.Title, first[d], end)
				continue
			}
			for p := first[d] + 1; p < got; p++ {
				if hasLine(pages[p-1], e.Label()) {
					t.Errorf("%q is on page %d, contents says %d", e.Label(), p, got)
				}
			}
		}
	}
	// One outline: a node per document, its headings under it.
	js := run(t, "qpdf", "--json", "--json-key=outlines", path)
	for _, want := range []string{`"title": "Policy pack"`, `"title": "Online Safety Policy"`, `"title": "Acceptable Use Policy"`, `"title": "` + docs[2].Meta.Title + `"`, `"title": "1. Roles and responsibilities"`} {
		if !strings.Contains(js, want) {
			t.Errorf("outline lacks %s", want)
		}
	}
	// The same inputs, the same bytes.
	cover2, keys2, docs2 := packParts(t)
	again, err := bind(t, cover2, keys2, docs2)
	if err != nil || !bytes.Equal(again, data) {
		t.Errorf("a second bind differs (err %v)", err)
	}
}

func hasLine(page, text string) bool {
	for _, ln := range strings.Split(page, "\n") {
		if strings.Join(strings.Fields(ln), " ") == text {
			return true
		}
	}
	return false
}

func TestBindErrors(t *testing.T) {
	cover, keys, docs := packParts(t)
	cover.Meta.Front.Contents = append(cover.Meta.Front.Contents, markdown.Entry{ID: "online-safety#no-such-heading", Title: "Missing", Level: 2})
	cover = markdown.Parse(cover.Source, cover.Meta)
	if _, err := bind(t, cover, keys, docs); err == nil || !strings.Contains(err.Error(), "online-safety#no-such-heading") {
		t.Errorf("unknown heading: err = %v", err)
	}
	cover, _, docs = packParts(t)
	if _, err := bind(t, cover, []string{"a", "a", "b"}, docs); err == nil || !strings.Contains(err.Error(), `"a"`) {
		t.Errorf("repeated key: err = %v", err)
	}
	cover, keys, docs = packParts(t)
	cover.Meta.Cover = false
	cover = markdown.Parse(cover.Source, cover.Meta)
	if _, err := bind(t, cover, keys, docs); err == nil {
		t.Error("a cover without Meta.Cover was bound")
	}
}
