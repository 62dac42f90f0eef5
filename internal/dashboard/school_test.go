package dashboard_test

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"slices"
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

// TestSchoolPageStatic checks a school's page without a browser: every
// file of the school linked relative to its folder, each document with
// its policy's record, escaped, deterministic, self-contained.
func TestSchoolPageStatic(t *testing.T) {
	m := &manifest.Manifest{FormatVersion: 1, AsOf: "2026-11-26", DueSoonDays: 30}
	s := manifest.School{ID: "x", Name: `<b>Oak</b> & Ash`, Policies: []manifest.Policy{
		{ID: "p", Title: "P", Version: "2.0", ApprovedBy: "Full board", ApprovedOn: "2025-12-01", NextReview: "2026-12-01", Review: "due-soon", Days: 5},
		{ID: "q", Title: "Q", Review: "unknown"},
		{ID: "r", Title: "R", ApprovedBy: "Trust board", NextReview: "2024-05-24", Review: "overdue", Days: -916}}}
	files := []manifest.File{
		{Path: "x/p.html", School: "x", Policy: "p", Document: "p", Kind: "policy", Title: "P", Format: "html"},
		{Path: "x/p.pdf", School: "x", Policy: "p", Document: "p", Kind: "policy", Title: "P", Format: "pdf"},
		{Path: "x/forms/f.pdf", School: "x", Policy: "p", Document: "f", Kind: "form", Title: "Form F", Format: "pdf"},
		{Path: "x/q.pdf", School: "x", Policy: "q", Document: "q", Kind: "policy", Title: "Q", Format: "pdf"},
		{Path: "x/r.pdf", School: "x", Policy: "r", Document: "r", Kind: "policy", Title: "R", Format: "pdf"},
		{Path: "x/forms/g.pdf", School: "x", Policy: "r", Document: "g", Kind: "form", Title: "Form G", Format: "pdf"},
		{Path: "x/pack.pdf", School: "x", Document: "pack", Kind: dashboard.PackKind, Title: "Policy pack", Format: "pdf"},
		{Path: "x/coverage.html", School: "x", Document: "coverage", Kind: "report", Title: "Coverage", Format: "html"},
		{Path: "x/index.html", School: "x", Document: dashboard.SchoolPageID, Kind: "report", Title: "School page", Format: "html"},
	}
	a, err := dashboard.SchoolPage(m, s, files)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := dashboard.SchoolPage(m, s, files); !bytes.Equal(a, b) {
		t.Error("two renders differ")
	}
	page := string(a)
	for _, bad := range []string{"<b>Oak", "http://", "https://", "src=", "url(", `href="index.html"`} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	for _, want := range []string{
		"&lt;b&gt;Oak&lt;/b&gt; &amp; Ash", "26 November 2026",
		`href="p.html"`, `href="p.pdf"`, `href="forms/f.pdf"`, `href="q.pdf"`, `href="pack.pdf"`, `href="coverage.html"`, `href="../index.html"`,
		"1 December 2025<br><small>by Full board</small>", "1 December 2026", "due in 5 days", "Form: Form F",
		"not yet approved<br><small>to be approved by Trust board</small>", "draft; review overdue by 916 days",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// The form sits under its policy, with the policy's record.
	if i, j, k := strings.Index(page, ">P<"), strings.Index(page, "Form F"), strings.Index(page, ">Q<"); !(i < j && j < k) {
		t.Errorf("documents out of order: P at %d, its form at %d, Q at %d", i, j, k)
	}
	// A form carries no review date or state (it goes to people to sign),
	// only whether its policy is a draft.
	if strings.Count(page, "due in 5 days") != 1 || strings.Count(page, "1 December 2026") != 1 {
		t.Errorf("a form carries its policy's review state")
	}
	form := page[strings.Index(page, "Form G"):]
	form = form[:strings.Index(form, "</tr>")]
	if strings.Contains(form, "overdue") || strings.Contains(form, "24 May 2024") || !strings.Contains(form, ">draft<") {
		t.Errorf("a draft's form row should say draft and no review: %s", form)
	}
	// A draft is never shown as approved by anyone.
	if strings.Contains(page, "draft<br><small>Trust board") {
		t.Error("a draft's approver reads as its approval")
	}
}

// TestSchoolPageInBrowser opens each seed school's page from disk in
// headless Chromium: it links every file the manifest lists for the
// school (the page itself aside) and nothing else but the dashboard,
// every link opens a file, and it fetches nothing. The dashboard links
// each school's page and pack.
func TestSchoolPageInBrowser(t *testing.T) {
	exe := testtool.Chromium(t)
	out := t.TempDir()
	// A date after every example school's approval (the third was
	// approved in September 2026).
	asOf, _ := config.ParseDate("2026-11-26")
	if _, err := build.Run(build.Options{SchoolsDir: "../../schools", OutDir: out, AsOf: asOf, Formats: []string{"md", "html", "pdf"}, Version: "test"}); err != nil {
		t.Fatalf("build: %v", err)
	}
	m, err := manifest.Read(filepath.Join(out, manifest.Name))
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(tctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("evaluating %s: %v", js, err)
		}
		return v
	}
	links := func() []string {
		return strings.Split(eval(`Array.from(document.querySelectorAll("a")).map(a => a.href).join("\n")`), "\n")
	}
	rel := func(href string) string {
		u, err := url.Parse(href)
		if err != nil || u.Scheme != "file" {
			t.Errorf("link %q is not a file in dist", href)
			return ""
		}
		r, err := filepath.Rel(out, u.Path)
		if err != nil || strings.HasPrefix(r, "..") {
			t.Errorf("link %q leaves dist", href)
			return ""
		}
		if st, err := os.Stat(u.Path); err != nil || !st.Mode().IsRegular() {
			t.Errorf("link %q: %v", href, err)
		}
		return filepath.ToSlash(r)
	}

	dash := (&url.URL{Scheme: "file", Path: filepath.Join(out, build.IndexName)}).String()
	if err := chromedp.Do(tctx, chromedp.Navigate(dash)); err != nil {
		t.Fatal(err)
	}
	var fromDash []string
	for _, l := range links() {
		fromDash = append(fromDash, rel(l))
	}
	for _, s := range m.Schools {
		t.Run(s.ID, func(t *testing.T) {
			for _, want := range []string{s.ID + "/index.html", s.ID + "/pack.pdf"} {
				if !slices.Contains(fromDash, want) {
					t.Errorf("the dashboard does not link %s", want)
				}
			}
			page := (&url.URL{Scheme: "file", Path: filepath.Join(out, s.ID, "index.html")}).String()
			if err := chromedp.Do(tctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("documents"))); err != nil {
				t.Fatalf("opening %s: %v", page, err)
			}
			if got := eval(`document.querySelector("h1").textContent`); got != s.Name {
				t.Errorf("h1 = %q, want %q", got, s.Name)
			}
			var got []string
			for _, l := range links() {
				got = append(got, rel(l))
			}
			var want []string
			for _, f := range m.Files {
				if f.School == s.ID && f.Path != s.ID+"/index.html" {
					want = append(want, f.Path)
				}
			}
			want = append(want, build.IndexName)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("links:\n%s\nwant every file of the school and the dashboard:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if n := eval(`String(document.querySelectorAll("#documents tbody tr").length)`); n != "7" {
				t.Errorf("%s rows, want three policies and their four forms (the child protection policy has none)", n)
			}
			if got := eval(`performance.getEntriesByType("resource").map(e => e.name).join(" ")`); got != "" {
				t.Errorf("the school page fetched %s", got)
			}
		})
	}
}
