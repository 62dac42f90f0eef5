package dashboard_test

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/policypack/policypack/internal/build"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/dashboard"
	"github.com/policypack/policypack/internal/manifest"
	"github.com/policypack/policypack/internal/testtool"
)

// buildSeeds builds the repository's two seed schools as of 25 May 2024:
// Robert Miles Infant School is then overdue, Hevingham and Marsham has no
// review date recorded.
func buildSeeds(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	// Fenbrook Academy was approved in September 2026: on this date it is
	// current, Robert Miles's review (due May 2024) overdue, and
	// Hevingham and Marsham's undated.
	asOf, _ := config.ParseDate("2026-11-26")
	if _, err := build.Run(build.Options{SchoolsDir: "../../schools", OutDir: out, AsOf: asOf, Formats: []string{"md", "html"}, Version: "test"}); err != nil {
		t.Fatalf("build: %v", err)
	}
	return out
}

// TestStatic checks the page without a browser: self-contained, escaped,
// deterministic.
func TestStatic(t *testing.T) {
	m := &manifest.Manifest{FormatVersion: 1, AsOf: "2026-11-26", DueSoonDays: 30,
		Schools: []manifest.School{{ID: "x", Name: `<script>alert(1)</script> & Co`, Policies: []manifest.Policy{
			{ID: "p", Title: "P", NextReview: "2026-12-01", Review: "due-soon", Days: 5}}}},
		Files: []manifest.File{
			{Path: "x/p.md", School: "x", Policy: "p", Document: "p", Kind: "policy", Title: "P", Format: "md"},
			{Path: "x/p.html", School: "x", Policy: "p", Document: "p", Kind: "policy", Title: "P", Format: "html"},
			{Path: "x/forms/f.html", School: "x", Policy: "p", Document: "f", Kind: "form", Title: "Form F", Format: "html"},
			{Path: "x/coverage.html", School: "x", Document: "coverage", Kind: "report", Title: "Coverage", Format: "html"},
		}}
	a, err := dashboard.Render(m)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := dashboard.Render(m)
	if !bytes.Equal(a, b) {
		t.Error("two renders differ")
	}
	page := string(a)
	for _, bad := range []string{"<script>alert", "http://", "https://", "src=", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	for _, want := range []string{
		"&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co", "26 November 2026", "1 December 2026", "due in 5 days",
		`<th scope="col">Coverage</th>`, `href="x/coverage.html"`, `P: <a href="x/p.html" aria-label="HTML: P">HTML</a><a href="x/p.md" aria-label="MD: P">MD</a>`,
		`Form F: <a href="x/forms/f.html" aria-label="HTML: Form F">HTML</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestInBrowser opens dist/index.html from disk in headless Chromium: it
// renders, its filters work, every link resolves to a file in dist, and it
// fetches nothing.
func TestInBrowser(t *testing.T) {
	exe := testtool.Chromium(t)
	out := buildSeeds(t)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	page := (&url.URL{Scheme: "file", Path: filepath.Join(out, build.IndexName)}).String()
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("policies"))); err != nil {
		t.Fatalf("opening %s: %v", page, err)
	}
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(tctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("evaluating %s: %v", js, err)
		}
		return v
	}
	visible := func() string {
		return eval(`Array.from(document.querySelectorAll("#policies tbody tr")).filter(r => !r.hidden && r.offsetParent !== null).map(r => r.querySelector("small").textContent).join(",")`)
	}

	if got := eval(`document.querySelector("h1").textContent`); got != "Policy packs" {
		t.Errorf("h1 = %q", got)
	}
	if got := visible(); got != "fenbrook-academy,hevingham-marsham,robert-miles-infant" {
		t.Errorf("rows shown = %q, want all three schools", got)
	}
	if got := eval(`document.getElementById("count").textContent`); got != "Showing 3 of 3 policies" {
		t.Errorf("count = %q (did the script run?)", got)
	}

	// Text filter, typed as a user would.
	if err := chromedp.Do(tctx, chromedp.SendKeys(chromedp.ID("filter"), "HEVINGHAM")); err != nil {
		t.Fatal(err)
	}
	if got := visible(); got != "hevingham-marsham" {
		t.Errorf("filter HEVINGHAM shows %q", got)
	}
	eval(`(() => { const q = document.getElementById("filter"); q.value = ""; q.dispatchEvent(new Event("input")); return ""; })()`)

	// Status filter.
	setStatus := func(v string) {
		eval(`(() => { const s = document.getElementById("status"); s.value = "` + v + `"; s.dispatchEvent(new Event("change")); return ""; })()`)
	}
	for _, tt := range []struct{ state, want string }{{"overdue", "robert-miles-infant"}, {"unknown", "hevingham-marsham"}, {"ok", "fenbrook-academy"}, {"due-soon", ""}, {"", "fenbrook-academy,hevingham-marsham,robert-miles-infant"}} {
		setStatus(tt.state)
		if got := visible(); got != tt.want {
			t.Errorf("status %q shows %q, want %q", tt.state, got, tt.want)
		}
		empty := eval(`String(document.getElementById("empty").hidden)`)
		if (tt.want == "") != (empty == "false") {
			t.Errorf("status %q: 'no policies match' hidden=%s", tt.state, empty)
		}
	}
	if got := eval(`document.querySelector('tr[data-status="overdue"] .state').textContent`); !regexp.MustCompile(`^overdue by \d+ days$`).MatchString(got) {
		t.Errorf("overdue label = %q", got)
	}

	// Every link resolves to a file in dist, and is relative.
	links := eval(`Array.from(document.querySelectorAll("a")).map(a => a.getAttribute("href") + " " + a.href).join("\n")`)
	n := 0
	for _, line := range strings.Split(links, "\n") {
		rel, abs, _ := strings.Cut(line, " ")
		if !manifest.SafePath(rel) {
			t.Errorf("link %q is not a relative path inside dist", rel)
			continue
		}
		u, err := url.Parse(abs)
		if err != nil || u.Scheme != "file" {
			t.Errorf("link %q resolves to %q", rel, abs)
			continue
		}
		if st, err := os.Stat(u.Path); err != nil || !st.Mode().IsRegular() {
			t.Errorf("link %q: %v", rel, err)
		}
		n++
	}
	if n < 10 {
		t.Errorf("only %d links", n)
	}
	// Following one link opens the document.
	if err := chromedp.Do(tctx, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	href := eval(`document.querySelector('a[href$="online-safety.html"]').href`)
	if err := chromedp.Do(tctx, chromedp.Navigate(href)); err != nil {
		t.Fatalf("opening %s: %v", href, err)
	}
	if got := eval(`document.querySelector("h1").textContent`); !strings.Contains(got, "Online Safety") {
		t.Errorf("%s: h1 = %q", href, got)
	}

	// Nothing was fetched: no resource besides the pages themselves.
	if err := chromedp.Do(tctx, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	if got := eval(`performance.getEntriesByType("resource").map(e => e.name).join(" ")`); got != "" {
		t.Errorf("the dashboard fetched %s", got)
	}
}
