package markdown

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// Front is a document's front matter as compose hands it on: data beside
// the body, never text inside it, so no renderer has to find a title block
// or a contents list by recognising another stage's sentences.
type Front struct {
	// TitleBlock is the Markdown the title-block partial produced (title,
	// school, approval record, notice), or nil for none. Renderers that
	// print Markdown's own rendering (HTML, the .md file) show it as it is;
	// paged output lays its title page out from Meta's record fields.
	TitleBlock []byte
	// Contents lists the numbered sections and appendices in order, or nil
	// for a document without a contents list (a form).
	Contents []Entry
}

// Entry is one numbered section or appendix of a policy.
type Entry struct {
	ID       string // the heading's id in the body
	Number   string // "1", "2.1"; for an appendix its letter or number; "" for none
	Title    string // plain text, without the number
	Level    int    // 1 for a section or appendix, 2 for a subsection
	Appendix bool
}

// Label is the entry's heading as printed: "1. Aims", "2.1 Scope",
// "Appendix A: Forms". Compose writes it as the heading and the contents
// list repeats it, so both come from this one place. Its title is
// typographic, as the heading's text is once parsed ("children’s", not
// "children's"), so a contents list laid out from entries (a pack's, a
// Word file's) prints what the heading it names prints.
func (e Entry) Label() string { return e.label(Typographic(e.Title)) }

// MarkdownLabel is Label with the title escaped for Markdown.
func (e Entry) MarkdownLabel() string { return e.label(Escape(e.Title)) }

func (e Entry) label(title string) string {
	switch {
	case e.Appendix:
		return "Appendix " + e.Number + ": " + title
	case e.Number == "":
		return title
	case strings.Contains(e.Number, "."):
		return e.Number + " " + title
	}
	return e.Number + ". " + title
}

// ContentsID is the id of the contents list's heading, the target of
// links to it.
const ContentsID = "contents"

// ContentsTitle heads the contents list.
const ContentsTitle = "Contents"

// ContentsMarkdown writes entries as the Markdown contents list the .md file
// carries: a heading and one linked line per entry, subsections indented.
func ContentsMarkdown(entries []Entry) []byte {
	if len(entries) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "## %s {#%s}\n\n", ContentsTitle, ContentsID)
	for _, e := range entries {
		fmt.Fprintf(&b, "%s- [%s](#%s)\n", strings.Repeat("    ", max(e.Level, 1)-1), e.MarkdownLabel(), e.ID)
	}
	return []byte(b.String())
}

// State is a policy's approval and review state on the as-of date. It is a
// value, not a sentence: each output words it (see Notice).
type State int

// The states of a policy, in order of urgency.
const (
	StateDraft    State = iota // no approval date (or review date) recorded
	StateApproved              // approved, next review not yet near
	StateDueSoon               // next review within the due-soon window
	StateDueToday              // next review is the as-of date
	StateOverdue               // next review date has passed
)

func (s State) String() string {
	switch s {
	case StateApproved:
		return "approved"
	case StateDueSoon:
		return "due-soon"
	case StateDueToday:
		return "due"
	case StateOverdue:
		return "overdue"
	}
	return "draft"
}

// Notice is the headline a policy's title block shows when its state
// concerns its readers: a draft ("DRAFT: not yet approved") or a review that
// has come ("Review overdue since 24 May 2024"); "" otherwise. nextReview is
// the record's next review date as printed. Only the policy's own title
// block and the dashboard show a review notice: forms never do.
func (s State) Notice(nextReview string) string {
	switch s {
	case StateDraft:
		return DraftMark + ": not yet approved"
	case StateOverdue:
		return "Review overdue since " + nextReview
	case StateDueToday:
		return "Review due today, " + nextReview
	}
	return ""
}

// Action is the sentence that follows a notice, or "" for none. noun is
// the document's own word for itself ("policy", "procedure").
func (s State) Action(noun string) string {
	if noun == "" {
		noun = "policy"
	}
	switch s {
	case StateDraft:
		return "This " + noun + " is a proposal until it is approved; it must not be published as the school's " + noun + " before then."
	case StateOverdue, StateDueToday:
		return "This " + noun + " must be reviewed and approved again."
	}
	return ""
}

