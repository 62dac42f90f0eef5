package html

import (
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/markdown"
)

// TestPolicyLinks: a link to another policy is that policy's HTML file
// beside this one (from a form, one folder up); where the document has no
// place beside the policies it is plain text; other links are goldmark's,
// which still blanks javascript:.
func TestPolicyLinks(t *testing.T) {
	src := "Read with our [Child Protection Policy](policy:child-protection), " +
		"[a bad one](policy:Bad/../x), [web](https://example.org) and [js](javascript:alert(1)).\n"
	for _, tt := range []struct{ path, want string }{
		{"online-safety", `<a href="child-protection.html">Child Protection Policy</a>`},
		{"forms/parent-agreement", `<a href="../child-protection.html">Child Protection Policy</a>`},
		{"", `our Child Protection Policy,`},
	} {
		page, err := Render(markdown.Parse([]byte(src), markdown.Meta{Title: "T", Path: tt.path}))
		if err != nil {
			t.Fatal(err)
		}
		got := string(page)
		if !strings.Contains(got, tt.want) {
			t.Errorf("path %q: want %s in\n%s", tt.path, tt.want, got)
		}
		for _, bad := range []string{"policy:", "javascript:", `href="x`} {
			if strings.Contains(got, bad) {
				t.Errorf("path %q: page contains %q", tt.path, bad)
			}
		}
		if !strings.Contains(got, `a bad one`) || !strings.Contains(got, `<a href="https://example.org">web</a>`) {
			t.Errorf("path %q: other links not as goldmark renders them:\n%s", tt.path, got)
		}
	}
}
