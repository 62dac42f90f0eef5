package redline

import (
	"bytes"
	"fmt"
	"html"
	"strings"
)

// Markdown writes the redline as Markdown with CriticMarkup marks:
// {++inserted++} and {--deleted--}. Unchanged sections are listed by heading
// only.
func (r *Redline) Markdown() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Changes to %s\n\n", mdEscape(r.Title))
	if r.School != "" {
		fmt.Fprintf(&b, "**%s**\n\n", mdEscape(r.School))
	}
	fmt.Fprintf(&b, "From: %s  \nTo: %s\n\n**%s.**\n\n", mdEscape(r.From), mdEscape(r.To), r.Summary())
	b.WriteString("Inserted text is marked {++like this++}; deleted text {--like this--}.\n\n")
	for _, s := range r.Sections {
		heading := mdEscape(s.Heading)
		if s.Status == Unchanged {
			fmt.Fprintf(&b, "%s %s *(unchanged)*\n\n", hashes(s.Level), heading)
			continue
		}
		fmt.Fprintf(&b, "%s %s *(%s)*\n\n", hashes(s.Level), heading, s.Status)
		for _, p := range s.Paras {
			for _, seg := range p {
				t := mdEscape(seg.Text)
				switch seg.Op {
				case Insert:
					fmt.Fprintf(&b, "{++%s++}", t)
				case Delete:
					fmt.Fprintf(&b, "{--%s--}", t)
				case Skip:
					fmt.Fprintf(&b, "*[%s]*", t)
				default:
					b.WriteString(t)
				}
			}
			b.WriteString("\n\n")
		}
	}
	return b.Bytes()
}

func hashes(level int) string {
	return strings.Repeat("#", min(max(level, 2), 4))
}

var mdEscaper = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`, `<`, `\<`, `#`, `\#`, "`", "\\`", `|`, `\|`, `{`, `\{`)

func mdEscape(s string) string { return mdEscaper.Replace(s) }

const css = `
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
.school { font-weight: 600; margin: 0 0 1rem; }
.sides { color: #444; margin: 0; }
.summary { font-size: 1.15rem; font-weight: 700; margin: 1rem 0; padding: .6rem .8rem; background: #f3f5f8; border-left: 4px solid #1d4f91; }
.legend { color: #444; font-size: .9rem; }
section { margin: 0; }
section.unchanged h2, section.unchanged h3, section.unchanged h4 { color: #6b6b6b; font-weight: 400; font-size: 1rem; margin: .15rem 0; }
section.changed, section.added, section.removed { margin: 1.2rem 0; padding-left: .8rem; border-left: 4px solid #c58a00; }
section.added { border-left-color: #1a7f37; }
section.removed { border-left-color: #b42318; }
h2, h3, h4 { font-size: 1.1rem; margin: .4rem 0; }
.status { font-size: .8rem; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; color: #fff; background: #c58a00; border-radius: 3px; padding: 0 .35rem; margin-left: .4rem; vertical-align: middle; }
.added .status { background: #1a7f37; } .removed .status { background: #b42318; }
.unchanged .status { background: none; color: #8a8a8a; font-weight: 400; text-transform: none; letter-spacing: 0; }
ins { color: #0b5d23; background: #e6f4ea; text-decoration: underline; text-decoration-thickness: 2px; }
ins::before { content: "+"; font-size: .75em; font-weight: 700; vertical-align: super; text-decoration: none; display: inline-block; }
del::before { content: "\2212"; font-size: .75em; font-weight: 700; vertical-align: super; text-decoration: none; display: inline-block; }
.skip { color: #6b6b6b; font-style: italic; font-size: .9rem; }
del { color: #8f1d14; background: #fdecea; text-decoration: line-through; text-decoration-thickness: 2px; }
@media print { body { margin: 0; max-width: none; } section.changed, section.added, section.removed { break-inside: avoid-page; } }
`

// HTML writes the redline as a standalone HTML page (styles inline, no
// scripts) that prints well for a governors' meeting pack.
func (r *Redline) HTML() []byte {
	var b bytes.Buffer
	esc := html.EscapeString
	title := "Changes to " + r.Title
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n", esc(title), css)
	fmt.Fprintf(&b, "<h1>%s</h1>\n", esc(title))
	if r.School != "" {
		fmt.Fprintf(&b, "<p class=\"school\">%s</p>\n", esc(r.School))
	}
	fmt.Fprintf(&b, "<p class=\"sides\">From: %s<br>To: %s</p>\n", esc(r.From), esc(r.To))
	fmt.Fprintf(&b, "<p class=\"summary\">%s.</p>\n", esc(r.Summary()))
	b.WriteString("<p class=\"legend\">Inserted text is <ins>underlined</ins>; deleted text is <del>struck through</del>. Unchanged sections are shown by heading only, unchanged paragraphs of a changed section as a note.</p>\n")
	for _, s := range r.Sections {
		tag := fmt.Sprintf("h%d", min(max(s.Level, 2), 4))
		fmt.Fprintf(&b, "<section class=\"%s\" id=\"%s\">\n<%s>%s<span class=\"status\">%s</span></%s>\n", s.Status, esc(s.ID), tag, esc(s.Heading), s.Status, tag)
		for _, p := range s.Paras {
			b.WriteString("<p>")
			for _, seg := range p {
				switch seg.Op {
				case Insert:
					fmt.Fprintf(&b, "<ins>%s</ins>", esc(seg.Text))
				case Delete:
					fmt.Fprintf(&b, "<del>%s</del>", esc(seg.Text))
				case Skip:
					fmt.Fprintf(&b, "<span class=\"skip\">[%s]</span>", esc(seg.Text))
				default:
					b.WriteString(esc(seg.Text))
				}
			}
			b.WriteString("</p>\n")
		}
		b.WriteString("</section>\n")
	}
	b.WriteString("</body>\n</html>\n")
	return b.Bytes()
}
