package dashboard

import (
	"bytes"
	htmltemplate "html/template"
	"slices"
	"strings"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/html"
	"github.com/policypack/policypack/internal/manifest"
	"github.com/policypack/policypack/internal/review"
)

// SchoolPageID is the document id of a school's page, the report written
// to dist/<school>/index.html; the dashboard links a school's name to it.
const SchoolPageID = "index"

// PackKind is the manifest kind of a school's bound pack (pack.pdf).
const PackKind = "pack"

// schoolDoc is one document of the school page: a policy or a form, with
// its files and its policy's review record.
type schoolDoc struct {
	Title, Kind  string
	Links        []link
	Version      string
	ApprovedBy   string
	ApprovedOn   string
	LastReviewed string
	NextReview   string
	State, Label string
	Form         bool
	// Draft: no approval recorded; the Approved column says who will
	// approve it, never who has.
	Draft bool
}

// draft reports whether a policy has no approval recorded, as compose's
// state does: neither an approval nor a review date.
func draft(p manifest.Policy) bool { return p.ApprovedOn == "" && p.LastReviewed == "" }

type schoolPage struct {
	CSS      htmltemplate.CSS
	Name, ID string
	AsOf     string
	Window   int
	Docs     []schoolDoc
	Pack     []link
	Reports  []doc
}

