package markdown

import (
	"strings"
	"testing"
)

func TestPolicyLinkID(t *testing.T) {
	for dest, want := range map[string]string{
		"policy:child-protection": "child-protection",
		"policy:a1":               "a1",
		"policy:":                 "",
		"policy:Child":            "",
		"policy:a--b":             "",
		"policy:-a":               "",
		"policy:../etc":           "",
		"policy:a.html":           "",
		"child-protection":        "",
		"https://example.org":     "",
	} {
		got, ok := PolicyLinkID(dest)
		if got != want || ok != (want != "") {
			t.Errorf("PolicyLinkID(%q) = %q, %v; want %q", dest, got, ok, want)
		}
	}
}

func TestPolicyHref(t *testing.T) {
	for _, tt := range []struct{ path, want string }{
		{"online-safety", "child-protection.pdf"},
		{"forms/parent-agreement", "../child-protection.pdf"},
		{"", "child-protection.pdf"},
	} {
		if got := PolicyHref(tt.path, "child-protection", "pdf"); got != tt.want {
			t.Errorf("PolicyHref(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

// TestMarkdownResolvesPolicyLinks: the Markdown file links the other
// policy's Markdown file, relative to its own folder; text that only looks
// like a link (escaped, as compose escapes a school's values) is kept.
func TestMarkdownResolvesPolicyLinks(t *testing.T) {
	src := "Read with our [Child Protection Policy](policy:child-protection).\n\n" +
		`Not a link: \[x\](policy:child-protection) and \\[y](policy:mobile-phones).` + "\n"
	for _, tt := range []struct{ path, href string }{
		{"online-safety", "child-protection.md"},
		{"forms/parent-agreement", "../child-protection.md"},
	} {
		m := Meta{Path: tt.path, Front: Front{TitleBlock: []byte("# T [A](policy:acceptable-use)\n")}}
		got := string(Parse([]byte(src), m).Markdown())
		if !strings.Contains(got, "[Child Protection Policy]("+tt.href+")") {
			t.Errorf("%s: policy link not resolved to %s:\n%s", tt.path, tt.href, got)
		}
		if !strings.Contains(got, `\[x\](policy:child-protection)`) {
			t.Errorf("%s: escaped text rewritten:\n%s", tt.path, got)
		}
		// "\\[y]" is an escaped backslash, then a real link.
		if want := `\\[y](` + strings.TrimSuffix(tt.href, "child-protection.md") + "mobile-phones.md)"; !strings.Contains(got, want) {
			t.Errorf("%s: want %s in:\n%s", tt.path, want, got)
		}
		if want := "(" + strings.TrimSuffix(tt.href, "child-protection.md") + "acceptable-use.md)"; !strings.Contains(got, want) {
			t.Errorf("%s: title block link not resolved (want %s):\n%s", tt.path, want, got)
		}
	}
}
