package html

import (
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/markdown"
)

func TestRenderNoExternalRequestsOrRawHTML(t *testing.T) {
	src := "# Title {#top}\n\nText ![tracker](http://tracker.example/x.png) and <script>alert(1)</script>.\n\n<iframe src=\"https://evil.example\"></iframe>\n\nName: ______\n\nPhotos: [ ] Yes [ ] No\n\n<!-- pagebreak -->\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
	page, err := Render(markdown.Parse([]byte(src), markdown.Meta{School: "Oak <School>", Title: "T", Lang: "en-GB"}))
	if err != nil {
		t.Fatal(err)
	}
	got := string(page)
	for _, bad := range []string{"<img", "tracker.example", "<script", "<iframe", "evil.example", "Oak <School>"} {
		if strings.Contains(got, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	for _, want := range []string{`<html lang="en-GB">`, `<h1 id="top">`, "tracker", `class="form-block"`, `type="checkbox"`, `class="page-break"`, "<table>", "Oak &lt;School&gt;"} {
		if !strings.Contains(got, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(got, "http://") || strings.Contains(got, "https://") {
		t.Errorf("page refers to an external address")
	}
}

// TestFrontMatter: the title block prints the partial's Markdown and the
// contents list is written from its entries, linking each section.
func TestFrontMatter(t *testing.T) {
	meta := markdown.Meta{School: "Oak", Title: "Policy", Front: markdown.Front{
		TitleBlock: []byte("# Policy\n\nKept by **Oak**.\n"),
		Contents:   []markdown.Entry{{ID: "aims", Number: "1", Title: "Aims", Level: 1}, {ID: "why", Number: "1.1", Title: "Why", Level: 2}},
	}}
	page, err := Render(markdown.Parse([]byte("## 1. Aims {#aims}\n\n### 1.1 Why {#why}\n\nText.\n"), meta))
	if err != nil {
		t.Fatal(err)
	}
	got := string(page)
	want := `<main>
<header class="title-block">
<h1 id="policy">Policy</h1>
<p>Kept by <strong>Oak</strong>.</p>
</header>
<nav class="contents" aria-labelledby="contents">
<h2 id="contents">Contents</h2>
<ul>
<li><a href="#aims">1. Aims</a>
<ul>
<li><a href="#why">1.1 Why</a></li>
</ul>
</li>
</ul>
</nav>
<h2 id="aims">1. Aims</h2>`
	if !strings.Contains(got, want) {
		t.Errorf("page lacks\n%s\nin\n%s", want, got)
	}
}

// TestPictureList: each rule prints beside its picture as inline SVG (no
// image request), hidden from screen readers because the words say it, and
// typographic quotes print as characters, not entities.
func TestPictureList(t *testing.T) {
	src := "- [picture: ask] I ask a grown-up first.\n- [picture: smiley] Colour the smiley if you're happy.\n"
	page, err := Render(markdown.Parse([]byte(src), markdown.Meta{Title: "T", Lang: "en-GB"}))
	if err != nil {
		t.Fatal(err)
	}
	got := string(page)
	want := `<ul class="picture-list">
<li><svg class="picture" viewBox="0 0 100 100" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"><rect x="8" y="10" width="84" height="60" rx="14"/>`
	if !strings.Contains(got, want) {
		t.Errorf("page lacks\n%s", want)
	}
	for _, want := range []string{"<span>I ask a grown-up first.</span></li>", "<span>Colour the smiley if you’re happy.</span>", `<circle cx="36" cy="38" r="5" fill="currentColor"/>`} {
		if !strings.Contains(got, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(got, "<svg"); n != 2 {
		t.Errorf("%d pictures, want 2", n)
	}
	if strings.Contains(got, "[picture:") || strings.Contains(got, "&rsquo;") {
		t.Errorf("the markup or an entity leaked into the page")
	}
}
