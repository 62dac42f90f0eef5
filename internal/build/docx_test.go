package build

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/docx"
)

// zipParts reads every part of a .docx.
func zipParts(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return parts
}

// TestReferenceDOCX: a reference.docx in the templates folder restyles
// every Word document (and only a change to it rebuilds them); a file that
// is no Word document fails the build before anything is written, naming
// the file.
func TestReferenceDOCX(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	o := opts(t, schools, out, "2026-11-26")
	o.Formats = []string{"docx"}
	mustRun(t, o)
	policy := filepath.Join(out, "robert-miles-infant", "online-safety.docx")
	data, err := os.ReadFile(policy)
	if err != nil {
		t.Fatal(err)
	}
	parts := zipParts(t, data)
	if !bytes.Equal(parts["word/styles.xml"], docx.DefaultStyles()) {
		t.Fatal("without a reference document the built-in styles differ")
	}

	// A trust's house style: the built document with green headings.
	var ref bytes.Buffer
	zw := zip.NewWriter(&ref)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml", "word/styles.xml"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		b := parts[name]
		if name == "word/styles.xml" {
			b = bytes.ReplaceAll(b, []byte(`w:val="17365D"`), []byte(`w:val="006400"`))
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	tmpl := filepath.Join(t.TempDir(), "templates")
	if err := os.MkdirAll(tmpl, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmpl, ReferenceDOCX), ref.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	o.TemplatesDir = tmpl
	res := mustRun(t, o)
	if res.Rendered != 3 {
		t.Errorf("a new reference document rendered %d schools again, want 3", res.Rendered)
	}
	data, err = os.ReadFile(policy)
	if err != nil {
		t.Fatal(err)
	}
	if styles := zipParts(t, data)["word/styles.xml"]; !bytes.Contains(styles, []byte(`w:val="006400"`)) || bytes.Contains(styles, []byte(`w:val="17365D"`)) {
		t.Error("the Word document does not take the reference document's styles")
	}

	if err := os.WriteFile(filepath.Join(tmpl, ReferenceDOCX), []byte("not a Word document"), 0o644); err != nil {
		t.Fatal(err)
	}
	fresh := opts(t, schools, t.TempDir(), "2026-11-26")
	fresh.TemplatesDir = tmpl
	_, err = Run(fresh)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(tmpl, ReferenceDOCX)) || !strings.Contains(err.Error(), "hint:") {
		t.Errorf("a broken reference document: err = %v, want its path and a hint", err)
	}
	if entries, _ := os.ReadDir(fresh.OutDir); len(entries) > 0 {
		t.Error("a build with a broken reference document wrote files")
	}
}
