package serve

import (
	"errors"
	"html/template"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/policypack/policypack/internal/config"
)

// Problem is one error as the page shows it.
type Problem struct {
	File string
	Line int
	Key  string
	Msg  string
	Hint string
}

// Problems flattens an error (joined errors, config.Errors) into the
// problems it reports, each with as much location as it carries.
func Problems(err error) []Problem {
	var out []Problem
	var walk func(error)
	walk = func(err error) {
		if err == nil {
			return
		}
		// A joined error (config.Errors among them) is walked first: errors.As
		// on the whole would find one located error and drop its siblings.
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var ce *config.Error
		var ces config.Errors
		switch {
		case errors.As(err, &ces):
			for _, e := range ces {
				out = append(out, Problem{e.File, e.Line, e.Key, e.Msg, e.Hint})
			}
			return
		case errors.As(err, &ce):
			out = append(out, Problem{ce.File, ce.Line, ce.Key, ce.Msg, ce.Hint})
			return
		}
		for _, part := range splitMessages(err.Error()) {
			out = append(out, parseMessage(part))
		}
	}
	walk(err)
	return out
}

// splitMessages splits a multi-problem message at lines that start a new
// problem (not the indented hint lines).
func splitMessages(msg string) []string {
	var parts []string
	for _, ln := range strings.Split(msg, "\n") {
		if len(parts) > 0 && (strings.HasPrefix(ln, "\t") || strings.HasPrefix(ln, " ")) {
			parts[len(parts)-1] += "\n" + ln
			continue
		}
		if strings.TrimSpace(ln) != "" {
			parts = append(parts, ln)
		}
	}
	return parts
}

// located matches "file:line: rest" and "file:line:col: rest"; template
// errors put the file's name first too.
var located = regexp.MustCompile(`^([^\s:]+(?: \(built-in\))?):(\d+)(?::\d+)?: (.*)$`)

// templated matches compose's template errors: "<file>: template:
// <name>:<line>[:<col>]: <message>".
var templated = regexp.MustCompile(`^(\S+(?: \(built-in\))?): template: [^:]+:(\d+)(?::\d+)?: (.*)$`)

// composed matches compose's template errors: "<school file>: <template
// file>:<line>[:<col>][ (built-in)]: <message>"; the template is what to fix.
var composed = regexp.MustCompile(`^\S+\.toml: (\S+\.tmpl):(\d+)(?::\d+)?( \(built-in\))?: (.*)$`)
var keyed = regexp.MustCompile(`^([a-z0-9_.-]+): (.*)$`)

func parseMessage(s string) Problem {
	var p Problem
	first, rest, _ := strings.Cut(s, "\n")
	if m := composed.FindStringSubmatch(first); m != nil {
		p.File, first = m[1]+m[3], m[4]
		p.Line, _ = strconv.Atoi(m[2])
	} else if m := templated.FindStringSubmatch(first); m != nil {
		p.File, first = m[1], m[3]
		p.Line, _ = strconv.Atoi(m[2])
	} else if m := located.FindStringSubmatch(first); m != nil {
		p.File, first = m[1], m[3]
		p.Line, _ = strconv.Atoi(m[2])
	}
	if m := keyed.FindStringSubmatch(first); m != nil && strings.Contains(m[1], ".") {
		p.Key, first = m[1], m[2]
	}
	p.Msg = first
	for _, ln := range strings.Split(rest, "\n") {
		ln = strings.TrimSpace(ln)
		if h, ok := strings.CutPrefix(ln, "hint: "); ok {
			p.Hint = h
		} else if ln != "" {
			p.Msg += "\n" + ln
		}
	}
	return p
}

var errorTmpl = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>policypack: error</title>
<style>
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; background: #fff5f4; color: #1b1b1b; }
main { max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { color: #8f1d14; font-size: 1.5rem; }
.problem { background: #fff; border: 1px solid #f1b5ae; border-left: 6px solid #b42318; border-radius: 4px; padding: .8rem 1rem; margin: 1rem 0; }
.where { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .95rem; color: #5c1a12; }
.key { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; background: #fdecea; padding: 0 .3rem; border-radius: 3px; }
.msg { white-space: pre-wrap; margin: .3rem 0; font-weight: 600; }
.hint { margin: .3rem 0 0; color: #1d4f91; }
footer { color: #555; font-size: .9rem; }
</style>
</head>
<body>
<main id="policypack-error">
<h1>The preview cannot be built</h1>
<p>Fix the {{if eq (len .) 1}}problem{{else}}{{len .}} problems{{end}} below and save: this page reloads by itself.</p>
{{range .}}<section class="problem">
{{if .File}}<div class="where"><span class="file">{{.File}}</span>{{if .Line}}:<span class="line">{{.Line}}</span>{{end}}</div>{{end}}
{{if .Key}}<div>Key: <span class="key">{{.Key}}</span></div>{{end}}
<p class="msg">{{.Msg}}</p>
{{if .Hint}}<p class="hint">Hint: {{.Hint}}</p>{{end}}
</section>
{{end}}
<footer>The server keeps running; the last error is also printed in the terminal.</footer>
</main>
</body>
</html>
`))

// errorPage shows the error in the browser, as Hugo does, with the reload
// script so that fixing the file clears it.
func (s *Server) errorPage(w http.ResponseWriter, v int64, err error) {
	var b strings.Builder
	if terr := errorTmpl.Execute(&b, Problems(err)); terr != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.html(w, http.StatusInternalServerError, v, []byte(b.String()))
}

// problemsBox is the dashboard's list of the schools that fail, each with
// its problems, in the error page's terms.
var problemsBox = template.Must(template.New("box").Parse(`<section id="policypack-problems" role="alert" style="font: 16px/1.5 system-ui, sans-serif; background: #fff5f4; border: 1px solid #f1b5ae; border-left: 6px solid #b42318; margin: 1rem; padding: .5rem 1rem;">
<h2 style="color: #8f1d14; font-size: 1.2rem;">{{len .}} school(s) cannot be previewed until fixed; the others are below</h2>
{{range .}}<h3>{{.ID}}</h3>
{{range .Problems}}<p><code>{{.File}}{{if .Line}}:{{.Line}}{{end}}</code>{{if .Key}} <code>{{.Key}}</code>{{end}}: <strong style="white-space: pre-wrap;">{{.Msg}}</strong>{{if .Hint}}<br><span style="color: #1d4f91;">hint: {{.Hint}}</span>{{end}}</p>
{{end}}{{end}}</section>
`))

// withProblems puts the failing schools' problems at the top of page's body.
func withProblems(page []byte, failed map[string]error) []byte {
	if len(failed) == 0 {
		return page
	}
	type school struct {
		ID       string
		Problems []Problem
	}
	var list []school
	for _, id := range slices.Sorted(maps.Keys(failed)) {
		list = append(list, school{id, Problems(failed[id])})
	}
	var b strings.Builder
	if err := problemsBox.Execute(&b, list); err != nil {
		return page
	}
	s := string(page)
	i := strings.Index(s, "<body")
	if i < 0 {
		return []byte(b.String() + s)
	}
	j := strings.Index(s[i:], ">")
	if j < 0 {
		return page
	}
	at := i + j + 1
	return []byte(s[:at] + "\n" + b.String() + s[at:])
}
