package pdf

import (
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/policypack/policypack/internal/markdown"
)

// attrs is how a piece of inline text looks and where it points.
type attrs struct {
	st   style
	size float64 // points
	col  rgb
	url  string // external link target
	dest string // internal link target: a heading id without '#'
	// policy is the id of the policy a link names (markdown.PolicyScheme):
	// in a bound pack that holds it, a link to its first page; else url,
	// its PDF file beside this one.
	policy string
}

// span is a run of text with one set of attributes. A "\n" span is a hard
// line break.
type span struct {
	text string
	a    attrs
}

// inliner collects the inline children of a block into spans. Each inline
// node kind has its own function in inlineFuncs, as goldmark's renderers do.
type inliner struct {
	r     *renderer
	spans []span
	bold  bool
	ital  bool
	mono  bool
	a     attrs
}

type inlineFunc func(in *inliner, n ast.Node)

// inlineFuncs holds the function that collects each inline node kind. It
// is built once, by init (the functions refer back to it), and never
// changed.
var inlineFuncs map[ast.NodeKind]inlineFunc

func init() {
	inlineFuncs = map[ast.NodeKind]inlineFunc{
		ast.KindText: inlineText,
		ast.KindString: func(in *inliner, n ast.Node) {
			s := n.(*ast.String)
			v := s.Value
			if !s.IsRaw() && !s.IsCode() {
				v = markdown.Unescape(v)
			}
			in.add(string(v))
		},
		ast.KindEmphasis: func(in *inliner, n ast.Node) {
			saved := *in
			if n.(*ast.Emphasis).Level >= 2 {
				in.bold = true
			} else {
				in.ital = true
			}
			in.children(n)
			in.bold, in.ital = saved.bold, saved.ital
		},
		ast.KindCodeSpan: func(in *inliner, n ast.Node) {
			saved := in.mono
			in.mono = true
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					in.add(strings.ReplaceAll(string(t.Value(in.r.src)), "\n", " "))
				} else if s, ok := c.(*ast.String); ok {
					in.add(string(s.Value))
				}
			}
			in.mono = saved
		},
		ast.KindLink: func(in *inliner, n ast.Node) {
			l := n.(*ast.Link)
			in.link(string(l.Destination), func() { in.children(n) })
		},
		ast.KindAutoLink: func(in *inliner, n ast.Node) {
			l := n.(*ast.AutoLink)
			url := string(l.URL(in.r.src))
			if l.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(url), "mailto:") {
				url = "mailto:" + url
			}
			in.link(url, func() { in.add(string(l.Label(in.r.src))) })
		},
		ast.KindImage: func(in *inliner, n ast.Node) {
			// Only the school logo (from config) is drawn as an image; an
			// image in the text shows its description so no words are lost.
			saved := in.ital
			in.ital = true
			in.children(n)
			in.ital = saved
		},
		ast.KindRawHTML: func(in *inliner, n ast.Node) {
			h := n.(*ast.RawHTML)
			var b []byte
			for i := 0; i < h.Segments.Len(); i++ {
				s := h.Segments.At(i)
				b = append(b, s.Value(in.r.src)...)
			}
			switch strings.ToLower(strings.ReplaceAll(string(b), " ", "")) {
			case "<br>", "<br/>":
				in.spans = append(in.spans, span{text: "\n", a: in.attrs()})
			}
			// Other inline HTML (comments) is not text and draws nothing.
		},
	}
}

// inlineText adds a text node, resolving backslash escapes and entities as
// goldmark's HTML writer does, and its soft or hard line break.
func inlineText(in *inliner, n ast.Node) {
	t := n.(*ast.Text)
	v := t.Value(in.r.src)
	if !t.IsRaw() {
		v = markdown.Unescape(v)
	}
	in.add(string(v))
	switch {
	case t.HardLineBreak():
		in.spans = append(in.spans, span{text: "\n", a: in.attrs()})
	case t.SoftLineBreak():
		in.add(" ")
	}
}

