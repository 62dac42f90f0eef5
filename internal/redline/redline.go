// Package redline compares two renderings of a policy and produces a
// governors' redline: the text of each section diffed word by word,
// insertions underlined and marked, deletions struck through, and unchanged
// sections collapsed to their headings. It works on the rendered document
// (the Markdown AST after composition), so a change to a shared template
// shows in every school it affects just as a change to one school's config
// does.
package redline

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/policypack/policypack/internal/markdown"
)

// Op is what happened to a piece of text.
type Op int

// The operations of a segment.
const (
	Equal Op = iota
	Insert
	Delete
	// Skip stands for a run of unchanged paragraphs inside a changed
	// section, collapsed to a note ("3 unchanged paragraphs").
	Skip
)

// Status is what happened to a section.
type Status int

// The states of a section.
const (
	Unchanged Status = iota
	Changed
	Added
	Removed
)

func (s Status) String() string {
	return [...]string{"unchanged", "changed", "added", "removed"}[s]
}

// Seg is a run of text with one operation.
type Seg struct {
	Op   Op
	Text string
}

// Section is one section of the redline.
type Section struct {
	ID      string
	Heading string // as in the newer document (the older one for a removed section)
	Level   int    // heading level, 1 for the title page
	Status  Status
	// Paras is the section's text, one entry per block (paragraph, list
	// item, table row), each a sequence of segments. Empty when unchanged.
	Paras [][]Seg
}

// Redline is the comparison of two renderings of one document.
type Redline struct {
	Title    string // document title
	School   string // school display name
	From, To string // labels of the two sides, e.g. "approved 24 May 2024 (3f2c1a9)" and "working tree"
	Sections []Section
}

// Counts tallies the sections by status.
func (r *Redline) Counts() (changed, added, removed int) {
	for _, s := range r.Sections {
		switch s.Status {
		case Changed:
			changed++
		case Added:
			added++
		case Removed:
			removed++
		}
	}
	return
}

