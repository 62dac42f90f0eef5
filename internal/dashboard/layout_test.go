package dashboard_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/policypack/policypack/internal/dashboard"
	"github.com/policypack/policypack/internal/manifest"
	"github.com/policypack/policypack/internal/testtool"
)

// fiftySchools is a trust of fifty schools as a build's manifest lists
// them, with names as long as real ones, every state, gaps, local
// deviations, forms, a pack and a coverage report in every format.
func fiftySchools() *manifest.Manifest {
	m := &manifest.Manifest{FormatVersion: 1, AsOf: "2026-11-26", DueSoonDays: 30}
	pols := []manifest.Policy{
		{ApprovedBy: "the local governing board", ApprovedOn: "2026-09-15", NextReview: "2027-09-15", Review: "ok", Days: 293},
		{ApprovedBy: "the Trust Board", ApprovedOn: "2025-05-24", NextReview: "2026-05-24", Review: "overdue", Days: -186},
		{ApprovedBy: "Governors", NextReview: "2024-05-24", Review: "overdue", Days: -916},
		{ApprovedOn: "2025-12-10", NextReview: "2026-12-10", Review: "due-soon", Days: 14},
		{Review: "unknown"},
	}
	names := []string{"Hevingham and Marsham Primary School Partnership", "Robert Miles Infant School", "Fenbrook Academy", "St Mary and St Peter's Church of England Voluntary Aided Junior School"}
	for i := range 50 {
		id := fmt.Sprintf("school-%02d", i)
		pol := pols[i%len(pols)]
		pol.ID, pol.Title, pol.Version, pol.Deviations = "online-safety", "Online Safety Policy", "3.0", i%4
		m.Schools = append(m.Schools, manifest.School{ID: id, Name: fmt.Sprintf("%s %d", names[i%len(names)], i),
			Policies: []manifest.Policy{pol}, Uncovered: i % 3, Deviations: i % 4})
		for _, f := range []string{"html", "pdf", "docx", "md"} {
			m.Files = append(m.Files,
				manifest.File{Path: id + "/online-safety." + f, School: id, Policy: "online-safety", Document: "online-safety", Kind: "policy", Title: "Online Safety Policy", Format: f},
				manifest.File{Path: id + "/forms/parent-agreement." + f, School: id, Policy: "online-safety", Document: "parent-agreement", Kind: "form", Title: "Parent/carer acceptable use agreement and consent form", Format: f},
				manifest.File{Path: id + "/forms/pupil-code-of-conduct." + f, School: id, Policy: "online-safety", Document: "pupil-code-of-conduct", Kind: "form", Title: "Pupil acceptable use agreement", Format: f},
			)
		}
		m.Files = append(m.Files,
			manifest.File{Path: id + "/pack.pdf", School: id, Kind: dashboard.PackKind, Document: "pack", Title: "Policy pack", Format: "pdf"},
			manifest.File{Path: id + "/index.html", School: id, Kind: "report", Document: dashboard.SchoolPageID, Title: "School page", Format: "html"},
			manifest.File{Path: id + "/coverage.html", School: id, Kind: "report", Document: "coverage", Title: "Coverage", Format: "html"},
			manifest.File{Path: id + "/coverage.json", School: id, Kind: "report", Document: "coverage", Title: "Coverage", Format: "json"},
		)
	}
	return m
}

