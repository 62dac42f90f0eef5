package pdf

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/markdown"
)

func testMeta(form bool) markdown.Meta {
	m := markdown.Meta{
		School:       "Ysgol Gymraeg Bro Ŵyr – “Ein Hysgol” (Łódź twinning)",
		Title:        "Online Safety Policy",
		Subject:      "How the school keeps pupils safe online",
		Version:      "2.1",
		ApprovedBy:   "Full Governing Body",
		ApprovedOn:   "24 May 2026",
		LastReviewed: "",
		NextReview:   "24 May 2027",
		Lang:         "en-GB",
		Creator:      "policypack test",
		Date:         "2026-05-24",
	}
	if form {
		m.Title = "Parent/carer ICT agreement"
		m.Form = true
	}
	return m
}

func loadDoc(t testing.TB, name string, form bool) *markdown.Document {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return markdown.Parse(src, testMeta(form))
}

// builtDocs are copies of what `policypack build` composed for the example
// schools, with the metadata the build passes: the real documents the
// renderer must get right (and the benchmark input).
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
		ApprovedBy: "TILT", NextReview: "24 May 2024", Overdue: "Review overdue since 24 May 2024",
		Lang: "en-GB", Creator: "policypack test", Date: "2024-05-24", Form: true}},
}

func loadBuilt(t testing.TB, i int) *markdown.Document {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", builtDocs[i].file))
	if err != nil {
		t.Fatal(err)
	}
	return markdown.Parse(src, builtDocs[i].meta)
}

// TestWriteSamples writes every test document's PDF to $PDF_SAMPLES, for
// looking at the pages (pdftoppm -png -r 60 file.pdf prefix).
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("PDF_SAMPLES")
	if dir == "" {
		t.Skip("set PDF_SAMPLES=dir to write sample PDFs")
	}
	docs := map[string]*markdown.Document{
		"policy.md": loadDoc(t, "policy.md", false),
		"form.md":   loadDoc(t, "form.md", true),
	}
	for i, b := range builtDocs {
		docs[b.file] = loadBuilt(t, i)
	}
	for name, doc := range docs {
		b, err := Render(doc)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, strings.TrimSuffix(name, ".md")+".pdf"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func tinyPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		for y := range 20 {
			img.Set(x, y, color.RGBA{uint8(x * 6), 80, 160, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