// Summary is the one-line account of the changes, e.g. "3 sections changed,
// 1 added".
func (r *Redline) Summary() string {
	c, a, d := r.Counts()
	if c+a+d == 0 {
		return "No changes"
	}
	var parts []string
	if c > 0 {
		parts = append(parts, plural(c, "section")+" changed")
	}
	if a > 0 {
		if len(parts) == 0 {
			parts = append(parts, plural(a, "section")+" added")
		} else {
			parts = append(parts, fmt.Sprintf("%d added", a))
		}
	}
	if d > 0 {
		if len(parts) == 0 {
			parts = append(parts, plural(d, "section")+" removed")
		} else {
			parts = append(parts, fmt.Sprintf("%d removed", d))
		}
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// titlePage is the id given to the title block (the title, the school and
// the approval record).
const titlePage = "title-page"

// flatSection is a section of one document reduced to plain text blocks.
// title is the heading without its number (compose's data, not the
// heading's text), so renumbering alone is not a change.
type flatSection struct {
	id, heading, title string
	level              int
	blocks             []string
}

// flatten reduces a document to its sections, each a list of plain-text
// blocks: the title block first, then one section per heading with an id,
// as compose writes one for every section and appendix. The contents list
// is left out: it only repeats the headings.
func flatten(doc *markdown.Document) []flatSection {
	titles := map[string]string{}
	for _, e := range doc.Meta.Front.Contents {
		titles[e.ID] = e.Title
	}
	secs := []flatSection{{id: titlePage, heading: "Title page", title: "Title page", level: 1}}
	for n := doc.Root.FirstChild(); n != nil; n = n.NextSibling() {
		switch t := n.(type) {
		case *markdown.TitleBlock:
			for c := t.Doc.Root.FirstChild(); c != nil; c = c.NextSibling() {
				secs[0].blocks = append(secs[0].blocks, blockTexts(t.Doc, c, "")...)
			}
			continue
		case *markdown.Contents:
			continue
		case *ast.Heading:
			if id, ok := t.AttributeString("id"); ok && t.Level > 1 {
				s := flatSection{id: idString(id), heading: oneLine(doc.Text(t)), level: t.Level}
				s.title = s.heading
				if title, ok := titles[s.id]; ok {
					s.title = title
				}
				secs = append(secs, s)
				continue
			}
		}
		cur := &secs[len(secs)-1]
		cur.blocks = append(cur.blocks, blockTexts(doc, n, "")...)
	}
	return secs
}

func idString(v any) string {
	switch t := v.(type) {
	case []byte:
		return string(t)
	case string:
		return t
	}
	return fmt.Sprint(v)
}

var spaces = regexp.MustCompile(`\s+`)

func oneLine(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// blockTexts returns the plain text of a block, one string per paragraph,
// list item or table row, so the redline keeps the document's shape.
func blockTexts(doc *markdown.Document, n ast.Node, prefix string) []string {
	switch t := n.(type) {
	case *ast.Heading, *ast.Paragraph, *ast.TextBlock:
		if s := oneLine(doc.Text(n)); s != "" {
			return []string{prefix + s}
		}
		return nil
	case *ast.List:
		var out []string
		i := t.Start
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			mark := "• "
			if t.IsOrdered() {
				mark = fmt.Sprintf("%d. ", i)
				i++
			}
			out = append(out, listItem(doc, c, prefix+mark)...)
		}
		return out
	case *east.Table:
		var out []string
		for row := n.FirstChild(); row != nil; row = row.NextSibling() {
			var cells []string
			for c := row.FirstChild(); c != nil; c = c.NextSibling() {
				cells = append(cells, oneLine(doc.Text(c)))
			}
			if s := strings.TrimSpace(strings.Join(cells, " | ")); s != "" && s != "|" {
				out = append(out, prefix+s)
			}
		}
		return out
	case *markdown.FormBlock:
		var out []string
		for _, row := range t.Rows {
			var cells []string
			for _, f := range row {
				v := f.Value
				if v == "" {
					v = "______"
				}
				if f.Kind == markdown.FieldYesNo {
					v = "[ ] Yes [ ] No"
				}
				cells = append(cells, f.Label+": "+v)
			}
			out = append(out, prefix+strings.Join(cells, "   "))
		}
		return out
	case *markdown.PictureList:
		var out []string
		for _, it := range t.Items {
			out = append(out, prefix+"• "+it.Text)
		}
		return out
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		var b strings.Builder
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b.Write(seg.Value(doc.Source))
		}
		if s := oneLine(b.String()); s != "" {
			return []string{prefix + s}
		}
		return nil
	case *ast.ThematicBreak, *ast.HTMLBlock, *markdown.PageBreak:
		return nil
	}
	var out []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		out = append(out, blockTexts(doc, c, prefix)...)
	}
	return out
}

// listItem gives the item's first block the marker and indents the rest.
func listItem(doc *markdown.Document, item ast.Node, mark string) []string {
	var out []string
	first := true
	for c := item.FirstChild(); c != nil; c = c.NextSibling() {
		p := "    "
		if first {
			p = mark
		}
		if _, ok := c.(*ast.List); ok {
			p = "    "
		}
		ts := blockTexts(doc, c, p)
		if len(ts) > 0 {
			first = false
		}
		out = append(out, ts...)
	}
	if first { // an empty item still counts
		out = append(out, strings.TrimSpace(mark))
	}
	return out
}

