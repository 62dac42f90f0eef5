package cli

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/policypack/policypack/internal/scaffold"
	"github.com/policypack/policypack/internal/testtool"
)

// startServe runs `policypack serve` on a free loopback port over a fresh
// init'd repository and returns its folder and URL; the server stops when
// the test ends, and the test fails if it does not stop cleanly.
func startServe(t *testing.T, bind string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	if _, err := scaffold.Write(dir, false); err != nil {
		t.Fatal(err)
	}
	setRequired(t, dir)
	// Serve from the repository folder with relative paths, as a user
	// does, so messages (and screenshots) show schools/<id>.toml.
	t.Chdir(dir)
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	io, _, _ := testIO()
	opts := &ServeOptions{IO: io, SchoolsDir: "schools", TemplatesDir: "templates",
		Port: 0, Bind: bind, AsOf: "2026-11-26", Ready: func(u string) { ready <- u }}
	go func() { done <- runServe(ctx, opts) }()
	var u string
	select {
	case u = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("serve: %v", err)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("serve did not start")
	}
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve stopped with %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("serve did not stop within 5s of its context ending")
		}
	})
	return dir, u
}

// repoRoot is the repository's folder, found before any test changes the
// working folder.
var repoRoot = func() string {
	wd, _ := os.Getwd()
	return filepath.Join(wd, "..", "..")
}()

// TestServeBindsLoopbackByDefault: the default --bind is loopback, and the
// port is not reachable on any other address of this machine.
func TestServeBindsLoopbackByDefault(t *testing.T) {
	cmd := newServeCmd(IO{})
	if got := cmd.Flag("bind").DefValue; got != "127.0.0.1" {
		t.Fatalf("default --bind = %q, want 127.0.0.1", got)
	}
	_, u := startServe(t, cmd.Flag("bind").DefValue)
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	if ip := net.ParseIP(pu.Hostname()); ip == nil || !ip.IsLoopback() {
		t.Fatalf("server listens on %s, not a loopback address", pu.Host)
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("loopback: %v", err)
	}
	resp.Body.Close()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	tried := 0
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() || ipn.IP.IsLinkLocalUnicast() {
			continue
		}
		tried++
		c, err := net.DialTimeout("tcp", net.JoinHostPort(ipn.IP.String(), pu.Port()), time.Second)
		if err == nil {
			c.Close()
			t.Errorf("the preview is reachable on %s: it must listen on loopback only", ipn.IP)
		}
	}
	t.Logf("checked %d non-loopback address(es)", tried)
}

// browser starts headless Chromium (found by testtool: fatal in CI, a
// skip elsewhere).
func browser(t *testing.T) context.Context {
	t.Helper()
	exe := testtool.Chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1100, 800),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	ctx, cancelC := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelC(); cancelB(); cancelA() })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1100, 800)); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// waitText polls the page's text until it contains want (reloads in
// between are expected: evaluation errors during one are retried) and
// returns how long that took.
func waitText(t *testing.T, ctx context.Context, want string, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	var last string
	for time.Since(start) < within {
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		if err == nil {
			last = text
			if strings.Contains(text, want) {
				return time.Since(start)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("page did not show %q within %v; it shows:\n%.600s", want, within, last)
	return 0
}

func rewrite(t *testing.T, path, old, new string) {
	t.Helper()
	editFile(t, path, func(s string) string {
		if !strings.Contains(s, old) {
			t.Fatalf("%s does not contain %q", path, old)
		}
		return strings.Replace(s, old, new, 1)
	})
}

func TestServeInBrowser(t *testing.T) {
	ctx := browser(t)
	dir, u := startServe(t, "127.0.0.1")
	school := filepath.Join(dir, "schools", scaffold.ExampleID+".toml")

	// The dashboard loads and lists the example school.
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, scaffold.ExampleName, 10*time.Second)
	screenshot(t, ctx, "preview-dashboard.png")

	// A document opens from the dashboard.
	link := `a[href="` + scaffold.ExampleID + `/online-safety.html"]`
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(link))); err != nil {
		t.Fatalf("clicking the policy link: %v", err)
	}
	waitText(t, ctx, "Online Safety Policy", 10*time.Second)
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.HasSuffix(loc, "/"+scaffold.ExampleID+"/online-safety.html") {
		t.Fatalf("after the click the browser is at %s", loc)
	}
	waitText(t, ctx, scaffold.ExampleName, 5*time.Second)
	screenshot(t, ctx, "preview-policy.png")

	// Saving a changed config updates the open page by itself.
	marker := "document.body.dataset.sameLoad = 'yes'"
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](marker)); err != nil {
		t.Fatal(err)
	}
	rewrite(t, school, `name = "`+scaffold.ExampleName+`"`, `name = "Oakfield Junior School"`)
	took := waitText(t, ctx, "Oakfield Junior School", 5*time.Second)
	t.Logf("page reloaded %v after the save", took.Round(time.Millisecond))
	if took > 2*time.Second {
		t.Errorf("reload took %v, want within about a second", took)
	}
	if same, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.dataset.sameLoad || ""`)); same != "" {
		t.Error("the page changed without being reloaded?")
	}

	// A broken config shows its error in the page: file, line, key, hint.
	rewrite(t, school, `phase = "primary"`, `phase = "primry"`)
	waitText(t, ctx, "The preview cannot be built", 5*time.Second)
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("policypack-error").innerText`))
	for _, want := range []string{"schools/" + scaffold.ExampleID + ".toml:", "phase", "Hint:", "primary"} {
		if !strings.Contains(text, want) {
			t.Errorf("error page lacks %q:\n%s", want, text)
		}
	}
	screenshot(t, ctx, "preview-error.png")

	// Fixing it clears the error, back on the same document.
	rewrite(t, school, `phase = "primry"`, `phase = "primary"`)
	waitText(t, ctx, "Oakfield Junior School", 5*time.Second)
	if text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`)); strings.Contains(text, "cannot be built") {
		t.Error("the error is still shown after the fix")
	}

	// A broken template override is shown the same way, naming its file;
	// removing it clears the error.
	override := filepath.Join(dir, "templates", "online-safety", "sections", "aims.md.tmpl")
	if err := os.MkdirAll(filepath.Dir(override), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(override, []byte("Our aims {{ if }}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "The preview cannot be built", 5*time.Second)
	if text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`)); !strings.Contains(text, "templates/online-safety/sections/aims.md.tmpl") {
		t.Errorf("template error page does not name the file:\n%s", text)
	}
	if err := os.Remove(override); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "Oakfield Junior School", 5*time.Second)

	// The PDF is served too.
	resp, err := http.Get(strings.TrimSuffix(u, "/") + "/" + scaffold.ExampleID + "/online-safety.pdf")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var head [5]byte
	resp.Body.Read(head[:])
	if resp.StatusCode != 200 || string(head[:]) != "%PDF-" {
		t.Errorf("PDF: status %d, starts %q", resp.StatusCode, head)
	}

	// So is the Word document, with the type that opens it in Word.
	resp, err = http.Get(strings.TrimSuffix(u, "/") + "/" + scaffold.ExampleID + "/online-safety.docx")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	resp.Body.Read(head[:2])
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || string(head[:2]) != "PK" ||
		ct != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
		t.Errorf("Word document: status %d, type %q, starts %q", resp.StatusCode, ct, head[:2])
	}
}

