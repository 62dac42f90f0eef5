package pdf

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
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

func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("PDF_SAMPLES")
	if dir == "" {
		t.Skip("set PDF_SAMPLES=dir to write sample PDFs")
	}
	for _, c := range []struct {
		name string
		form bool
	}{{"policy.md", false}, {"form.md", true}} {
		b, err := Render(loadDoc(t, c.name, c.form))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, c.name+".pdf"), b, 0o644); err != nil {
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
