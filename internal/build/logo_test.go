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

// A transparent logo is flattened onto white once, as an RGB PNG that fpdf
// can embed without re-encoding; an opaque one is left byte for byte alone.
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

	opaque := image.NewRGBA(image.Rect(0, 0, 1, 1))
	opaque.Set(0, 0, color.RGBA{1, 2, 3, 255})
	data := encodePNG(t, opaque)
	same, err := flattenPNG(data)
	if err != nil || !bytes.Equal(same, data) {
		t.Errorf("an opaque PNG was re-encoded")
	}
}
