package dashboard_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/policypack/policypack/internal/testtool"
)

// axePath finds axe-core's axe.min.js, installed from npm (it is not
// committed): $AXE_CORE, else testdata/node_modules/axe-core/axe.min.js as
// `npm install --prefix internal/dashboard/testdata axe-core@4.14.1` leaves it.
// Without it the test is skipped on a developer's machine and fails in CI,
// as testtool does for a missing program.
func axePath(t *testing.T) string {
	for _, p := range []string{os.Getenv("AXE_CORE"), "testdata/node_modules/axe-core/axe.min.js"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	msg := "axe-core not installed: npm install --prefix internal/dashboard/testdata axe-core@4.14.1 (or set AXE_CORE to axe.min.js)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg + "; .ci/run must install it")
	}
	t.Skip(msg)
	return ""
}

// TestAccessibility runs axe-core in headless Chromium over what schools
// publish and what a trust officer opens first: the dashboard, a school's
// page, a policy, a form and a coverage report, as built. Every WCAG 2.2 A
// and AA rule axe checks must pass.
func TestAccessibility(t *testing.T) {
	axeJS, err := os.ReadFile(axePath(t))
	if err != nil {
		t.Fatal(err)
	}
	exe := testtool.Chromium(t)
	out := buildSeeds(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	for _, page := range []string{
		"index.html",
		"robert-miles-infant/index.html",
		"robert-miles-infant/online-safety.html",
		"robert-miles-infant/forms/parent-agreement.html",
		"hevingham-marsham/online-safety.html",
		"robert-miles-infant/coverage.html",
	} {
		t.Run(page, func(t *testing.T) {
			u := (&url.URL{Scheme: "file", Path: filepath.Join(out, page)}).String()
			tab, cancel := chromedp.NewContext(ctx) // a tab per page
			defer cancel()
			tctx, cancel := context.WithTimeout(tab, 60*time.Second)
			defer cancel()
			if err := chromedp.Do(tctx, chromedp.Navigate(u)); err != nil {
				t.Fatalf("opening %s: %v", u, err)
			}
			if _, err := chromedp.Run(tctx, chromedp.Evaluate[any](string(axeJS)+";0")); err != nil {
				t.Fatalf("loading axe: %v", err)
			}
			js := `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]}})
				.then(r => r.violations.map(v => v.id + " (" + v.impact + "): " + v.help + " at " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join("; ")).join("\n"))`
			got, err := chromedp.Run(tctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("running axe: %v", err)
			}
			if strings.TrimSpace(got) != "" {
				t.Errorf("WCAG 2.2 A/AA violations in %s:\n%s", page, got)
			}
		})
	}
}
