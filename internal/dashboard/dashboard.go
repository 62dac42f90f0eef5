// Package dashboard renders dist/index.html, the trust's overview of every
// school's policies: version, next review and review state, with links to
// each file, filterable by text and by review state. It is drawn from the
// manifest alone, so a merged shard manifest gives the same page as a whole
// build. The page is one self-contained file: inline CSS and a little
// inline JavaScript, relative links, no external requests, so it works
// opened from disk and on any static host (and without JavaScript, unfiltered).
package dashboard

import (
	"bytes"
	"cmp"
	"fmt"
	htmltemplate "html/template"
	"slices"
	"strings"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/html"
	"github.com/policypack/policypack/internal/manifest"
	"github.com/policypack/policypack/internal/review"
)

// formatOrder is the order links are shown in; other formats follow
// alphabetically.
var formatOrder = []string{"html", "pdf", "docx", "md"}

// stateDraft is the dashboard's state of a policy with no approval
// recorded (draft): whatever its review date says, it is a draft first.
const stateDraft = "draft"

// stateLabels names each state, in the filter's order, which is also the
// order of "most urgent first": what needs the trust officer soonest, then
// what has never been approved, then what is approved.
var stateLabels = []struct{ State, Label string }{
	{string(review.Overdue), "Overdue"},
	{string(review.Due), "Due today"},
	{string(review.DueSoon), "Due soon"},
	{stateDraft, "Draft (not yet approved)"},
	{string(review.Unknown), "Approved, no next review date"},
	{string(review.OK), "Approved, review not yet due"},
}

// rank is a state's place in the "most urgent first" order.
func rank(state string) int {
	for i, sl := range stateLabels {
		if sl.State == state {
			return i
		}
	}
	return len(stateLabels)
}

// state is a policy's state and its label on the dashboard. A draft (the
// school page's draft rule) reads as one even when an old review date
// exists, and says so when that date has passed; an approved policy reads
// as its review position.
func state(pol manifest.Policy) (string, string) {
	if draft(pol) {
		label := "draft"
		if pol.Review == string(review.Overdue) || pol.Review == string(review.Due) {
			switch {
			case pol.Days == -1:
				label += "; review date passed 1 day ago"
			case pol.Days < 0:
				label += fmt.Sprintf("; review date passed %d days ago", -pol.Days)
			default:
				label += "; review date is today"
			}
		}
		return stateDraft, label
	}
	switch pol.Review {
	case string(review.Unknown), "":
		return string(review.Unknown), "approved; no next review date"
	case string(review.OK):
		return pol.Review, "approved"
	}
	return pol.Review, review.Status{State: review.State(pol.Review), Days: pol.Days}.Label()
}

type link struct{ Label, Href string }

type doc struct {
	Title string
	Links []link
}

type row struct {
	SchoolID, SchoolName     string
	SchoolPage               string // the school's own page, "" for none
	Pack                     []link // the school's bound pack
	PolicyTitle, Version     string
	Approved                 string // who approved it and when, or that it is a draft
	NextReview, State, Label string
	Rank                     int   // the state's place, most urgent first
	First                    bool  // first row of its school
	Forms                    []doc // the policy's forms, shown on demand
	Docs                     []doc
	Reports                  [][]link // one cell per report column
	Uncovered                int      // the school's statutory requirements no section meets
	Deviations               int      // sections of this policy where the school departs from the shared text
	CoverageHref             string   // its coverage report, "" for none
	Text                     string   // what the text filter searches
}

type count struct {
	State, Label string
	N            int
}

type page struct {
	CSS     htmltemplate.CSS
	AsOf    string
	Window  int
	Schools int
	Rows    []row
	Columns []string // report column headers
	Counts  []count
	States  []struct{ State, Label string }
}

