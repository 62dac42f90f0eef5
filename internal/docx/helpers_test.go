package docx

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/policypack/policypack/internal/markdown"
)

func testMeta(form bool) markdown.Meta {
	m := markdown.Meta{
		School:     "Ysgol Gymraeg Bro Ŵyr – “Ein Hysgol” (Łódź twinning)",
		Title:      "Online Safety Policy",
		Subject:    "How the school keeps pupils safe online",
		Version:    "2.1",
		ApprovedBy: "Full Governing Body",
		ApprovedOn: "24 May 2026",
		NextReview: "24 May 2027",
		Lang:       "en-GB",
		Creator:    "policypack test",
		Date:       "2026-05-24",
	}
	if form {
		m.Title = "Parent/carer ICT agreement"
		m.Form = true
	}
	return m
}

// builtDocs are copies of what `policypack build` composed for the example
// schools, with the metadata the build passes (as internal/pdf's tests use).
var builtDocs = []struct {
	file string
	meta markdown.Meta
}{
	{"robert-miles-online-safety.md", markdown.Meta{
		School: "Robert Miles Infant School", Title: "Online Safety Procedure",
		Subject: "Online safety procedure", ApprovedBy: "TILT", NextReview: "24 May 2024",
		Overdue: "Review overdue since 24 May 2024", Lang: "en-GB", Creator: "policypack test", Date: "2024-05-24"}},
	{"hevingham-online-safety.md", markdown.Meta{
		School: "Hevingham and Marsham Primary School Partnership", Title: "Online Safety Policy",
		Subject: "Online safety policy", ApprovedBy: "Governors", Lang: "en-GB", Creator: "policypack test"}},
	{"robert-miles-parent-agreement.md", markdown.Meta{
		School: "Robert Miles Infant School", Title: "Parent/carer ICT code of conduct agreement and consent form",
		Subject: "Parent/carer agreement", ApprovedBy: "TILT", NextReview: "24 May 2024",
		Overdue: "Review overdue since 24 May 2024", Lang: "en-GB", Creator: "policypack test", Date: "2024-05-24", Form: true}},
}

func loadBuilt(t testing.TB, i int) *markdown.Document {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", builtDocs[i].file))
	if err != nil {
		t.Fatal(err)
	}
	return markdown.Parse(src, builtDocs[i].meta)
}

func parse(src string, meta markdown.Meta) *markdown.Document {
	return markdown.Parse([]byte(src), meta)
}

// render renders doc and returns the package's parts by name.
func render(t testing.TB, doc *markdown.Document) (data []byte, parts map[string]string) {
	t.Helper()
	data, err := Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	return data, unzip(t, data)
}

func unzip(t testing.TB, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = string(b)
	}
	return parts
}
