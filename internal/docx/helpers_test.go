package docx

import (
	"archive/zip"
	"bytes"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/markdown"
	"github.com/policypack/policypack/internal/policies"
)

// testMeta is a document's record with awkward text in it (Welsh and Polish
// letters, typographic quotes) and the title block compose would write.
func testMeta(form bool) markdown.Meta {
	m := markdown.Meta{
		School:     "Ysgol Gymraeg Bro Ŵyr – “Ein Hysgol” (Łódź twinning)",
		Title:      "Online Safety Policy",
		Subject:    "How the school keeps pupils safe online",
		Version:    "2.1",
		ApprovedBy: "Full Governing Body",
		ApprovedOn: "24 May 2026",
		NextReview: "24 May 2027",
		State:      markdown.StateApproved,
		Lang:       "en-GB",
		Creator:    "policypack test",
		Created:    time.Date(2026, 5, 24, 0, 0, 0, 0, time.UTC),
	}
	if form {
		m.Title = "Parent/carer ICT agreement"
		m.Form = true
	}
	m.Front.TitleBlock = []byte("# " + markdown.Escape(m.Title) + "\n\n**" + markdown.Escape(m.School) + "**\n")
	return m
}

// builtDocs are what `policypack build` composes for the example schools,
// composed here the same way: the real documents the renderer must get
// right, and the benchmark input.
var builtDocs = []struct {
	name, school, policy, form string
}{
	{"robert-miles-online-safety", "robert-miles-infant", "online-safety", ""},
	{"hevingham-online-safety", "hevingham-marsham", "online-safety", ""},
	{"robert-miles-parent-agreement", "robert-miles-infant", "online-safety", "parent-agreement"},
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
