package serve

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestLoopbackOnly(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	h := LoopbackOnly(ok)
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

func TestIsLoopback(t *testing.T) {
	for bind, want := range map[string]bool{"127.0.0.1": true, "::1": true, "0.0.0.0": false, "192.168.1.5": false} {
		if got := IsLoopback(bind); got != want {
			t.Errorf("IsLoopback(%q) = %v", bind, got)
		}
	}
}
