package pdf

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/markdown"
)

// TestPictureList: the infant school's pupil agreement (six rules and a
// smiley, each with a picture) prints on one page in large type, and every
// picture is drawn: each picture's square beside its rule has ink in it.
func TestPictureList(t *testing.T) {
	doc := loadBuilt(t, 3)
	var pl *markdown.PictureList
	for n := doc.Root.FirstChild(); n != nil; n = n.NextSibling() {
		if p, ok := n.(*markdown.PictureList); ok {
			pl = p
		}
	}
	if pl == nil || len(pl.Items) < 2 || len(pl.Items) > 7 {
		t.Fatalf("the EYFS/KS1 agreement has no picture list of at most six rules and a smiley")
	}
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	r := newRenderer(doc)
	if err := r.layout(); err != nil {
		t.Fatal(err)
	}
	pages := r.paginate()
	if len(pages) != 1 {
		t.Fatalf("the EYFS/KS1 agreement takes %d pages, want 1", len(pages))
	}
	// Where each rule's row was placed: every rule is one line, shorter
	// than its picture, so the rows are the items exactly a picture high.
	var rows []float64
	for _, pl := range pages[0] {
		if pl.it.h == pictureSize {
			rows = append(rows, pl.y)
		}
	}
	if len(rows) != len(pl.Items) {
		t.Fatalf("%d picture rows placed, want %d", len(rows), len(pl.Items))
	}
	b, err := Render(doc)
	if err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, b)
	text := run(t, "pdftotext", path, "-")
	for _, it := range pl.Items {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), it.Text) {
			t.Errorf("rule %q is not in the PDF's text", it.Text)
		}
	}
	for _, want := range []string{"My name or my mark", "Read with me by"} {
		if !strings.Contains(text, want) {
			t.Errorf("the agreement lacks %q", want)
		}
	}
	const dpi = 100
	prefix := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-gray", "-r", strconv.Itoa(dpi), "-singlefile", path, prefix)
	data, err := os.ReadFile(prefix + ".pgm")
	if err != nil {
		t.Fatal(err)
	}
	var w, h, maxv int
	if _, err := fmt.Sscanf(string(data), "P5\n%d %d\n%d\n", &w, &h, &maxv); err != nil {
		t.Fatalf("not a PGM file: %v", err)
	}
	pix := data[len(data)-w*h:]
	for i, y := range rows {
		dark := 0
		for py := int(y / 25.4 * dpi); py < int((y+pictureSize)/25.4*dpi); py++ {
			x0, x1 := marginL/25.4*dpi, (marginL+pictureSize)/25.4*dpi
			for px := int(x0); px < int(x1); px++ {
				if pix[py*w+px] < 128 {
					dark++
				}
			}
		}
		if dark < 40 {
			t.Errorf("picture %s (row %d) is blank: %d dark pixels", pl.Items[i].Picture.Name, i+1, dark)
		}
	}
}
