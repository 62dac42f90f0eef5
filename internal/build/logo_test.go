package build

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A logo is normalised once to an RGB PNG that fpdf can embed without
// re-encoding; a transparent background becomes white.
func TestFlattenPNG(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 2, 1))
	src.SetNRGBA(0, 0, color.NRGBA{0, 0, 0, 0})     // transparent
	src.SetNRGBA(1, 0, color.NRGBA{200, 0, 0, 255}) // opaque red
	flat, err := flattenPNG(encodePNG(t, src))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(flat))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := img.(*image.RGBA); !ok {
		t.Errorf("flattened image decodes as %T, want an RGB PNG (*image.RGBA)", img)
	}
	if r, g, b, _ := img.At(0, 0).RGBA(); r>>8 != 255 || g>>8 != 255 || b>>8 != 255 {
		t.Errorf("transparent pixel became %d,%d,%d, want white", r>>8, g>>8, b>>8)
	}
	if r, g, b, _ := img.At(1, 0).RGBA(); r>>8 != 200 || g != 0 || b != 0 {
		t.Errorf("opaque pixel became %d,%d,%d, want 200,0,0", r>>8, g>>8, b>>8)
	}

	// An opaque PNG is normalised too (fpdf cannot read an interlaced one,
	// which image/png never writes); its pixels are unchanged.
	opaque := image.NewRGBA(image.Rect(0, 0, 1, 1))
	opaque.Set(0, 0, color.RGBA{1, 2, 3, 255})
	same, err := flattenPNG(encodePNG(t, opaque))
	if err != nil {
		t.Fatal(err)
	}
	img2, err := png.Decode(bytes.NewReader(same))
	if err != nil {
		t.Fatal(err)
	}
	if r, g, b, _ := img2.At(0, 0).RGBA(); r>>8 != 1 || g>>8 != 2 || b>>8 != 3 {
		t.Errorf("opaque pixel changed to %d,%d,%d", r>>8, g>>8, b>>8)
	}
}

// TestSharedLogoPreparedOnce: schools sharing a logo file share one
// prepared copy, held by the session (a new session prepares it again, so
// nothing outlives a build or a preview reload).
func TestSharedLogoPreparedOnce(t *testing.T) {
	schools := copySchools(t)
	p := filepath.Join(schools, "robert-miles-infant.toml")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte(`logos/robert-miles-infant.png`), []byte(`logos/hevingham-marsham.png`), 1)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	open := func() *Session {
		sess, err := Open(opts(t, schools, t.TempDir(), "2026-11-26"))
		if err != nil {
			t.Fatal(err)
		}
		return sess
	}
	sess := open()
	a, b := sess.Logo(sess.School("hevingham-marsham")), sess.Logo(sess.School("robert-miles-infant"))
	if a.Type != "png" || len(a.Data) == 0 || &a.Data[0] != &b.Data[0] {
		t.Errorf("shared logo prepared twice (or missing): %s %d bytes, %s %d bytes", a.Type, len(a.Data), b.Type, len(b.Data))
	}
	again := open()
	if c := again.Logo(again.School("hevingham-marsham")); len(c.Data) == 0 || &c.Data[0] == &a.Data[0] || !bytes.Equal(c.Data, a.Data) {
		t.Error("a second session reused the first one's logo (a process-wide cache) or prepared it differently")
	}
}
