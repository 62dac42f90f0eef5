package build

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/config"
)

// TestExamplePolicyLinks: Robert Miles' online safety procedure names its
// mobile phone policy, which the pack has, as a link in every format: its
// linked-policies list shows it once, in the school's words; the policy's
// own PDF links the other PDF and the bound pack links inside itself.
func TestExamplePolicyLinks(t *testing.T) {
	sess, err := Open(Options{SchoolsDir: "../../schools", AsOf: config.NewDate(2026, 11, 26)})
	if err != nil {
		t.Fatal(err)
	}
	files, err := renderSchoolTest(sess, "robert-miles-infant")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]byte{}
	for _, f := range files {
		got[strings.TrimPrefix(f.Path, "robert-miles-infant/")] = f.Data
	}
	md := string(got["online-safety.md"])
	if n := strings.Count(md, "](mobile-phones.md)"); n < 2 {
		t.Errorf("online-safety.md links mobile-phones.md %d times, want the list and the text", n)
	}
	if !strings.Contains(md, "\n- [Mobile phone policy](mobile-phones.md)\n") || strings.Count(md, "\n- Mobile phone") != 0 {
		t.Errorf("the linked-policies list does not show the mobile phone policy once, linked, in the school's words")
	}
	if !strings.Contains(string(got["online-safety.html"]), `<a href="mobile-phones.html">Mobile phone policy</a>`) {
		t.Error("online-safety.html does not link mobile-phones.html")
	}
	if !bytes.Contains(got["online-safety.pdf"], []byte("/URI (mobile-phones.pdf)")) {
		t.Error("online-safety.pdf does not link mobile-phones.pdf")
	}
	if bytes.Contains(got["pack.pdf"], []byte("/URI (mobile-phones.pdf)")) {
		t.Error("pack.pdf links a policy's own file, not its pages")
	}
	zr, err := zip.NewReader(bytes.NewReader(got["online-safety.docx"]), int64(len(got["online-safety.docx"])))
	if err != nil {
		t.Fatal(err)
	}
	rels := ""
	for _, f := range zr.File {
		if f.Name == "word/_rels/document.xml.rels" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			rels = string(b)
		}
	}
	if !strings.Contains(rels, `Target="mobile-phones.docx" TargetMode="External"`) {
		t.Errorf("online-safety.docx has no relationship to mobile-phones.docx:\n%s", rels)
	}
	for name, data := range got {
		if bytes.Contains(data, []byte("](policy:")) || bytes.Contains(data, []byte(`href="policy:`)) || bytes.Contains(data, []byte("(policy:")) {
			t.Errorf("%s: an unresolved policy link", name)
		}
	}
}
