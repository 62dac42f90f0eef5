package docx

import (
	"regexp"
	"strings"
	"testing"
)

// TestPolicyLinks: a link to another policy is a hyperlink to that
// policy's Word file beside this one, an external relationship with a
// relative target (Word resolves it against the document's folder); where
// the document has no place beside the policies it is plain text.
func TestPolicyLinks(t *testing.T) {
	src := "Read with our [Child Protection Policy](policy:child-protection) and [x](policy:Bad).\n"
	for _, tt := range []struct{ path, target string }{
		{"online-safety", "child-protection.docx"},
		{"forms/parent-agreement", "../child-protection.docx"},
		{"", ""},
	} {
		m := testMeta(false)
		m.Path = tt.path
		_, parts := render(t, parse(src, m))
		rels, doc := parts["word/_rels/document.xml.rels"], parts["word/document.xml"]
		if strings.Contains(rels, "policy:") || strings.Contains(doc, "policy:") {
			t.Errorf("path %q: an unresolved policy link reached the file", tt.path)
		}
		links := regexp.MustCompile(`<w:hyperlink r:id="(rId\d+)"`).FindAllStringSubmatch(doc, -1)
		if tt.target == "" {
			if len(links) != 0 || !strings.Contains(doc, "Child Protection Policy") {
				t.Errorf("path %q: want plain text, got %d hyperlinks", tt.path, len(links))
			}
			continue
		}
		if len(links) != 1 {
			t.Fatalf("path %q: %d hyperlinks, want 1 (the bad id is text)", tt.path, len(links))
		}
		want := `<Relationship Id="` + links[0][1] + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="` + tt.target + `" TargetMode="External"/>`
		if !strings.Contains(rels, want) {
			t.Errorf("path %q: want %s in\n%s", tt.path, want, rels)
		}
	}
}