// Compare builds the redline of newer against older (both renderings of the
// same policy).
func Compare(older, newer *markdown.Document) *Redline {
	r := &Redline{Title: newer.Meta.Title, School: newer.Meta.School}
	a, b := flatten(older), flatten(newer)
	inB := map[string]bool{}
	for _, s := range b {
		inB[s.id] = true
	}
	idxA := map[string]int{}
	for i, s := range a {
		idxA[s.id] = i
	}
	cursor := 0
	removedUpTo := func(end int) {
		for ; cursor < end; cursor++ {
			if s := a[cursor]; !inB[s.id] {
				r.Sections = append(r.Sections, Section{ID: s.id, Heading: s.heading, Level: s.level, Status: Removed, Paras: whole(s.blocks, Delete)})
			}
		}
	}
	for _, s := range b {
		j, ok := idxA[s.id]
		if !ok {
			r.Sections = append(r.Sections, Section{ID: s.id, Heading: s.heading, Level: s.level, Status: Added, Paras: whole(s.blocks, Insert)})
			continue
		}
		if j >= cursor {
			removedUpTo(j)
			cursor = j + 1
		}
		old := a[j]
		sec := Section{ID: s.id, Heading: s.heading, Level: s.level}
		oldText := strings.Join(append([]string{old.title}, old.blocks...), "\n")
		newText := strings.Join(append([]string{s.title}, s.blocks...), "\n")
		if oldText != newText {
			sec.Status = Changed
			paras := paragraphs(diffWords(oldText, newText))
			// The first paragraph is the heading: show it only if its
			// words changed (renumbering alone is not a change).
			if len(paras) > 0 && allEqual(paras[0]) {
				paras = paras[1:]
			} else if len(paras) > 0 {
				sec.Paras = append(sec.Paras, paras[0])
				paras = paras[1:]
				sec.Paras[0] = append([]Seg{{Equal, "Heading: "}}, sec.Paras[0]...)
			}
			sec.Paras = append(sec.Paras, collapse(paras)...)
		}
		r.Sections = append(r.Sections, sec)
	}
	removedUpTo(len(a))
	return r
}

func allEqual(p []Seg) bool {
	for _, s := range p {
		if s.Op != Equal {
			return false
		}
	}
	return true
}

func whole(blocks []string, op Op) [][]Seg {
	var out [][]Seg
	for _, b := range blocks {
		out = append(out, []Seg{{op, b}})
	}
	return out
}

// token matches a word (letters, digits and the apostrophes and hyphens
// inside one), a run of spaces, a line break or any other single character.
var token = regexp.MustCompile(`[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*|[ \t]+|\n|.`)

// diffWords diffs two texts word by word. Each distinct token is mapped to
// one rune so that diffmatchpatch's rune diff works on whole words (the same
// idea as its line mode), then semantic cleanup merges changes separated by
// a lone space or comma into one readable change.
func diffWords(a, b string) []Seg {
	dict := map[string]rune{}
	var back []string
	encode := func(s string) []rune {
		toks := token.FindAllString(s, -1)
		out := make([]rune, len(toks))
		for i, t := range toks {
			r, ok := dict[t]
			if !ok {
				r = runeFor(len(back))
				dict[t] = r
				back = append(back, t)
			}
			out[i] = r
		}
		return out
	}
	ra, rb := encode(a), encode(b)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // exact: a redline must not fall back to a coarse diff
	diffs := dmp.DiffMainRunes(ra, rb, false)
	diffs = dmp.DiffCleanupSemantic(diffs)
	nl, hasNL := dict["\n"]
	if hasNL {
		diffs = alignToBlocks(diffs, nl, func(r rune) bool { return strings.TrimSpace(back[indexFor(r)]) == "" })
	}
	var segs []Seg
	for _, d := range diffs {
		var text strings.Builder
		for _, r := range d.Text {
			text.WriteString(back[indexFor(r)])
		}
		op := Equal
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = Insert
		case diffmatchpatch.DiffDelete:
			op = Delete
		}
		segs = append(segs, Seg{op, text.String()})
	}
	return segs
}

// runeFor maps a token index to a valid rune, skipping the surrogate range
// (which a Go string cannot hold) so the round trip through strings in
// diffmatchpatch is lossless.
func runeFor(i int) rune {
	r := rune(i + 1)
	if r >= 0xD800 {
		r += 0x800
	}
	if !utf8.ValidRune(r) {
		panic("redline: too many distinct words")
	}
	return r
}

func indexFor(r rune) int {
	if r >= 0xE000 {
		r -= 0x800
	}
	return int(r - 1)
}

