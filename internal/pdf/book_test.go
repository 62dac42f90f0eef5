package pdf

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/boombuler/barcode/qr"

	"github.com/policypack/policypack/internal/markdown"
)

// These tests cover book.go (Book) and qr.go.

// addDoc prepares doc and draws it at the end of the book, as the forms
// command does one pupil at a time; after an error the book is spent.
func addDoc(b *Book, doc *markdown.Document, outline string) error {
	if b.err != nil {
		return b.err
	}
	p, err := Prepare(doc, outline)
	if err != nil {
		b.err = err
		return err
	}
	return b.AddPrepared(p)
}

func writeTemp(t testing.TB, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// pupilForm is a one-page form pre-filled for pupil i, as the composer makes
// one (the filled-field dialect "Label: ___ Value ___").
func pupilForm(i int, meta markdown.Meta) *markdown.Document {
	src := fmt.Sprintf(`Parent/carer name: ________________________________________

Pupil name: ___ Pupil %04d Zoë Łukasz ___________

Class: ___ 3 Oak ______

I will support the school by promoting safe use of the internet and digital technology at home.

I give permission for photographs of my child to be used in school: [ ] Yes [ ] No

Parent/carer's signature: ____________________________________ Date: ______________
`, i)
	meta.Front.TitleBlock = []byte("# " + markdown.Escape(meta.Title) + "\n\n**" + markdown.Escape(meta.School) + "**\n")
	return markdown.Parse([]byte(src), meta)
}

func formMeta() markdown.Meta {
	return markdown.Meta{School: "Oak Primary School", Title: "Parent/carer agreement", Lang: "en-GB",
		Creator: "policypack test", Created: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), NextReview: "1 September 2027", Form: true}
}

// twoPageForm is pupilForm with a page break: a form that takes two pages.
func twoPageForm(i int, meta markdown.Meta) *markdown.Document {
	d := pupilForm(i, meta)
	src := string(d.Source) + "\n" + markdown.PageBreakMarker + "\n\nSecond page of pupil " + strconv.Itoa(i) + ".\n"
	return markdown.Parse([]byte(src), meta)
}

func TestBook(t *testing.T) {
	tests := []struct {
		name      string
		docs      func(i int, m markdown.Meta) *markdown.Document
		n         int
		duplex    bool
		wantPages int
		perDoc    int // pages per document in the file, padding included
		footer    []string
	}{
		{"one page each", pupilForm, 5, false, 5, 1, []string{"Page 1 of 1"}},
		{"one page each, duplex", pupilForm, 5, true, 10, 2, []string{"Page 1 of 1", ""}},
		{"two pages each, duplex adds nothing", twoPageForm, 3, true, 6, 2, []string{"Page 1 of 2", "Page 2 of 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := NewBook(BookOptions{Meta: formMeta(), Duplex: tt.duplex})
			if err != nil {
				t.Fatal(err)
			}
			for i := range tt.n {
				if err := addDoc(b, tt.docs(i, formMeta()), "Pupil "+strconv.Itoa(i)); err != nil {
					t.Fatal(err)
				}
			}
			if b.Pages() != tt.wantPages || b.docs != tt.n {
				t.Fatalf("Pages() = %d, Docs() = %d; want %d, %d", b.Pages(), b.docs, tt.wantPages, tt.n)
			}
			var out bytes.Buffer
			if _, err := b.WriteTo(&out); err != nil {
				t.Fatal(err)
			}
			path := writeTemp(t, out.Bytes())
			run(t, "qpdf", "--check", path)
			info := run(t, "pdfinfo", path)
			if !regexp.MustCompile(`(?m)^Pages:\s+` + strconv.Itoa(tt.wantPages) + `$`).MatchString(info) {
				t.Errorf("pdfinfo: want %d pages\n%s", tt.wantPages, info)
			}
			pages := pagesText(t, path)
			if len(pages) != tt.n*tt.perDoc {
				t.Fatalf("pdftotext found %d pages, want %d", len(pages), tt.n*tt.perDoc)
			}
			for i := range tt.n {
				for j := range tt.perDoc {
					page := i*tt.perDoc + j + 1
					text := pages[page-1]
					if tt.footer[j] == "" {
						if strings.TrimSpace(text) != "" {
							t.Errorf("page %d should be a blank duplex page, has %q", page, text)
						}
						continue
					}
					if !strings.Contains(text, tt.footer[j]) {
						t.Errorf("page %d lacks %q:\n%s", page, tt.footer[j], text)
					}
					if j == 0 && !strings.Contains(text, fmt.Sprintf("Pupil %04d Zoë Łukasz", i)) {
						t.Errorf("page %d is not pupil %d's form:\n%s", page, i, text)
					}
				}
			}
			// One set of fonts for the whole file, not one per form.
			fonts := run(t, "pdffonts", path)
			if n := strings.Count(fonts, "liberationsans "); n != 1 {
				t.Errorf("Liberation Sans embedded %d times, want once:\n%s", n, fonts)
			}
			if !strings.Contains(fonts, "+liberationsans ") {
				t.Errorf("font not subset-tagged:\n%s", fonts)
			}
		})
	}
}

