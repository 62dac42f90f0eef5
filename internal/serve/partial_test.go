package serve

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/config/configtest"
)

// One school's bad config does not take the others' pages down: they serve,
// its page shows its errors, and the dashboard lists it above the rest.
func TestOneBadSchoolOthersServe(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "schools")
	if err := os.CopyFS(dir, os.DirFS("../../schools")); err != nil {
		t.Fatal(err)
	}
	bad := "name = \"Oak\"\nphas = \"primary\"\n"
	if err := os.WriteFile(filepath.Join(dir, "oak-primary.toml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	gap := `name = "Ash Primary"
phase = "primary"
key_stages = ["KS1", "KS2"]

[roles]
filtering_lead = "deputy headteacher"
filtering_governor = "safeguarding governor"

[filtering]
approvers = ["headteacher"]

[monitoring]
method = "physical-and-technical"

[practice]
mobile_phones = "handed-in"

[policies.online-safety]
approved_on = 2024-09-01

[policies.online-safety.sections.fm-filtering]
omit = true

` + configtest.RequiredFacts
	if err := os.WriteFile(filepath.Join(dir, "ash-primary.toml"), []byte(gap), 0o644); err != nil {
		t.Fatal(err)
	}
	s := New(Options{SchoolsDir: dir, AsOf: config.NewDate(2026, 11, 26)})
	if err := s.Err(); err != nil {
		t.Fatalf("whole preview failed: %v", err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	get := func(p string) (int, string) {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/robert-miles-infant/online-safety.html"); code != 200 {
		t.Errorf("a good school's page: %d", code)
	}
	code, body := get("/oak-primary/online-safety.html")
	if code != 500 || !strings.Contains(body, "phas") || !strings.Contains(body, "oak-primary.toml") {
		t.Errorf("the bad school's page: %d without its error", code)
	}
	code, body = get("/")
	if code != 200 || !strings.Contains(body, "1 school(s) cannot be previewed") || !strings.Contains(body, "robert-miles-infant") {
		t.Errorf("dashboard: %d\n%s", code, body)
	}
	// The preview's dashboard counts coverage gaps as the built one does.
	if !strings.Contains(body, `<a href="ash-primary/coverage.html" aria-label="3 uncovered: coverage report">3</a>`) {
		t.Errorf("the preview's dashboard does not show ash-primary's coverage gap")
	}

	// An error in a shared file is everyone's, and shown everywhere.
	if err := os.WriteFile(filepath.Join(dir, "oak-primary.toml"), []byte(strings.Replace(bad, "phas", "phase", 1)+"key_stages = [\"KS1\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "_defaults.toml"), []byte("bogus = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.Reload()
	if s.Err() == nil {
		t.Error("an error in _defaults.toml left the preview serving")
	}
}

// --bind 0.0.0.0 (or ::) announces an address a browser can open, not [::].
func TestAnnounce(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:8080", "[::]:8080"} {
		a, _ := net.ResolveTCPAddr("tcp", addr)
		url, others := announce(a)
		if url != "http://127.0.0.1:8080/" || others == "" || strings.Contains(others, "[::]") {
			t.Errorf("%s: %q, %q", addr, url, others)
		}
	}
	a, _ := net.ResolveTCPAddr("tcp", "127.0.0.1:1313")
	if url, others := announce(a); url != "http://127.0.0.1:1313/" || others != "" {
		t.Errorf("loopback: %q, %q", url, others)
	}
}
