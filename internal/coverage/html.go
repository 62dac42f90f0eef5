package coverage

import (
	"bytes"
	htmltemplate "html/template"

	"github.com/policypack/policypack/internal/html"
)

// pageCSS adds the matrix's own styles to the policy pages' stylesheet.
const pageCSS = `
body.coverage { max-width: 64rem; }
.counts { font-size: 1.05rem; }
.counts .bad { color: #9b1c1c; font-weight: 600; }
td.status { white-space: nowrap; font-weight: 600; }
tr.covered td.status { color: #1e6b35; }
tr.uncovered td { background: #fdecec; }
tr.uncovered td.status { color: #9b1c1c; }
td.req code { white-space: nowrap; }
td.req .where { color: var(--muted); font-size: .85rem; display: block; }
td ul { margin: 0; padding-left: 1.1rem; }
p.note { color: var(--muted); font-size: .9rem; }
`

var page = htmltemplate.Must(htmltemplate.New("coverage").Parse(`<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="policypack">
<meta name="author" content="{{.R.School.Name}}">
<title>Statutory coverage – {{.R.School.Name}}</title>
<style>{{.CSS}}</style>
</head>
<body class="coverage">
<header class="running">{{.R.School.Name}} · Statutory coverage</header>
<main>
<h1>Statutory coverage</h1>
<p><strong>{{.R.School.Name}}</strong>{{range $i, $p := .R.Policies}}{{if $i}},{{end}} · <a href="{{$p.ID}}.html">{{$p.Title}}</a>{{end}}</p>
<p class="counts">{{.R.Summary.Applicable}} requirements apply to this school ({{.R.School.Phase}}; {{range $i, $k := .R.School.KeyStages}}{{if $i}}, {{end}}{{$k}}{{end}}):
{{.R.Summary.Covered}} covered, {{if .R.Summary.Uncovered}}<span class="bad">{{.R.Summary.Uncovered}} uncovered</span>{{else}}none uncovered{{end}}.</p>
{{- with .R.Uncovered}}
<h2 id="uncovered">Uncovered</h2>
<ul>{{range .}}<li><a href="#req-{{.ID}}"><code>{{.ID}}</code></a>: {{.Summary}}</li>{{end}}</ul>
{{- end}}
<p class="note">This report checks that the policy, as built for this school after its own changes, addresses each requirement. It does not check that the school does what the policy says.</p>
{{- range .Groups}}
<h2 id="source-{{.Source.ID}}">{{.Source.Title}}</h2>
<p class="note">{{.Source.Publisher}} · {{.Source.Version}} · {{.Source.Status}} · in force {{.Source.InForce}} · <a class="url" href="{{.Source.URL}}">{{.Source.URL}}</a></p>
<table>
<thead><tr><th scope="col">Requirement</th><th scope="col">Status</th><th scope="col">Met by, or why not</th></tr></thead>
<tbody>
{{- range .Rows}}
<tr id="req-{{.ID}}" class="{{.Status}}">
<td class="req"><code>{{.ID}}</code><br>{{.Summary}}<span class="where">{{.SourceSection}}{{if .AppliesWhen}} · applies when {{.AppliesWhen}}{{end}}</span></td>
<td class="status">{{if eq .Status "covered"}}Covered{{else}}Uncovered{{end}}</td>
<td>{{if .CoveredBy}}<ul>{{range .CoveredBy}}<li><a href="{{.Policy}}.html#{{.ID}}">{{if .Number}}{{.Number}} {{end}}{{.Title}}</a></li>{{end}}</ul>{{else}}<ul>{{range .Reasons}}<li>{{.Message}}</li>{{end}}</ul>{{end}}</td>
</tr>
{{- end}}
</tbody>
</table>
{{- end}}
</main>
</body>
</html>
`))

type group struct {
	Source SourceInfo
	Rows   []RequirementRow
}

// HTML renders the report as one standalone page (no external requests:
// styles are inline, links to sources are plain anchors). The build writes it
// as dist/<school-id>/coverage.html, beside the policy pages its section
// links point to.
func HTML(r *Report) []byte {
	var groups []group
	for _, src := range r.Sources {
		g := group{Source: src}
		for _, row := range r.Requirements {
			if row.Source == src.ID {
				g.Rows = append(g.Rows, row)
			}
		}
		groups = append(groups, g)
	}
	var b bytes.Buffer
	err := page.Execute(&b, map[string]any{
		"R": r, "Groups": groups,
		"CSS": htmltemplate.CSS(html.CSS() + pageCSS),
	})
	if err != nil {
		// The template is fixed and its data plain values: an error here is
		// a bug in this package, not bad input.
		panic("coverage: rendering HTML: " + err.Error())
	}
	return b.Bytes()
}
