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
			{ID: "p", Title: "P", ApprovedOn: "2025-12-01", NextReview: "2026-12-01", Review: "due-soon", Days: 5, Deviations: 2}}, Deviations: 2, Uncovered: 3}},
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
		"&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co", "26 November 2026", "1 Dec 2026", "due in 5 days",
		`<th scope="col" class="report">Coverage</th>`, `href="x/coverage.html"`, `<td class="files"><a href="x/p.html" aria-label="HTML: P">HTML</a><a href="x/p.md" aria-label="MD: P">MD</a>`,
		`<summary>1 form</summary>`, `<td class="num">2</td>`, `<a href="x/coverage.html" aria-label="3 uncovered: coverage report">3</a>`, `Form F: <a href="x/forms/f.html" aria-label="HTML: Form F">HTML</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestStates pins what each row says of a policy's approval and review:
// a policy with no approval recorded is a draft whatever its review date,
// and nothing unknown is printed as if it were a fact ("not recorded").
func TestStates(t *testing.T) {
	for _, tt := range []struct {
		name     string
		pol      manifest.Policy
		state    string
		label    string
		approved string
	}{
		{"draft, no dates", manifest.Policy{Review: "unknown"}, "draft", "draft", "not yet"},
		{"draft, approver named", manifest.Policy{ApprovedBy: "TILT", Review: "unknown"}, "draft", "draft", "not yet; to be approved by TILT"},
		{"draft, old review date", manifest.Policy{NextReview: "2024-05-24", Review: "overdue", Days: -916}, "draft", "draft; review date passed 916 days ago", "not yet"},
		{"draft, review date ahead", manifest.Policy{NextReview: "2027-05-24", Review: "ok", Days: 179}, "draft", "draft", "not yet"},
		{"approved, overdue", manifest.Policy{ApprovedBy: "the board", ApprovedOn: "2024-01-10", NextReview: "2025-01-10", Review: "overdue", Days: -320}, "overdue", "overdue by 320 days", "10 Jan 2024, the board"},
		{"approved, current", manifest.Policy{ApprovedOn: "2026-09-15", NextReview: "2027-09-15", Review: "ok", Days: 293}, "ok", "approved", "15 Sep 2026"},
		{"reviewed, not dated approval", manifest.Policy{LastReviewed: "2026-01-05", Review: "unknown"}, "unknown", "approved; no next review date", "last reviewed 5 Jan 2026"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pol := tt.pol
			pol.ID, pol.Title = "p", "Policy P"
			m := &manifest.Manifest{FormatVersion: 1, AsOf: "2026-11-26", DueSoonDays: 30,
				Schools: []manifest.School{{ID: "x", Name: "X School", Policies: []manifest.Policy{pol}}}}
			b, err := dashboard.Render(m)
			if err != nil {
				t.Fatal(err)
			}
			page := string(b)
			for _, want := range []string{`data-status="` + tt.state + `"`, `<span class="state state-` + tt.state + `">` + tt.label + `</span>`, `<td class="approved"><span class="clip" title="` + tt.approved + `">` + tt.approved + `</span></td>`} {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			for _, bad := range []string{"not recorded", "no date recorded", ">ok<"} {
				if strings.Contains(page, bad) {
					t.Errorf("page says %q", bad)
				}
			}
		})
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
		return eval(`Array.from(document.querySelectorAll("#policies tbody tr")).filter(r => !r.hidden && r.offsetParent !== null).map(r => r.dataset.school).join(",")`)
	}

	if got := eval(`document.querySelector("h1").textContent`); got != "Policy packs" {
		t.Errorf("h1 = %q", got)
	}
	// Each school has three policies, a row each.
	if got := visible(); got != "fenbrook-academy,fenbrook-academy,fenbrook-academy,hevingham-marsham,hevingham-marsham,hevingham-marsham,robert-miles-infant,robert-miles-infant,robert-miles-infant" {
		t.Errorf("rows shown = %q, want all three schools", got)
	}
	if got := eval(`document.getElementById("count").textContent`); got != "Showing 9 of 9 policies" {
		t.Errorf("count = %q (did the script run?)", got)
	}

	// Text filter, typed as a user would.
	if err := chromedp.Do(tctx, chromedp.SendKeys(chromedp.ID("filter"), "HEVINGHAM")); err != nil {
		t.Fatal(err)
	}
	if got := visible(); got != "hevingham-marsham,hevingham-marsham,hevingham-marsham" {
		t.Errorf("filter HEVINGHAM shows %q", got)
	}
	eval(`(() => { const q = document.getElementById("filter"); q.value = ""; q.dispatchEvent(new Event("input")); return ""; })()`)

	// Status filter.
	setStatus := func(v string) {
		eval(`(() => { const s = document.getElementById("status"); s.value = "` + v + `"; s.dispatchEvent(new Event("change")); return ""; })()`)
	}
	for _, tt := range []struct{ state, want string }{{"draft", "hevingham-marsham,hevingham-marsham,hevingham-marsham,robert-miles-infant,robert-miles-infant,robert-miles-infant"}, {"ok", "fenbrook-academy,fenbrook-academy,fenbrook-academy"}, {"overdue", ""}, {"due-soon", ""}, {"", "fenbrook-academy,fenbrook-academy,fenbrook-academy,hevingham-marsham,hevingham-marsham,hevingham-marsham,robert-miles-infant,robert-miles-infant,robert-miles-infant"}} {
		setStatus(tt.state)
		if got := visible(); got != tt.want {
			t.Errorf("status %q shows %q, want %q", tt.state, got, tt.want)
		}
		empty := eval(`String(document.getElementById("empty").hidden)`)
		if (tt.want == "") != (empty == "false") {
			t.Errorf("status %q: 'no policies match' hidden=%s", tt.state, empty)
		}
	}
	// Robert Miles's online safety procedure was never approved and its
	// carried-over review date has passed: a draft first, the date second.
	if got := eval(`document.querySelector('tr[data-school="robert-miles-infant"][data-text*="online-safety"] .state').textContent`); !regexp.MustCompile(`^draft; review date passed \d+ days ago$`).MatchString(got) {
		t.Errorf("Robert Miles's state = %q", got)
	}
	if got := eval(`document.querySelector('tr[data-school="robert-miles-infant"][data-text*="online-safety"] td.approved').textContent`); got != "not yet; to be approved by TILT" {
		t.Errorf("Robert Miles's Approved cell = %q", got)
	}
	if got := eval(`document.body.innerText`); strings.Contains(got, "not recorded") || strings.Contains(got, "no date recorded") {
		t.Errorf("the dashboard says 'not recorded':\n%s", got)
	}
	if got := eval(`document.querySelector('tr[data-school="hevingham-marsham"] .state').textContent`); got != "draft" {
		t.Errorf("Hevingham and Marsham's state = %q", got)
	}

	// Most urgent first: the drafts before the approved policy, without a
	// network or a reload; back to by school.
	setSort := func(v string) {
		eval(`(() => { const s = document.getElementById("sort"); s.value = "` + v + `"; s.dispatchEvent(new Event("change")); return ""; })()`)
	}
	setSort("state")
	if got := visible(); got != "hevingham-marsham,hevingham-marsham,hevingham-marsham,robert-miles-infant,robert-miles-infant,robert-miles-infant,fenbrook-academy,fenbrook-academy,fenbrook-academy" {
		t.Errorf("most urgent first: %q", got)
	}
	if got := eval(`document.getElementById("th-status").getAttribute("aria-sort")`); got != "ascending" {
		t.Errorf("sorted by state, the Status header's aria-sort = %q", got)
	}
	setSort("school")
	if got := visible(); got != "fenbrook-academy,fenbrook-academy,fenbrook-academy,hevingham-marsham,hevingham-marsham,hevingham-marsham,robert-miles-infant,robert-miles-infant,robert-miles-infant" {
		t.Errorf("by school: %q", got)
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
