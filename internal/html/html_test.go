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
