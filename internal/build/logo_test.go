package build

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
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
