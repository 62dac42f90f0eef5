package pdf

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yuin/goldmark/ast"

	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/markdown"
	"github.com/policypack/policypack/internal/policies"
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
		Created:      time.Date(2026, 5, 24, 0, 0, 0, 0, time.UTC),
		State:        markdown.StateApproved,
	}
	if form {
		m.Title = "Parent/carer ICT agreement"
		m.Form = true
	}
	m.Front.TitleBlock = []byte("# " + markdown.Escape(m.Title) + "\n\n**" + markdown.Escape(m.School) + "**\n")
	return m
}

// loadDoc parses a body from testdata with testMeta's front matter; a
// policy lists its level-2 headings in its contents.
func loadDoc(t testing.TB, name string, form bool) *markdown.Document {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	m := testMeta(form)
	if !form {
		body := markdown.Parse(src, markdown.Meta{})
		for n := body.Root.FirstChild(); n != nil; n = n.NextSibling() {
			if h, ok := n.(*ast.Heading); ok && h.Level == 2 {
				id, _ := h.AttributeString("id")
				idb, _ := id.([]byte)
				m.Front.Contents = append(m.Front.Contents, markdown.Entry{ID: string(idb), Title: body.Text(h), Level: 1})
			}
		}
	}
	return markdown.Parse(src, m)
}

// builtDocs are what `policypack build` composes for the example schools,
// composed here the same way (the real documents the renderer must get
// right, and the benchmark input).
var builtDocs = []struct {
	name, school, policy, form string
}{
	{"robert-miles-online-safety", "robert-miles-infant", "online-safety", ""},
	{"hevingham-online-safety", "hevingham-marsham", "online-safety", ""},
	{"robert-miles-parent-agreement", "robert-miles-infant", "online-safety", "parent-agreement"},
	{"robert-miles-pupil-code", "robert-miles-infant", "online-safety", "pupil-code-of-conduct"},
}

var (
	builtOnce sync.Once
	builtErr  error
	built     []*compose.Output
)

func loadBuilt(t testing.TB, i int) *markdown.Document {
	t.Helper()
	builtOnce.Do(func() {
		cat, err := policies.Open("")
		if err != nil {
			builtErr = err
			return
		}
		c, err := compose.New(cat, config.NewDate(2026, 11, 26))
		if err != nil {
			builtErr = err
			return
		}
		c.Creator = "policypack test"
		for _, b := range builtDocs {
			set, err := config.Load("../../schools", b.school)
			if err != nil {
				builtErr = err
				return
			}
			s, p := set.Schools[0], cat.Policy(b.policy)
			var o compose.Output
			if b.form == "" {
				o, err = c.Policy(s, p)
			} else {
				o, err = c.Form(s, p, b.form, compose.Pupil{})
			}
			if err != nil {
				builtErr = err
				return
			}
			built = append(built, &o)
		}
	})
	if builtErr != nil {
		t.Fatal(builtErr)
	}
	return markdown.Parse(built[i].Markdown, built[i].Meta)
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
		docs[b.name+".md"] = loadBuilt(t, i)
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