// TestFiftySchools renders a trust of fifty schools at a laptop's
// 1366x768: one line per policy, about twenty to a screen, all fifty in
// under three screens, most urgent first on demand; and printed (A4
// landscape) with every column on the page, none clipped.
func TestFiftySchools(t *testing.T) {
	exe := testtool.Chromium(t)
	b, err := dashboard.Render(fiftySchools())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "index.html")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768),
		chromedp.Navigate((&url.URL{Scheme: "file", Path: file}).String()), chromedp.WaitVisible(chromedp.ID("policies"))); err != nil {
		t.Fatal(err)
	}
	eval := func(js string, v any) {
		t.Helper()
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](js))
		if err != nil {
			t.Fatalf("evaluating %s: %v", js, err)
		}
		if v != nil {
			if err := json.Unmarshal(raw, v); err != nil {
				t.Fatalf("evaluating %s: %v", js, err)
			}
		}
	}
	type geometry struct {
		Rows       int
		MaxHeight  float64
		Tallest    string
		FirstTop   float64
		LastBottom float64
		OnScreen   int
		Overflow   float64 // how far the table runs past the window's right edge
	}
	measure := func() geometry {
		var g geometry
		eval(`(() => {
			const rows = Array.from(document.querySelectorAll("#policies tbody tr")), t = document.getElementById("policies");
			let max = 0, tallest = "", onScreen = 0;
			for (const r of rows) {
				const b = r.getBoundingClientRect();
				if (b.height > max) { max = b.height; tallest = r.innerText.replace(/\s+/g, " "); }
				if (b.bottom <= window.innerHeight) onScreen++;
			}
			return {Rows: rows.length, MaxHeight: max, Tallest: tallest,
				FirstTop: rows[0].getBoundingClientRect().top, LastBottom: rows[rows.length-1].getBoundingClientRect().bottom,
				OnScreen: onScreen, Overflow: t.getBoundingClientRect().right - document.documentElement.clientWidth};
		})()`, &g)
		return g
	}

	g := measure()
	if g.Rows != 50 {
		t.Fatalf("%d rows, want 50", g.Rows)
	}
	if g.MaxHeight > 32 {
		t.Errorf("the tallest row is %.0f px high, want at most 32: %s", g.MaxHeight, g.Tallest)
	}
	if perScreen := int(768 / g.MaxHeight); perScreen < 20 {
		t.Errorf("%d rows fit on a screen, want about twenty", perScreen)
	}
	if g.OnScreen < 15 {
		t.Errorf("%d rows show on the first screen, below the heading and filters", g.OnScreen)
	}
	if h := g.LastBottom - g.FirstTop; h > 3*768 {
		t.Errorf("fifty rows take %.0f px, more than three screens", h)
	}
	if g.Overflow > 0 {
		t.Errorf("the table runs %.0f px past the window's right edge", g.Overflow)
	}

	// Most urgent first keeps rows one line high.
	eval(`(() => { const s = document.getElementById("sort"); s.value = "state"; s.dispatchEvent(new Event("change")); return 0; })()`, nil)
	var order string
	eval(`Array.from(document.querySelectorAll("#policies tbody tr")).map(r => r.dataset.status).filter((s, i, a) => a.indexOf(s) === i).join(",")`, &order)
	if order != "overdue,due-soon,draft,ok" {
		t.Errorf("most urgent first, the states come %s", order)
	}
	if g := measure(); g.MaxHeight > 32 {
		t.Errorf("sorted by state, the tallest row is %.0f px high: %s", g.MaxHeight, g.Tallest)
	}

	// Printed on A4 landscape (277 mm between the margins, 1047 CSS px):
	// the table fits across the page.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1047, 740)); err != nil {
		t.Fatal(err)
	}
	if g := measure(); g.Overflow > 0 {
		t.Errorf("printed, the table runs %.0f px past the page's right edge", g.Overflow)
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(func(p *page.PrintToPDFParams) { yes := true; p.PreferCSSPageSize = &yes }))
	if err != nil {
		t.Fatal(err)
	}
	pdfPath := filepath.Join(dir, "index.pdf")
	if err := os.WriteFile(pdfPath, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command(testtool.Path(t, "pdftotext"), "-layout", pdfPath, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// Every column's header is on the page, its words whole, and the last
	// rows; the links (files, reports) are left off paper.
	for _, want := range []string{"School", "Policy", "Version", "Approved", "Next", "review", "Status", "Uncovered", "Deviations", "Fenbrook Academy 46", "Robert Miles Infant School 49", "draft; review date passed 916 days ago"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the printed dashboard lacks %q", want)
		}
	}
}