// paragraphs splits a segment list at line breaks (block boundaries).
func paragraphs(segs []Seg) [][]Seg {
	var out [][]Seg
	var cur []Seg
	for _, s := range segs {
		parts := strings.Split(s.Text, "\n")
		for i, p := range parts {
			if i > 0 {
				out = append(out, cur)
				cur = nil
			}
			if p != "" {
				cur = append(cur, Seg{s.Op, p})
			}
		}
	}
	out = append(out, cur)
	// Drop paragraphs emptied by the split (a deleted line break leaves one).
	kept := out[:0]
	for _, p := range out {
		if len(p) > 0 {
			kept = append(kept, p)
		}
	}
	return kept
}

// collapse keeps the changed paragraphs of a section and the unchanged
// paragraph just before each (often the sentence that introduces a list),
// and replaces other runs of unchanged paragraphs with one Skip note.
func collapse(paras [][]Seg) [][]Seg {
	keep := make([]bool, len(paras))
	for i, p := range paras {
		if !allEqual(p) {
			keep[i] = true
			if i > 0 {
				keep[i-1] = true
			}
		}
	}
	var out [][]Seg
	for i := 0; i < len(paras); {
		if keep[i] {
			out = append(out, paras[i])
			i++
			continue
		}
		j := i
		for j < len(paras) && !keep[j] {
			j++
		}
		out = append(out, []Seg{{Skip, plural(j-i, "unchanged paragraph")}})
		i = j
	}
	return out
}

// alignToBlocks slides each lone insertion or deletion (one between two
// equal runs) along the repeated tokens around it to where it best fits
// the text's shape: starting a block and ending at a block's end, else at a
// space. diffmatchpatch's own lossless cleanup judges characters, which
// here are stand-ins for whole words, so it cannot do this. Without it an
// added paragraph can show as "online+. We train staff every year" rather
// than as one whole inserted paragraph.
func alignToBlocks(diffs []diffmatchpatch.Diff, nl rune, space func(rune) bool) []diffmatchpatch.Diff {
	for i := 1; i+1 < len(diffs); i++ {
		if diffs[i-1].Type != diffmatchpatch.DiffEqual || diffs[i+1].Type != diffmatchpatch.DiffEqual || diffs[i].Type == diffmatchpatch.DiffEqual {
			continue
		}
		a, e, b := []rune(diffs[i-1].Text), []rune(diffs[i].Text), []rune(diffs[i+1].Text)
		// Slide fully left first.
		for len(a) > 0 && len(e) > 0 && a[len(a)-1] == e[len(e)-1] {
			last := a[len(a)-1]
			a = a[:len(a)-1]
			e = append([]rune{last}, e[:len(e)-1]...)
			b = append([]rune{last}, b...)
		}
		score := func(a, e, b []rune) int {
			n := 0
			switch {
			case len(a) == 0 || a[len(a)-1] == nl:
				n += 4
			case space(a[len(a)-1]):
				n++
			}
			switch {
			case len(b) == 0 || e[len(e)-1] == nl || b[0] == nl:
				n += 4
			case space(b[0]) || space(e[len(e)-1]):
				n++
			}
			return n
		}
		bestA, bestE, bestB, best := slicesClone(a), slicesClone(e), slicesClone(b), score(a, e, b)
		// Then try every position to the right.
		for len(b) > 0 && len(e) > 0 && e[0] == b[0] {
			first := e[0]
			a = append(a, first)
			e = append(e[1:], first)
			b = b[1:]
			if sc := score(a, e, b); sc > best {
				bestA, bestE, bestB, best = slicesClone(a), slicesClone(e), slicesClone(b), sc
			}
		}
		diffs[i-1].Text, diffs[i].Text, diffs[i+1].Text = string(bestA), string(bestE), string(bestB)
	}
	// Sliding can empty an equal run at either end; drop empty runs.
	out := diffs[:0]
	for _, d := range diffs {
		if d.Text != "" {
			out = append(out, d)
		}
	}
	return out
}

func slicesClone(r []rune) []rune { return append([]rune(nil), r...) }
