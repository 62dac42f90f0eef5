package build

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/dashboard"
	"github.com/policypack/policypack/internal/markdown"
	"github.com/policypack/policypack/internal/pdf"
)

// A school's bound pack (<school>/pack.pdf) is what a governing board
// receives for its annual approval meeting: a cover listing the policies
// with their state and next review, one contents across the pack, every
// policy with its appendices, then the forms, numbered through the file.
// The cover is a document of its own built here from the policies' data
// (their Meta and contents entries), never from their text.

// PackID is the pack's document id and file name (without extension) in a
// school's folder; its manifest kind is "pack".
const PackID = "pack"

// PackTitle is the pack's title, on its cover and in the dashboard.
const PackTitle = "Policy pack"

// packFile names a school's pack, as docFile a document's.
func packFile(s *config.School) RenderedFile {
	return RenderedFile{Path: s.ID + "/" + PackID + ".pdf", School: s.ID, Doc: PackID, Kind: dashboard.PackKind,
		Title: PackTitle, Format: "pdf"}
}

// packOrder is the order of a pack's documents: the policies in the set's
// order, then the forms, each policy's in the order the school prints
// them as appendices (so the pack's forms follow appendices 1, 2, 3),
// forms no appendix prints last.
func packOrder(s *config.School, docs []compose.Output) []int {
	var pol, forms []int
	for i, o := range docs {
		if o.Kind == "policy" {
			pol = append(pol, i)
		} else {
			forms = append(forms, i)
		}
	}
	rank := func(o compose.Output) int {
		if o.Policy == nil {
			return 0
		}
		var order []string
		if s != nil {
			order = s.Policies[o.Policy.ID].AppendixOrder
		}
		for _, a := range o.Policy.Appendices {
			if !slices.Contains(order, a.ID) {
				order = append(order, a.ID)
			}
		}
		for n, id := range order {
			for _, a := range o.Policy.Appendices {
				if a.ID == id && a.Form == o.ID {
					return n
				}
			}
		}
		return len(order)
	}
	slices.SortStableFunc(forms, func(a, b int) int {
		if pa, pb := slices.Index(pol, policyIndex(docs, docs[a])), slices.Index(pol, policyIndex(docs, docs[b])); pa != pb {
			return pa - pb
		}
		return rank(docs[a]) - rank(docs[b])
	})
	return append(pol, forms...)
}

// policyIndex is the index in docs of the policy a document belongs to, or
// -1.
func policyIndex(docs []compose.Output, o compose.Output) int {
	return slices.IndexFunc(docs, func(d compose.Output) bool {
		return d.Kind == "policy" && o.Policy != nil && d.Policy != nil && d.Policy.ID == o.Policy.ID
	})
}

// stateWords says a policy's state on the cover, from its state alone: a
// draft is said to be one, never approved.
func stateWords(st markdown.State) string {
	switch st {
	case markdown.StateApproved:
		return "Approved"
	case markdown.StateDueSoon:
		return "Approved; review due soon"
	case markdown.StateDueToday:
		return "Review due today"
	case markdown.StateOverdue:
		return "Review overdue"
	}
	return "Draft: not approved"
}

// packCover is the pack's cover as a document: its title block (school,
// logo, title), a table of the policies with version, approval, next
// review and state, and the contents entries of every document in the
// pack, in order, which the PDF resolves to pages.
func packCover(docs []compose.Output, parsed []*markdown.Document, order []int) *markdown.Document {
	first := parsed[order[0]].Meta
	m := markdown.Meta{School: first.School, Title: PackTitle, Lang: first.Lang, Creator: first.Creator,
		Logo: first.Logo, LogoType: first.LogoType, Cover: true,
		Subject: "The policies and forms of " + first.School + " in one file"}
	var body bytes.Buffer
	body.WriteString("## Policies in this pack\n\n| Policy | Version | Approved by | Approved on | Next review | State |\n|---|---|---|---|---|---|\n")
	// Only what is recorded is printed (a dash for the rest, never "not
	// recorded"); a draft has no approval or review date of its own yet.
	esc := func(v string) string {
		if v == "" {
			return "—"
		}
		return markdown.Escape(v)
	}
	for _, i := range order {
		o, d := docs[i], parsed[i].Meta
		if d.Created.After(m.Created) {
			m.Created = d.Created
		}
		key := o.Path
		m.Front.Contents = append(m.Front.Contents, markdown.Entry{ID: markdown.PackEntryID(key, ""), Title: d.Title, Level: 1})
		if o.Kind != "policy" {
			continue
		}
		for _, e := range d.Front.Contents {
			if e.Level == 1 {
				e.ID, e.Level = markdown.PackEntryID(key, e.ID), 2
				m.Front.Contents = append(m.Front.Contents, e)
			}
		}
		approvedBy, approvedOn, next := esc(d.ApprovedBy), esc(d.ApprovedOn), esc(d.NextReview)
		if d.State == markdown.StateDraft {
			// A draft names who will approve it, never as its approver.
			approvedOn, next = "—", "—"
			if d.ApprovedBy != "" {
				approvedBy = "to be approved by " + markdown.Escape(d.ApprovedBy)
			}
		}
		fmt.Fprintf(&body, "| %s | %s | %s | %s | %s | %s |\n", markdown.Escape(d.Title), esc(d.Version),
			approvedBy, approvedOn, next, stateWords(d.State))
	}
	m.Front.TitleBlock = []byte("# " + markdown.Escape(PackTitle) + "\n\n**" + markdown.Escape(m.School) + "**\n")
	return markdown.Parse(body.Bytes(), m)
}

// renderPack binds a school's parsed documents (indexed like docs) into
// its pack.
func renderPack(s *config.School, docs []compose.Output, parsed []*markdown.Document) ([]byte, error) {
	order := packOrder(s, docs)
	if len(order) == 0 {
		return nil, fmt.Errorf("%s: no documents for a pack", s.Source.File())
	}
	cover := packCover(docs, parsed, order)
	cp, err := pdf.Prepare(cover, "")
	if err != nil {
		return nil, err
	}
	parts := make([]pdf.Part, 0, len(order))
	for _, i := range order {
		p, err := pdf.Prepare(parsed[i], "")
		if err != nil {
			return nil, err
		}
		parts = append(parts, pdf.Part{Key: docs[i].Path, Doc: p})
	}
	b, err := pdf.NewBook(pdf.BookOptions{Meta: cover.Meta})
	if err != nil {
		return nil, err
	}
	if err := b.Bind(cp, parts); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := b.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// hasPack reports whether formats make a pack: it is a PDF.
func hasPack(formats []string) bool { return slices.Contains(formats, "pdf") }

// schoolPage renders a school's page, dist/<school>/index.html, from what
// the manifest will say of the school and its files (every format the
// session writes, whichever format the caller is rendering now): the
// preview serves the same page a build writes.
func (sess *Session) schoolPage(s *config.School, docs []compose.Output) ([]byte, error) {
	return dashboard.SchoolPage(sess.NewManifest(), sess.ManifestSchool(s), sess.PlanFiles(s, docs, sess.Formats))
}