func (in *inliner) link(dest string, body func()) {
	saved := in.a
	if strings.HasPrefix(dest, "#") {
		if _, ok := in.r.byID[dest[1:]]; !ok {
			// A link to no heading in this document: plain text,
			// not a link that goes nowhere.
			body()
			return
		}
		in.a.dest = dest[1:]
	} else if strings.HasPrefix(dest, markdown.PolicyScheme) {
		id, ok := markdown.PolicyLinkID(dest)
		path := in.r.doc.Meta.Path
		if !ok || path == "" {
			// No file to point at (a form printed for a roster):
			// plain text.
			body()
			return
		}
		// fpdf writes a link to another file only as a URI action, so
		// the address is relative: PDF viewers resolve it against the
		// file's own location (see docs/design.md).
		in.a.policy, in.a.url = id, markdown.PolicyHref(path, id, "pdf")
	} else if markdown.SafeURL(dest) {
		in.a.url = dest
	} else {
		// javascript:, data: and the like never become live links, as
		// goldmark's HTML renderer blanks them.
		body()
		return
	}
	in.a.col = colLink
	body()
	in.a = saved
}

func (in *inliner) children(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if fn, ok := inlineFuncs[c.Kind()]; ok {
			fn(in, c)
		} else {
			// An inline kind with no function of its own still shows
			// its text.
			in.children(c)
		}
	}
}

func (in *inliner) attrs() attrs {
	a := in.a
	switch {
	case in.mono:
		a.st = stMono
		a.size = in.a.size * 0.9
	case in.bold && in.ital:
		a.st = stBoldItalic
	case in.bold:
		a.st = stBold
	case in.ital:
		a.st = stItalic
	}
	return a
}

func (in *inliner) add(s string) {
	if s == "" {
		return
	}
	a := in.attrs()
	if k := len(in.spans); k > 0 && in.spans[k-1].a == a && in.spans[k-1].text != "\n" {
		in.spans[k-1].text += s
		return
	}
	in.spans = append(in.spans, span{text: s, a: a})
}

// collect returns the spans of n's inline children drawn in base style.
func (r *renderer) collect(n ast.Node, base style, size float64, col rgb) []span {
	in := &inliner{r: r, a: attrs{st: base, size: size, col: col}}
	in.bold = base == stBold || base == stBoldItalic
	in.ital = base == stItalic || base == stBoldItalic
	in.children(n)
	return in.spans
}

// piece is a measured fragment of one line: a word part or a space. It
// points at its span's attributes rather than copying them: a policy has
// thousands of pieces.
type piece struct {
	text  string
	a     *attrs
	w     float64
	space bool
	// at is 1 + the byte offset of text in its span's text, or 0 when
	// text is not a slice of it. Pieces that follow each other in the
	// same span are merged into one slice of it as a line is filled, so
	// a line holds a few runs rather than a piece per word and space.
	at int
	si int // index of the span, when at > 0
}

// line is one laid-out line of text.
type line struct {
	pieces []piece
	w      float64
	size   float64 // largest type size on the line
}

// textWidth measures s in millimetres, recording an error for any rune the
// face cannot print.
func (r *renderer) textWidth(s string, st style, size float64) float64 {
	fc := faces[st]
	total := 0
	for _, c := range s {
		if !fc.printable(c) {
			if sym := faces[stSymbol]; sym.printable(c) {
				total += int(sym.adv[c])
				continue
			}
			r.missing(c, st, s)
			continue
		}
		total += int(fc.adv[c])
	}
	return float64(total) * size / 1000 * ptMM
}