// DraftMark is the word every output of a draft carries: the banner on its
// first page, each PDF page's header and a form's version line.
const DraftMark = "DRAFT"

// RecordRows are a policy title block's record rows, label and value: only what is known (no
// "not recorded" anywhere), and for a draft who will approve it in place
// of an approval it has not had. Every paged renderer lays its title block
// out from these, so the formats never disagree.
func RecordRows(m Meta) [][2]string {
	var rows [][2]string
	add := func(label, v string) {
		if v != "" {
			rows = append(rows, [2]string{label, v})
		}
	}
	add("Version", m.Version)
	if m.State == StateDraft {
		add("To be approved by", m.ApprovedBy)
		return rows
	}
	add("Approved by", m.ApprovedBy)
	add("Approved on", m.ApprovedOn)
	add("Last reviewed", m.LastReviewed)
	add("Next review due", m.NextReview)
	return rows
}

// VersionLine is a form's own small record: the policy's version and
// approval date, or DRAFT. It never carries a review date or notice: forms
// go to parents, pupils, staff and visitors, for whom a review is not news.
func VersionLine(m Meta) string {
	if m.State == StateDraft {
		return DraftMark + ": the " + m.Noun + " is not yet approved"
	}
	var parts []string
	if m.Version != "" {
		parts = append(parts, "Version "+m.Version)
	}
	if m.ApprovedOn != "" {
		parts = append(parts, "approved "+m.ApprovedOn)
	}
	return strings.Join(parts, ", ")
}

// Footer is what a document's running footer says of its record: the
// draft notice for a draft, nothing for a form (its version line is in its
// title block, and a review is no news to the people who sign it), the
// next review date for an approved policy; never a review notice (overdue
// is for the policy's title block and the dashboard).
func Footer(m Meta) string {
	switch {
	case m.State == StateDraft:
		return m.State.Notice("")
	case m.Form, m.NextReview == "":
		return ""
	}
	return "Next review due: " + m.NextReview
}

// KindTitleBlock is the node kind of a document's title block.
var KindTitleBlock = ast.NewNodeKind("TitleBlock")

// TitleBlock stands where a document's title block goes. Doc is the
// title-block partial's Markdown, parsed on its own; the record itself is
// in the document's Meta, so each renderer chooses what to place.
type TitleBlock struct {
	ast.BaseBlock
	Doc *Document
}

// Kind implements ast.Node.
func (n *TitleBlock) Kind() ast.NodeKind { return KindTitleBlock }

// Dump implements ast.Node.
func (n *TitleBlock) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// KindContents is the node kind of a document's contents list.
var KindContents = ast.NewNodeKind("Contents")

// Contents stands where a document's contents list goes. Entries are the
// data; Doc is the same list as Markdown (ContentsMarkdown), parsed, for
// renderers that print Markdown's own rendering.
type Contents struct {
	ast.BaseBlock
	Entries []Entry
	Doc     *Document
}

// Kind implements ast.Node.
func (n *Contents) Kind() ast.NodeKind { return KindContents }

// Dump implements ast.Node.
func (n *Contents) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

var (
	mdSpecial    = regexp.MustCompile("[\\\\`*_\\[\\]<>#|!~&{}]")
	blockStartRe = regexp.MustCompile(`^(\d{1,9})([.)])`)
	spaceRe      = regexp.MustCompile(`[\r\n\t]+`)
)

// Escape makes s render as exactly its own text in CommonMark + GFM: it
// cannot start a block, open emphasis, a link, raw HTML, an entity, a table
// cell or a heading attribute. Line breaks become spaces so a value never
// leaves the paragraph, list item or cell it was put in.
func Escape(s string) string {
	s = strings.TrimSpace(spaceRe.ReplaceAllString(s, " "))
	s = mdSpecial.ReplaceAllString(s, `\$0`)
	if m := blockStartRe.FindStringSubmatchIndex(s); m != nil {
		s = s[:m[4]] + `\` + s[m[4]:]
	} else if s != "" && strings.ContainsRune("-+=", rune(s[0])) {
		s = `\` + s
	}
	return s
}
