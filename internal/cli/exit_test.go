package cli

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	schools := filepath.Join(dir, "schools")
	if err := os.MkdirAll(schools, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(schools, "bad.toml"), []byte("name = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"--version"}, ExitOK},
		{[]string{"schema"}, ExitOK},
		{[]string{"build", "--no-such-flag"}, ExitUsage},
		{[]string{"no-such-command"}, ExitUsage},
		{[]string{"new"}, ExitUsage},
		{[]string{"new", "Bad_Id", "--schools", schools}, ExitUsage},
		{[]string{"schema", "extra"}, ExitUsage},
		{[]string{"build", "--as-of", "24/05/2024", "--schools", schools}, ExitUsage},
		{[]string{"build", "--format", "docx", "--schools", schools}, ExitUsage},
		{[]string{"check", "--schools", schools}, ExitInvalid},
		{[]string{"build", "--schools", schools, "--out", filepath.Join(dir, "dist")}, ExitInvalid},
		{[]string{"check", "--schools", filepath.Join(dir, "missing")}, ExitInvalid},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		got := Main(tt.args, IO{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut})
		if got != tt.want {
			t.Errorf("policypack %v: exit %d, want %d\nstderr: %s", tt.args, got, tt.want, errOut.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "dist")); !os.IsNotExist(err) {
		t.Errorf("a failed build created its output folder")
	}
}

func TestLoopbackHostOnly(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	h := loopbackHostOnly(ok)
	tests := map[string]int{
		"127.0.0.1:1313": http.StatusOK, "localhost:1313": http.StatusOK, "[::1]:1313": http.StatusOK,
		"localhost": http.StatusOK, "evil.example:1313": http.StatusForbidden, "192.168.1.5:1313": http.StatusForbidden,
	}
	for host, want := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != want {
			t.Errorf("Host %s: status %d, want %d", host, w.Code, want)
		}
	}
}