// Render returns the dashboard page for m.
func Render(m *manifest.Manifest) ([]byte, error) {
	p := page{CSS: htmltemplate.CSS(html.CSS() + css + dashCSS), Window: m.DueSoonDays, Schools: len(m.Schools), States: stateLabels}
	p.AsOf = m.AsOf
	if d, err := config.ParseDate(m.AsOf); err == nil {
		p.AsOf = d.String()
	}

	// Report columns: every report id any school has, by id.
	type col struct{ id, title string }
	var cols []col
	for _, f := range m.Files {
		if f.Kind == "report" && f.Document != SchoolPageID && !slices.ContainsFunc(cols, func(c col) bool { return c.id == f.Document }) {
			cols = append(cols, col{f.Document, f.Title})
		}
	}
	slices.SortFunc(cols, func(a, b col) int { return cmp.Compare(a.id, b.id) })
	for _, c := range cols {
		p.Columns = append(p.Columns, c.title)
	}

	bySchool := map[string][]manifest.File{}
	for _, f := range m.Files {
		bySchool[f.School] = append(bySchool[f.School], f)
	}
	counts := map[string]int{}
	for _, s := range m.Schools {
		files := bySchool[s.ID]
		var reports [][]link
		for _, c := range cols {
			var cell []link
			for _, f := range sortFormats(files, func(f manifest.File) bool { return f.Kind == "report" && f.Document == c.id }) {
				cell = append(cell, link{strings.ToUpper(f.Format), f.Path})
			}
			reports = append(reports, cell)
		}
		var page string
		for _, f := range files {
			if f.Kind == "report" && f.Document == SchoolPageID && f.Format == "html" {
				page = f.Path
			}
		}
		var pack []link
		for _, f := range sortFormats(files, func(f manifest.File) bool { return f.Kind == PackKind }) {
			label := "Pack"
			if f.Format != "pdf" {
				label += " " + strings.ToUpper(f.Format)
			}
			pack = append(pack, link{label, f.Path})
		}
		policies := s.Policies
		if len(policies) == 0 {
			policies = []manifest.Policy{{Review: string(review.Unknown)}}
		}
		for i, pol := range policies {
			r := row{SchoolID: s.ID, SchoolName: s.Name, PolicyTitle: pol.Title, Version: pol.Version,
				State: pol.Review, First: i == 0, Reports: reports, SchoolPage: page, Pack: pack, Uncovered: s.Uncovered, Deviations: pol.Deviations}
			for _, f := range files {
				if f.Kind == "report" && f.Document == "coverage" && f.Format == "html" {
					r.CoverageHref = f.Path
				}
			}
			r.NextReview = shortDate(pol.NextReview)
			r.State, r.Label = state(pol)
			r.Approved = approved(pol)
			if len(s.Policies) == 0 {
				// Nothing built, so nothing approved or drafted to state.
				r.State, r.Label, r.Approved = string(review.Unknown), "no policies built", ""
			}
			r.Rank = rank(r.State)
			counts[r.State]++
			// The policy first, then its forms, each with its formats.
			for _, d := range policyDocs(files, pol.ID) {
				var dc doc
				for _, f := range sortFormats(files, func(f manifest.File) bool { return f.Policy == pol.ID && f.Document == d && f.Kind != "report" }) {
					dc.Title = f.Title
					dc.Links = append(dc.Links, link{strings.ToUpper(f.Format), f.Path})
				}
				if d == pol.ID {
					r.Docs = append(r.Docs, dc)
				} else {
					r.Forms = append(r.Forms, dc)
				}
			}
			r.Text = strings.ToLower(strings.Join([]string{s.Name, s.ID, pol.Title, pol.ID, pol.Version}, " "))
			p.Rows = append(p.Rows, r)
		}
	}
	for _, sl := range stateLabels {
		if counts[sl.State] > 0 {
			p.Counts = append(p.Counts, count{sl.State, sl.Label, counts[sl.State]})
		}
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// approved is a policy's approval as the dashboard states it: by whom and
// when as recorded, or, for a draft, that it is not yet and by whom it will
// be. It never claims more than the manifest records: an approval known
// only from a review date says so, and nothing known is an empty cell.
func approved(pol manifest.Policy) string {
	on := shortDate(pol.ApprovedOn)
	switch {
	case draft(pol) && pol.ApprovedBy != "":
		return "not yet; to be approved by " + pol.ApprovedBy
	case draft(pol):
		return "not yet"
	case on == "" && shortDate(pol.LastReviewed) != "":
		return "last reviewed " + shortDate(pol.LastReviewed)
	case on == "":
		return ""
	case pol.ApprovedBy == "":
		return on
	default:
		// The date first: a cell cut short on screen loses the approver.
		return on + ", " + pol.ApprovedBy
	}
}

// shortDate is an ISO date as the dashboard's table prints it, "15 Sep
// 2026": the long form would cost each row a second line. "" for none.
func shortDate(iso string) string {
	if d, err := config.ParseDate(iso); err == nil {
		return d.Time().Format("2 Jan 2006")
	}
	return ""
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sortFormats returns the files that match keep, in formatOrder.
func sortFormats(files []manifest.File, keep func(manifest.File) bool) []manifest.File {
	var out []manifest.File
	for _, f := range files {
		if keep(f) {
			out = append(out, f)
		}
	}
	rank := func(f string) int {
		if i := slices.Index(formatOrder, f); i >= 0 {
			return i
		}
		return len(formatOrder)
	}
	slices.SortFunc(out, func(a, b manifest.File) int {
		return cmp.Or(cmp.Compare(rank(a.Format), rank(b.Format)), cmp.Compare(a.Format, b.Format), cmp.Compare(a.Path, b.Path))
	})
	return out
}

const css = `
body { max-width: 80rem; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: end; margin: 1rem 0; }
.filters label { display: flex; flex-direction: column; font-weight: 600; font-size: .9rem; }
.filters input, .filters select { font: inherit; padding: .25rem .4rem; min-width: 16rem; }
.summary { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4rem 1rem; }
td.school { font-weight: 600; }
td.school small { display: block; font-weight: normal; color: var(--muted); }
td.school small.gaps, td.school small.gaps a { color: #8f1d14; font-weight: 600; }
tr.next-school td { border-top: 2px solid var(--muted); }
.state { display: inline-block; padding: 0 .45rem; border-radius: .6rem; font-size: .85rem; white-space: nowrap; }
#policies th { white-space: nowrap; }
#policies td:nth-child(5) { white-space: nowrap; }
/* Compact, so a trust of fifty schools reads on a few screens. */
body { max-width: 100rem; }
#policies th, #policies td { padding: .2rem .4rem; font-size: .85rem; }
@media print {
  .filters, #count, #empty { display: none; }
  body { max-width: none; margin: 0; }
  #policies a { color: inherit; text-decoration: none; }
  #policies tr { break-inside: avoid; }
}
.state-overdue { background: #fde2e1; color: #8b1a12; font-weight: 700; }
.state-due { background: #fde2e1; color: #8b1a12; }
.state-due-soon { background: var(--warn-bg); color: var(--warn); }
.state-ok { background: #e3f4e8; color: #1e5b2e; }
.state-unknown { background: #eee; color: var(--muted); }
ul.docs { list-style: none; padding: 0; margin: 0; }
ul.docs li { margin: 0 0 .2rem; }
ul.docs a, td.report a { margin-right: .35rem; font-size: .9rem; }
#empty { font-style: italic; }
`

// dashCSS is the dashboard's own layout, after the css it shares with the
// school page: one line per policy, so fifty schools fit on under three
// screens of a 1366x768 laptop, and A4 landscape on paper.
const dashCSS = `
.filters input, .filters select { max-width: 24rem; }
td.gaps, td.gaps a { color: #8f1d14; font-weight: 700; }
td.num { text-align: right; }
/* A long name or approver is cut short on screen (in full on hover, to a
   screen reader and in print) so each policy keeps to one line. */
.clip { display: inline-block; vertical-align: bottom; max-width: 12rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
td.approved .clip { max-width: 10rem; }
#policies.by-state tr.next-school td { border-top: none; }
details.forms { display: inline; }
details.forms summary { display: inline; cursor: pointer; }
details.forms[open] ul.docs { margin-top: .2rem; }
#policies th { vertical-align: bottom; white-space: normal; }
/* Words whole: a column narrows by wrapping between words, never inside one. */
#policies { overflow-wrap: normal; }
h1 { margin-bottom: .2rem; }
.summary, .filters, #count { margin: .4rem 0; }
body { padding: 0 .75rem; }
#policies th, #policies td { padding: .2rem .3rem; font-size: .78rem; line-height: 1.35; }
#policies td { white-space: nowrap; }
#policies td a { font-size: inherit; margin-right: .25rem; }
#policies .state { line-height: 1.35; font-size: inherit; padding: 0 .35rem; }
.state-draft { background: var(--warn-bg); color: var(--warn); font-weight: 700; }
@page { size: A4 landscape; margin: 1cm; }
@media print {
  details.forms { display: none; }
  #policies { width: 100%; }
  #policies td { white-space: normal; }
  .clip { display: inline; max-width: none; white-space: normal; }
  /* Links are no use on paper: the page keeps the facts. */
  #policies .files, #policies .report { display: none; }
}
`

var tmpl = htmltemplate.Must(htmltemplate.New("dashboard").Parse(`<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Policy packs: review dashboard</title>
<style>{{.CSS}}</style>
</head>
<body>
<main>
<h1>Policy packs</h1>
<p>Review status as of <strong>{{.AsOf}}</strong> for {{.Schools}} school(s). “Due soon” means within {{.Window}} days.</p>
<ul class="summary" aria-label="Policies by review status">
{{- range .Counts}}
<li><span class="state state-{{.State}}">{{.Label}}</span> {{.N}}</li>
{{- end}}
</ul>
<form class="filters" role="search" onsubmit="return false">
<label for="filter">Search schools and policies <input type="search" id="filter" autocomplete="off" placeholder="e.g. infant"></label>
<label for="status">Review status <select id="status">
<option value="">Any</option>
{{- range .States}}
<option value="{{.State}}">{{.Label}}</option>
{{- end}}
</select></label>
<label for="sort">Order <select id="sort">
<option value="school">By school</option>
<option value="state">Most urgent first (overdue, due soon, draft, approved)</option>
</select></label>
</form>
<p id="count" role="status" aria-live="polite">{{len .Rows}} policies</p>
<table id="policies">
<thead><tr><th scope="col" id="th-school" aria-sort="ascending">School</th><th scope="col">Policy</th><th scope="col">Version</th><th scope="col">Approved</th><th scope="col">Next review</th><th scope="col" id="th-status">Status</th><th scope="col" class="files">Files</th>{{range .Columns}}<th scope="col" class="report">{{.}}</th>{{end}}<th scope="col">Uncovered</th><th scope="col">Deviations</th></tr></thead>
<tbody>
{{- range .Rows}}
<tr data-school="{{.SchoolID}}" data-status="{{.State}}" data-rank="{{.Rank}}" data-text="{{.Text}}"{{if .First}} class="next-school"{{end}}>
<td class="school">{{if .SchoolPage}}<a class="clip" href="{{.SchoolPage}}" title="{{.SchoolName}}">{{.SchoolName}}</a>{{else}}<span class="clip" title="{{.SchoolName}}">{{.SchoolName}}</span>{{end}}</td>
<td>{{.PolicyTitle}}</td>
<td>{{with .Version}}{{.}}{{else}}—{{end}}</td>
<td class="approved">{{with .Approved}}<span class="clip" title="{{.}}">{{.}}</span>{{end}}</td>
<td>{{.NextReview}}</td>
<td><span class="state state-{{.State}}">{{.Label}}</span></td>
<td class="files">{{range .Docs}}{{$title := .Title}}{{range .Links}}<a href="{{.Href}}" aria-label="{{.Label}}: {{$title}}">{{.Label}}</a>{{end}}{{end}}{{if .First}}{{range .Pack}}<a href="{{.Href}}" aria-label="{{.Label}} (the school's whole policy pack)">{{.Label}}</a>{{end}}{{end}}{{if .Forms}}<details class="forms"><summary>{{len .Forms}} form{{if ne (len .Forms) 1}}s{{end}}</summary><ul class="docs">{{range .Forms}}{{$title := .Title}}<li>{{.Title}}: {{range .Links}}<a href="{{.Href}}" aria-label="{{.Label}}: {{$title}}">{{.Label}}</a>{{end}}</li>{{end}}</ul></details>{{end}}</td>
{{- range .Reports}}
<td class="report">{{range .}}<a href="{{.Href}}">{{.Label}}</a>{{end}}</td>
{{- end}}
<td class="num{{if .Uncovered}} gaps{{end}}">{{if and .Uncovered .CoverageHref}}<a href="{{.CoverageHref}}" aria-label="{{.Uncovered}} uncovered: coverage report">{{.Uncovered}}</a>{{else}}{{.Uncovered}}{{end}}</td>
<td class="num">{{.Deviations}}</td>
</tr>
{{- end}}
</tbody>
</table>
<p id="empty" hidden>No policies match the filter.</p>
</main>
<script>
(function () {
  var q = document.getElementById("filter"), st = document.getElementById("status"), so = document.getElementById("sort");
  var table = document.getElementById("policies"), body = table.tBodies[0];
  var count = document.getElementById("count"), empty = document.getElementById("empty");
  var rows = Array.prototype.slice.call(body.rows);
  rows.forEach(function (r, i) { r.setAttribute("data-order", i); });
  // Most urgent first keeps the schools' order within a state; by school is
  // the order the page was written in.
  function sort() {
    var byState = so.value === "state", key = function (r) {
      return (byState ? +r.getAttribute("data-rank") * 100000 : 0) + +r.getAttribute("data-order");
    };
    rows.slice().sort(function (a, b) { return key(a) - key(b); }).forEach(function (r) { body.appendChild(r); });
    table.classList.toggle("by-state", byState);
    document.getElementById("th-school").setAttribute("aria-sort", byState ? "none" : "ascending");
    document.getElementById("th-status").setAttribute("aria-sort", byState ? "ascending" : "none");
  }
  function apply() {
    var text = q.value.trim().toLowerCase(), state = st.value, n = 0;
    rows.forEach(function (r) {
      var show = (!text || r.getAttribute("data-text").indexOf(text) >= 0) &&
        (!state || r.getAttribute("data-status") === state);
      r.hidden = !show;
      if (show) n++;
    });
    count.textContent = "Showing " + n + " of " + rows.length + " policies";
    empty.hidden = n > 0;
  }
  q.addEventListener("input", apply);
  st.addEventListener("change", apply);
  so.addEventListener("change", sort);
  sort();
  apply();
})();
</script>
</body>
</html>
`))

// policyDocs lists the documents a school's files hold for one policy: the
// policy first, then its forms by id (the dashboard and the school page
// list them in this order).
func policyDocs(files []manifest.File, policy string) []string {
	var docs []string
	for _, f := range files {
		if f.Policy == policy && f.Kind != "report" && !slices.Contains(docs, f.Document) {
			docs = append(docs, f.Document)
		}
	}
	slices.SortStableFunc(docs, func(a, b string) int {
		return cmp.Or(-cmp.Compare(boolInt(a == policy), boolInt(b == policy)), cmp.Compare(a, b))
	})
	return docs
}
