package serve

import (
	"bytes"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/build"
	"github.com/policypack/policypack/internal/config"
)

// TestServesPackAndSchoolPage: the preview serves each school's bound pack
// and its page, the pack byte for byte as a build writes it, and the
// dashboard links both.
func TestServesPackAndSchoolPage(t *testing.T) {
	asOf := config.NewDate(2026, 11, 26)
	out := t.TempDir()
	if _, err := build.Run(build.Options{SchoolsDir: "../../schools", OutDir: out, AsOf: asOf, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	s := New(Options{SchoolsDir: "../../schools", AsOf: asOf, Version: "test"})
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	get := func(path string) (string, []byte) {
		t.Helper()
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		body, _ := io.ReadAll(w.Result().Body)
		if w.Code != 200 {
			t.Fatalf("GET %s: status %d\n%s", path, w.Code, body)
		}
		return w.Header().Get("Content-Type"), body
	}
	ct, pack := get("/robert-miles-infant/pack.pdf")
	want, err := os.ReadFile(filepath.Join(out, "robert-miles-infant", "pack.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if ct != "application/pdf" || !bytes.Equal(pack, want) {
		t.Errorf("pack.pdf: type %q, %d bytes; a build writes %d bytes", ct, len(pack), len(want))
	}
	ct, page := get("/robert-miles-infant/index.html")
	built, err := os.ReadFile(filepath.Join(out, "robert-miles-infant", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	// The preview adds only its reload script.
	if i := bytes.Index(page, []byte("<script data-policypack-reload>")); !strings.HasPrefix(ct, "text/html") || i < 0 ||
		!bytes.Equal(append(page[:i:i], page[bytes.Index(page, []byte("</body>")):]...), built) {
		t.Errorf("the served school page differs from the built one (type %q)", ct)
	}
	_, dash := get("/")
	for _, href := range []string{`href="robert-miles-infant/index.html"`, `href="robert-miles-infant/pack.pdf"`} {
		if !bytes.Contains(dash, []byte(href)) {
			t.Errorf("the preview's dashboard lacks %s", href)
		}
	}
}