// SchoolPage returns a school's own page, dist/<school>/index.html: each
// policy and form in every format, with the policy's version, approval,
// last and next review and review state, then the school's bound pack and
// its reports. m gives the as-of date and review window; files are the
// school's files as the manifest lists them (the page itself among them or
// not). Links are relative to the school's folder, so the page works from
// disk and on any static host, like the dashboard.
func SchoolPage(m *manifest.Manifest, s manifest.School, files []manifest.File) ([]byte, error) {
	p := schoolPage{CSS: htmltemplate.CSS(html.CSS() + css + schoolCSS), Name: s.Name, ID: s.ID, Window: m.DueSoonDays}
	p.AsOf = m.AsOf
	if d, err := config.ParseDate(m.AsOf); err == nil {
		p.AsOf = d.String()
	}
	rel := func(path string) string { return strings.TrimPrefix(path, s.ID+"/") }
	date := func(iso string) string {
		if d, err := config.ParseDate(iso); err == nil {
			return d.String()
		}
		return ""
	}
	for _, pol := range s.Policies {
		for _, id := range policyDocs(files, pol.ID) {
			d := schoolDoc{Version: pol.Version, ApprovedBy: pol.ApprovedBy, ApprovedOn: date(pol.ApprovedOn),
				LastReviewed: date(pol.LastReviewed), NextReview: date(pol.NextReview), State: pol.Review,
				Label: review.Status{State: review.State(pol.Review), Days: pol.Days}.Label(), Draft: draft(pol)}
			if d.Draft {
				// A draft is first of all a draft: its review date, if
				// one was carried over, is news only once it has passed.
				d.State, d.Label = "draft", "draft"
				if pol.Review == string(review.Overdue) {
					d.Label += "; review " + review.Status{State: review.Overdue, Days: pol.Days}.Label()
				}
			}
			for _, f := range sortFormats(files, func(f manifest.File) bool { return f.Policy == pol.ID && f.Document == id && f.Kind != "report" }) {
				d.Title, d.Kind, d.Form = f.Title, f.Kind, f.Kind == "form"
				d.Links = append(d.Links, link{strings.ToUpper(f.Format), rel(f.Path)})
			}
			if d.Form {
				// A form carries its policy's version and approval, never
				// a review: it goes to parents, pupils and staff to sign.
				d.LastReviewed, d.NextReview, d.State, d.Label = "", "", "", "—"
				if d.Draft {
					d.State, d.Label = "draft", "draft"
				}
			}
			p.Docs = append(p.Docs, d)
		}
	}
	for _, f := range sortFormats(files, func(f manifest.File) bool { return f.Kind == PackKind }) {
		p.Pack = append(p.Pack, link{strings.ToUpper(f.Format), rel(f.Path)})
	}
	var reps []string
	for _, f := range files {
		if f.Kind == "report" && f.Document != SchoolPageID && !slices.Contains(reps, f.Document) {
			reps = append(reps, f.Document)
		}
	}
	slices.Sort(reps)
	for _, id := range reps {
		var d doc
		for _, f := range sortFormats(files, func(f manifest.File) bool { return f.Kind == "report" && f.Document == id }) {
			d.Title = f.Title
			d.Links = append(d.Links, link{strings.ToUpper(f.Format), rel(f.Path)})
		}
		p.Reports = append(p.Reports, d)
	}
	var buf bytes.Buffer
	if err := schoolTmpl.Execute(&buf, p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

const schoolCSS = `
#documents th, #documents td:nth-child(n+3) { white-space: nowrap; }
#documents tr.form td:first-child { padding-left: 1.5rem; }
ul.files { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .2rem .8rem; }
ul.files li { margin: 0; }
.state-draft { background: var(--warn-bg); color: var(--warn); font-weight: 700; }
`

var schoolTmpl = htmltemplate.Must(htmltemplate.New("school").Parse(`<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Name}}: policies</title>
<style>{{.CSS}}</style>
</head>
<body>
<main>
<p><a href="../index.html">All schools</a></p>
<h1>{{.Name}}</h1>
<p>Policies and forms, with their review status as of <strong>{{.AsOf}}</strong>. “Due soon” means within {{.Window}} days.</p>
{{- if .Pack}}
<h2 id="pack">Policy pack</h2>
<p>Every policy and its appendices, then the forms, in one file with one contents list and continuous page numbers: {{range .Pack}}<a href="{{.Href}}" aria-label="{{.Label}}: policy pack">{{.Label}}</a> {{end}}</p>
{{- end}}
<h2 id="policies">Policies and forms</h2>
<table id="documents">
<thead><tr><th scope="col">Document</th><th scope="col">Files</th><th scope="col">Version</th><th scope="col">Approved</th><th scope="col">Last reviewed</th><th scope="col">Next review</th><th scope="col">Status</th></tr></thead>
<tbody>
{{- range .Docs}}
<tr{{with .State}} data-status="{{.}}"{{end}}{{if .Form}} class="form"{{end}}>
<td>{{if .Form}}Form: {{end}}{{.Title}}</td>
<td>{{$title := .Title}}<ul class="files">{{range .Links}}<li><a href="{{.Href}}" aria-label="{{.Label}}: {{$title}}">{{.Label}}</a></li>{{end}}</ul></td>
<td>{{with .Version}}{{.}}{{else}}—{{end}}</td>
<td>{{if .Draft}}not yet approved{{with .ApprovedBy}}<br><small>to be approved by {{.}}</small>{{end}}{{else}}{{with .ApprovedOn}}{{.}}{{else}}—{{end}}{{with .ApprovedBy}}<br><small>by {{.}}</small>{{end}}{{end}}</td>
<td>{{with .LastReviewed}}{{.}}{{else}}—{{end}}</td>
<td>{{with .NextReview}}{{.}}{{else}}—{{end}}</td>
<td>{{if .State}}<span class="state state-{{.State}}">{{.Label}}</span>{{else}}{{.Label}}{{end}}</td>
</tr>
{{- end}}
</tbody>
</table>
{{- if .Reports}}
<h2 id="reports">Reports</h2>
<ul>
{{- range .Reports}}{{$title := .Title}}
<li>{{.Title}}: {{range .Links}}<a href="{{.Href}}" aria-label="{{.Label}}: {{$title}}">{{.Label}}</a> {{end}}</li>
{{- end}}
</ul>
{{- end}}
</main>
</body>
</html>
`))