// TestBookOutline: each form's outline entry is the label Add was given.
func TestBookOutline(t *testing.T) {
	b, err := NewBook(BookOptions{Meta: formMeta()})
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"Hartley, Zoë (3 Oak)", "Brennan, Siân (3 Oak)"} {
		if err := addDoc(b, pupilForm(i, formMeta()), name); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if _, err := b.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	// fpdf writes outline titles as UTF-16BE hex or literal strings;
	// qpdf's JSON gives them back as text.
	js := run(t, "qpdf", "--json", "--json-key=outlines", writeTemp(t, out.Bytes()))
	for _, want := range []string{`"title": "Hartley, Zoë (3 Oak)"`, `"title": "Brennan, Siân (3 Oak)"`} {
		if !strings.Contains(js, want) {
			t.Errorf("outline lacks %s:\n%s", want, js)
		}
	}
}

// TestBookDeterministic: the same documents give the same bytes.
func TestBookDeterministic(t *testing.T) {
	make1 := func() []byte {
		b, err := NewBook(BookOptions{Meta: formMeta(), Duplex: true})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			m := formMeta()
			m.Logo, m.LogoType, m.QR = tinyPNG(t), "png", "https://www.oak.example.sch.uk/policies"
			if err := addDoc(b, pupilForm(i, m), ""); err != nil {
				t.Fatal(err)
			}
		}
		var out bytes.Buffer
		if _, err := b.WriteTo(&out); err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
	a, b := make1(), make1()
	if !bytes.Equal(a, b) {
		t.Fatal("two books of the same documents differ")
	}
	// The logo and the QR code are embedded once each, however many
	// forms, and the code losslessly.
	if n := bytes.Count(a, []byte("/Subtype /Image")); n != 2 {
		t.Errorf("%d image objects, want 2 (logo, QR code)", n)
	}
	if bytes.Contains(a, []byte("/DCTDecode")) {
		t.Errorf("an image is a JPEG; the QR code must be lossless")
	}
}