// breakLines fills lines no wider than maxW, greedily, breaking at spaces;
// a word wider than a whole line is split between characters.
func (r *renderer) breakLines(spans []span, maxW float64) []line {
	var (
		lines    []line
		cur      line
		word     []piece
		wordW    float64
		space    piece
		hasSpace bool
	)
	flush := func() {
		// Drop trailing spaces: they would only widen the line.
		for n := len(cur.pieces); n > 0; n = len(cur.pieces) {
			last := &cur.pieces[n-1]
			if last.space {
				cur.w -= last.w
				cur.pieces = cur.pieces[:n-1]
				continue
			}
			if !strings.HasSuffix(last.text, " ") {
				break
			}
			sw := r.textWidth(" ", last.a.st, last.a.size)
			last.text = last.text[:len(last.text)-1]
			last.w -= sw
			cur.w -= sw
		}
		lines = append(lines, cur)
		cur = line{}
	}
	place := func(p piece) {
		cur.w += p.w
		if p.a.size > cur.size {
			cur.size = p.a.size
		}
		if n := len(cur.pieces); n > 0 {
			q := &cur.pieces[n-1]
			if q.at > 0 && p.at > 0 && q.si == p.si && q.at+len(q.text) == p.at {
				q.text = spans[p.si].text[q.at-1 : p.at-1+len(p.text)]
				q.w += p.w
				q.space = false
				return
			}
		}
		cur.pieces = append(cur.pieces, p)
	}
	endWord := func() {
		if len(word) == 0 {
			return
		}
		sw := 0.0
		if hasSpace && len(cur.pieces) > 0 {
			sw = space.w
		}
		if len(cur.pieces) > 0 && cur.w+sw+wordW > maxW+1e-9 {
			flush()
			sw = 0
		}
		if sw > 0 {
			place(space)
		}
		if wordW <= maxW+1e-9 {
			for _, p := range word {
				place(p)
			}
		} else {
			r.splitWord(word, maxW, &cur, flush, place)
		}
		word, wordW, hasSpace = word[:0], 0, false
	}
	for i := range spans {
		sp := &spans[i]
		if sp.text == "\n" {
			endWord()
			if cur.size == 0 {
				cur.size = sp.a.size
			}
			flush()
			hasSpace = false
			continue
		}
		s := sp.text
		for s != "" {
			at := len(sp.text) - len(s) + 1
			k := strings.IndexAny(s, " \t\n")
			if k == 0 {
				endWord()
				if len(cur.pieces) > 0 || len(lines) > 0 {
					w := r.textWidth(" ", sp.a.st, sp.a.size)
					space, hasSpace = piece{text: " ", a: &sp.a, w: w, space: true, at: at, si: i}, true
					if s[0] != ' ' {
						space.at = 0 // a tab or newline prints as a space
					}
				}
				s = s[1:]
				continue
			}
			part := s
			if k > 0 {
				part, s = s[:k], s[k:]
			} else {
				s = ""
			}
			w := r.textWidth(part, sp.a.st, sp.a.size)
			word = append(word, piece{text: part, a: &sp.a, w: w, at: at, si: i})
			wordW += w
		}
	}
	endWord()
	if len(cur.pieces) > 0 || len(lines) == 0 {
		flush()
	}
	for i := range lines {
		if lines[i].size == 0 {
			lines[i].size = spansSize(spans)
		}
	}
	return lines
}

func spansSize(spans []span) float64 {
	for _, s := range spans {
		return s.a.size
	}
	return bodySize
}

// splitWord places a word too wide for any line, filling each line with as
// many characters as fit and, where it can, breaking after a slash, hyphen
// or other URL punctuation so the parts stay readable (and searchable).
func (r *renderer) splitWord(word []piece, maxW float64, cur *line, flush func(), place func(piece)) {
	for _, p := range word {
		rs := []rune(p.text)
		for len(rs) > 0 {
			// How many runes fit on what is left of the line?
			room := maxW - cur.w
			n, w := 0, 0.0
			for n < len(rs) {
				cw := r.textWidth(string(rs[n]), p.a.st, p.a.size)
				if w+cw > room+1e-9 {
					break
				}
				w += cw
				n++
			}
			if n == len(rs) {
				place(piece{text: string(rs), a: p.a, w: w})
				break
			}
			if n == 0 && len(cur.pieces) == 0 {
				n = 1 // a single glyph wider than the line: place it anyway
			}
			for k := n - 1; k > 0; k-- {
				if strings.ContainsRune("/-.?&=_", rs[k-1]) {
					n = k
					break
				}
			}
			if n > 0 {
				part := string(rs[:n])
				place(piece{text: part, a: p.a, w: r.textWidth(part, p.a.st, p.a.size)})
				rs = rs[n:]
			}
			flush()
		}
	}
}

// wordWidths returns the widest single word and the width of the whole text
// on one line (the longest line where there are hard breaks): the minimum and
// natural widths used to size table columns.
func (r *renderer) wordWidths(spans []span) (minW, natW float64) {
	var word, lineW float64
	for _, sp := range spans {
		if sp.text == "\n" {
			minW, natW = max(minW, word), max(natW, lineW)
			word, lineW = 0, 0
			continue
		}
		for _, part := range splitKeep(sp.text) {
			w := r.textWidth(part, sp.a.st, sp.a.size)
			lineW += w
			if part == " " {
				minW = max(minW, word)
				word = 0
			} else {
				word += w
			}
		}
	}
	return max(minW, word), max(natW, lineW)
}

// splitKeep splits s into words and single spaces, keeping the spaces.
func splitKeep(s string) []string {
	var out []string
	for s != "" {
		i := strings.IndexByte(s, ' ')
		switch {
		case i < 0:
			out = append(out, s)
			s = ""
		case i == 0:
			out = append(out, " ")
			s = s[1:]
		default:
			out = append(out, s[:i], " ")
			s = s[i+1:]
		}
	}
	return out
}
