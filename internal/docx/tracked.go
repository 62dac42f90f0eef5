package docx

import (
	"strconv"
	"time"

	"github.com/yuin/goldmark/ast"

	"github.com/policypack/policypack/internal/markdown"
)

// Change is what happened to a run of a tracked document's text.
type Change int

// The changes a run can carry.
const (
	Kept     Change = iota // in both versions
	Inserted               // new: a w:ins revision
	Deleted                // removed: a w:del revision
	Omitted                // a note standing for text left out ("3 unchanged paragraphs")
)

// Run is a run of text with one change.
type Run struct {
	Text   string
	Change Change
}

// TrackedSection is one section of a tracked document.
type TrackedSection struct {
	Heading string
	Level   int    // 2 for a section, 3 and deeper below it
	Note    string // after the heading, e.g. "changed"
	// Changed is false for a section that did not change: it is listed
	// by its heading only, in grey, not as a heading of the outline.
	Changed bool
	Paras   [][]Run
}

// Tracked is a document of tracked changes, such as a governors' redline:
// insertions and deletions are real Word revisions (w:ins, w:del) by
// Author on Date, so Word's review pane lists each one and a governor can
// accept or reject it there.
type Tracked struct {
	Title, School string
	Intro         []string // lines under the title: what is compared, the summary
	Footer        string   // the footer's text beside the page number
	Author        string
	Date          time.Time
	Sections      []TrackedSection
}

// RenderTracked writes t as a .docx with the built-in styles. The same
// input gives the same bytes: the revisions' date is t.Date, not the clock.
func RenderTracked(t Tracked) ([]byte, error) { return Options{}.RenderTracked(t) }

// RenderTracked writes t as a .docx with o's styles.
func (o Options) RenderTracked(t Tracked) ([]byte, error) {
	doc := &markdown.Document{Meta: markdown.Meta{Title: t.Title, School: t.School, Subject: t.Title, Lang: "en-GB", Creator: t.Author}, Root: ast.NewDocument()}
	r := newRenderer(doc)
	r.footerText = t.Footer
	if t.School != "" {
		r.para(pPr{style: "Subtitle"}, func() { writeRun(&r.b, runProps{}, t.School) })
	}
	r.para(pPr{style: "Title"}, func() { writeRun(&r.b, runProps{}, t.Title) })
	for _, line := range t.Intro {
		r.para(pPr{}, func() { writeRun(&r.b, runProps{}, line) })
	}
	date := t.Date.UTC().Format("2006-01-02T15:04:05Z")
	attrs := func() string {
		id := strconv.Itoa(r.bmID)
		r.bmID++
		return ` w:id="` + id + `" w:author="` + esc(t.Author) + `" w:date="` + date + `"`
	}
	for _, s := range t.Sections {
		if !s.Changed {
			r.para(pPr{style: "DocumentInfo"}.withAfter(40), func() {
				writeRun(&r.b, runProps{muted: true}, s.Heading+"  ("+s.Note+")")
			})
			continue
		}
		level := min(max(s.Level-1, 1), 6)
		r.para(pPr{style: "Heading" + strconv.Itoa(level)}, func() {
			writeRun(&r.b, runProps{}, s.Heading)
			if s.Note != "" {
				writeRun(&r.b, runProps{muted: true, bold: false}, "  ("+s.Note+")")
			}
		})
		for _, p := range s.Paras {
			r.para(pPr{}, func() {
				for _, run := range p {
					switch run.Change {
					case Inserted:
						r.b.WriteString(`<w:ins` + attrs() + `>`)
						writeRun(&r.b, runProps{}, run.Text)
						r.b.WriteString(`</w:ins>`)
					case Deleted:
						r.b.WriteString(`<w:del` + attrs() + `>`)
						writeDeleted(r, run.Text)
						r.b.WriteString(`</w:del>`)
					case Omitted:
						writeRun(&r.b, runProps{italic: true, muted: true}, "["+run.Text+"]")
					default:
						writeRun(&r.b, runProps{}, run.Text)
					}
				}
			})
		}
	}
	return r.pack(o.styles(), t.Date)
}

// writeDeleted writes deleted text: inside w:del, text is w:delText.
func writeDeleted(r *renderer, text string) {
	r.b.WriteString(`<w:r><w:delText xml:space="preserve">`)
	_ = xmlEscape(&r.b, text)
	r.b.WriteString(`</w:delText></w:r>`)
}

func (o Options) styles() []byte {
	if o.Styles != nil {
		return o.Styles
	}
	return []byte(defaultStyles)
}