func TestBookErrors(t *testing.T) {
	b, err := NewBook(BookOptions{Meta: formMeta()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.WriteTo(&bytes.Buffer{}); err == nil {
		t.Error("an empty book was written")
	}
	m := formMeta()
	m.Logo, m.LogoType = tinyPNG(t), "png"
	if err := addDoc(b, pupilForm(0, m), ""); err != nil {
		t.Fatal(err)
	}
	m.Logo = append([]byte(nil), m.Logo...)
	m.Logo[len(m.Logo)-5] ^= 0xff // a different logo
	if err := addDoc(b, pupilForm(1, m), ""); err == nil || !strings.Contains(err.Error(), "one logo") {
		t.Errorf("a second logo: err = %v", err)
	}
	if _, err := b.WriteTo(&bytes.Buffer{}); err == nil {
		t.Error("a book that failed was written")
	}

	// An unprintable character is an error naming the document, and the
	// book is spent.
	b, _ = NewBook(BookOptions{Meta: formMeta()})
	bad := markdown.Parse([]byte("# Parent/carer agreement\n\nPupil name: ___ 😀 ___\n"), formMeta())
	if err := addDoc(b, bad, ""); err == nil {
		t.Error("an emoji drew")
	}
	if err := addDoc(b, pupilForm(0, formMeta()), ""); err == nil {
		t.Error("a spent book took another document")
	}
}

// TestBookMemory: adding documents keeps only their pages. The live heap
// grows by about the drawn page content per form, not by a parsed document
// and its layout (which are several times larger).
func TestBookMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	b, err := NewBook(BookOptions{Meta: formMeta()})
	if err != nil {
		t.Fatal(err)
	}
	add := func(from, to int) {
		for i := from; i < to; i++ {
			if err := addDoc(b, pupilForm(i, formMeta()), ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	add(0, 100)
	h1 := heap()
	add(100, 600)
	h2 := heap()
	var out bytes.Buffer
	if _, err := b.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	perForm := float64(h2-h1) / 500
	fileForm := float64(out.Len()) / 600
	t.Logf("live heap per form %.1f KB; file per form %.1f KB", perForm/1024, fileForm/1024)
	// fpdf keeps each page's content stream until the file is written,
	// plus a little per page: allow twice the file's share.
	if perForm > 2*fileForm {
		t.Errorf("live heap grows %.1f KB per form, more than twice the %.1f KB each adds to the file", perForm/1024, fileForm/1024)
	}
}

// TestTagWriterChunks: the streamed subset tagging tags every font name
// whatever the write sizes, including a name split across writes.
func TestTagWriterChunks(t *testing.T) {
	var used [numStyles]uint64
	used[stRegular], used[stBold] = fnvAdd(0, "x"), fnvAdd(0, "y")
	var src bytes.Buffer
	for i := range 5000 {
		fmt.Fprintf(&src, "%d 0 obj\n<< /BaseFont /utf8subliberationsans\n/FontName /utf8subliberationsansbold /X >>\n", i)
	}
	want := strings.NewReplacer(
		"/BaseFont /utf8subliberationsans\n", "/BaseFont /"+subsetTag(used[stRegular])+"+liberationsans\n",
		"/FontName /utf8subliberationsansbold ", "/FontName /"+subsetTag(used[stBold])+"+liberationsansbold ").Replace(src.String())
	for _, name := range []string{"whole", "one byte"} {
		var got bytes.Buffer
		tw := newTagWriter(&got, &used)
		data := bytes.Clone(src.Bytes())
		if name == "whole" {
			if _, err := tw.Write(data); err != nil {
				t.Fatal(err)
			}
		}
		if name == "one byte" {
			for i := range data {
				if _, err := tw.Write(data[i : i+1]); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := tw.flush(); err != nil {
			t.Fatal(err)
		}
		if got.String() != want || tw.n != int64(len(want)) {
			t.Errorf("%s: streamed tagging differs from the expected tags (n=%d, want %d)", name, tw.n, len(want))
		}
	}
}

// renderQR renders doc and returns the file with where its QR code was
// drawn (nil when none was).
func renderQR(t *testing.T, doc *markdown.Document) ([]byte, *qrPlan) {
	t.Helper()
	b, err := NewBook(BookOptions{Meta: doc.Meta})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Prepare(doc, "")
	if err != nil {
		t.Fatal(err)
	}
	r := p.r
	if err := b.AddPrepared(p); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := b.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), r.qr
}

// wordBoxes are the words on page 1 with their boxes in mm from the top left.
func wordBoxes(t *testing.T, path string) []rect {
	t.Helper()
	html := run(t, "pdftotext", "-bbox", "-f", "1", "-l", "1", path, "-")
	re := regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)
	var out []rect
	for _, m := range re.FindAllStringSubmatch(html, -1) {
		v := make([]float64, 4)
		for i := range v {
			v[i], _ = strconv.ParseFloat(m[i+1], 64)
			v[i] *= 25.4 / 72
		}
		out = append(out, rect{v[0], v[1], v[2], v[3]})
	}
	if len(out) == 0 {
		t.Fatal("no words on page 1")
	}
	return out
}

// qrModules reads the QR code back from page 1 rasterised at 600 dpi (as
// a scanner would see it printed): the grey level at the centre of each
// module, n modules a side, from the code's top left corner at (x, y) mm.
// It also reports whether the quiet zone around the code is white.
func qrModules(t *testing.T, path string, x, y float64, n int) (mods [][]bool, quiet bool) {
	t.Helper()
	const dpi = 600
	prefix := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-gray", "-r", strconv.Itoa(dpi), "-f", "1", "-l", "1", "-singlefile", path, prefix)
	data, err := os.ReadFile(prefix + ".pgm")
	if err != nil {
		t.Fatal(err)
	}
	var w, h, maxv int
	var hdr int
	if _, err := fmt.Sscanf(string(data), "P5\n%d %d\n%d\n", &w, &h, &maxv); err != nil {
		t.Fatalf("not a PGM file: %v", err)
	}
	for i, nl := 0, 0; i < len(data); i++ {
		if data[i] == '\n' {
			if nl++; nl == 3 {
				hdr = i + 1
				break
			}
		}
	}
	px := func(mmx, mmy float64) byte {
		cx, cy := int(mmx/25.4*dpi), int(mmy/25.4*dpi)
		return data[hdr+cy*w+cx]
	}
	mod := qrSize / float64(n)
	mods = make([][]bool, n)
	for r := range n {
		mods[r] = make([]bool, n)
		for c := range n {
			mods[r][c] = px(x+(float64(c)+0.5)*mod, y+(float64(r)+0.5)*mod) < 128
		}
	}
	quiet = true
	for i := range n {
		for _, p := range [][2]float64{
			{x + (float64(i)+0.5)*mod, y - qrClear/2}, {x + (float64(i)+0.5)*mod, y + qrSize + qrClear/2},
			{x - qrClear/2, y + (float64(i)+0.5)*mod}, {x + qrSize + qrClear/2, y + (float64(i)+0.5)*mod},
		} {
			if px(p[0], p[1]) < 200 {
				quiet = false
			}
		}
	}
	return mods, quiet
}

func TestQRCode(t *testing.T) {
	const url = "https://www.oak.example.sch.uk/policies/online-safety"
	long := "Parent/carer ICT code of conduct agreement and consent form for the whole school"
	tests := []struct {
		name   string
		logo   bool
		title  string
		qr     string
		form   bool
		want   bool // a QR code is drawn
		inFlow bool // below the form's content rather than in the title area
	}{
		{"logo, title area", true, "Parent/carer agreement", url, true, true, false},
		{"logo, long title, title area", true, long, url, true, true, false},
		{"no logo, long title: after the form", false, long, url, true, true, true},
		{"no website", true, "Parent/carer agreement", "", true, false, false},
		{"not a form", true, "Parent/carer agreement", url, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := formMeta()
			m.Title, m.QR, m.Form = tt.title, tt.qr, tt.form
			if tt.logo {
				m.Logo, m.LogoType = tinyPNG(t), "png"
			}
			out, q := renderQR(t, pupilForm(1, m))
			ok := q != nil
			if ok != tt.want {
				t.Fatalf("QR code drawn: %v, want %v", ok, tt.want)
			}
			if !tt.want {
				return
			}
			x, y := q.x, q.y
			path := writeTemp(t, out)
			// The code is ~20 mm and its address is printed beside it.
			words := wordBoxes(t, path)
			code := rect{x, y, x + qrSize, y + qrSize}
			var addr *rect
			for _, w := range words {
				if w.overlaps(code) {
					t.Errorf("a word at %+v overlaps the QR code at %+v", w, code)
				}
			}
			for _, w := range words {
				if abs(w.x1-(x-qrTextGap)) < 1 && w.y1 <= y+qrSize+0.5 && w.y0 >= y {
					addr = &w
				}
			}
			if addr == nil {
				t.Errorf("no word ends %.0f mm left of the QR code, beside it", qrTextGap)
			}
			text := run(t, "pdftotext", "-f", "1", "-l", "1", path, "-")
			if !strings.Contains(text, url) {
				t.Errorf("page 1 does not print the address %s", url)
			}
			if inTitle := y < contentTop+10; inTitle == tt.inFlow {
				t.Errorf("QR code top at %.1f mm: in the title area %v, want %v", y, inTitle, !tt.inFlow)
			}
			if !bytes.Contains(out, []byte("("+url+")")) {
				t.Errorf("no link annotation to %s", url)
			}
			// The page shows exactly the modules of the address's code,
			// with a white quiet zone around it.
			code2, err := qr.Encode(url, qr.M, qr.Auto)
			if err != nil {
				t.Fatal(err)
			}
			n := code2.Bounds().Dx()
			mods, quiet := qrModules(t, path, x, y, n)
			for yy := range mods {
				for xx := range mods[yy] {
					r, _, _, _ := code2.At(xx, yy).RGBA()
					if mods[yy][xx] != (r < 0x8000) {
						t.Fatalf("module (%d,%d) on the page differs from the code for %s", xx, yy, url)
					}
				}
			}
			if !quiet {
				t.Errorf("something is drawn in the QR code's quiet zone")
			}
		})
	}
}

// BenchmarkBook1000 draws 1,000 one-page forms into one PDF (no composing:
// see internal/cli's BenchmarkForms1000 for the whole command).
func BenchmarkBook1000(b *testing.B) {
	m := formMeta()
	m.Logo, m.LogoType, m.QR = tinyPNG(b), "png", "https://www.oak.example.sch.uk"
	docs := make([]*markdown.Document, 1000)
	for i := range docs {
		docs[i] = pupilForm(i, m)
	}
	b.ReportAllocs()
	for b.Loop() {
		book, err := NewBook(BookOptions{Meta: m})
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range docs {
			if err := addDoc(book, d, ""); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := book.WriteTo(&bytes.Buffer{}); err != nil {
			b.Fatal(err)
		}
	}
}