// TestRedlineScreenshot renders a redline in the browser (and saves its
// screenshot when asked): the marks must be visible as real <ins>/<del>.
func TestRedlineScreenshot(t *testing.T) {
	ctx := browser(t)
	dir, commit := gitRepo(t)
	school := filepath.Join(dir, "schools", scaffold.ExampleID+".toml")
	editFile(t, school, func(s string) string { return s + "\n[policies.online-safety]\napproved_on = 2025-05-24\n" })
	commit("approved by governors")
	rewrite(t, school, `name = "`+scaffold.ExampleName+`"`, `name = "Oakfield Junior School"`)
	rewrite(t, school, `mobile_phones = "off-and-away"`, `mobile_phones = "not-allowed"`)
	out := filepath.Join(t.TempDir(), "redline.html")
	io, _, _ := testIO()
	if err := runDiff(&DiffOptions{IO: io, SchoolsDir: filepath.Join(dir, "schools"), ID: scaffold.ExampleID, Policy: "online-safety", Out: out, AsOf: "2026-11-26"}); err != nil {
		t.Fatalf("diff: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+out)); err != nil {
		t.Fatal(err)
	}
	waitText(t, ctx, "sections changed", 5*time.Second)
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("section.changed ins").length`))
	if err != nil || n == 0 {
		t.Fatalf("no insertions shown in changed sections (%d, %v)", n, err)
	}
	screenshot(t, ctx, "redline.png")
}

// screenshot saves the viewport as a small PNG under
// $POLICYPACK_SCREENSHOTS (relative paths from the repository root), for
// the README; without it nothing is written.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("POLICYPACK_SCREENSHOTS")
	if dir == "" {
		return
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(repoRoot, dir)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	small, err := shrinkPNG(shot)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), small, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("saved %s (%d KB)", filepath.Join(dir, name), len(small)/1024)
}

// shrinkPNG re-encodes a screenshot with a 256-colour palette at best
// compression, which keeps a page of text legible at a fraction of the size.
func shrinkPNG(data []byte) ([]byte, error) {
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	pal := image.NewPaletted(img.Bounds(), paletteOf(img))
	draw.Draw(pal, img.Bounds(), img, img.Bounds().Min, draw.Src)
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&b, pal); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// paletteOf picks the 256 most common colours (in 5-bit-per-channel
// buckets, averaged), ties broken by bucket so the result is deterministic.
// Screenshots of documents are mostly a few flat colours.
func paletteOf(img image.Image) color.Palette {
	type acc struct{ n, r, g, b int }
	buckets := map[int]*acc{}
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			r8, g8, b8 := int(r>>8), int(g>>8), int(b>>8)
			k := (r8>>3)<<10 | (g8>>3)<<5 | b8>>3
			a := buckets[k]
			if a == nil {
				a = &acc{}
				buckets[k] = a
			}
			a.n++
			a.r += r8
			a.g += g8
			a.b += b8
		}
	}
	keys := make([]int, 0, len(buckets))
	for k := range buckets {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b int) int {
		if d := buckets[b].n - buckets[a].n; d != 0 {
			return d
		}
		return a - b
	})
	var pal color.Palette
	for _, k := range keys[:min(256, len(keys))] {
		a := buckets[k]
		pal = append(pal, color.RGBA{uint8(a.r / a.n), uint8(a.g / a.n), uint8(a.b / a.n), 255})
	}
	return pal
}
