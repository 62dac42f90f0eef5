package pdf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/markdown"
)

const policyLinkPara = "\n\nRead with our [Acceptable Use Policy](policy:acceptable-use).\n"

// TestPolicyLinkOwnFile: in a policy's own PDF a link to another policy is
// a URI action with the relative address of that policy's PDF (fpdf writes
// no GoToR action; viewers resolve a relative URI against the file); from
// a form, one folder up; with no place beside the policies, plain text.
func TestPolicyLinkOwnFile(t *testing.T) {
	for _, tt := range []struct{ path, uri string }{
		{"online-safety", "acceptable-use.pdf"},
		{"forms/parent-agreement", "../acceptable-use.pdf"},
		{"", ""},
	} {
		m := testMeta(false)
		m.Path = tt.path
		b, err := Render(markdown.Parse([]byte("# Title"+policyLinkPara+"[bad](policy:Bad) and [js](javascript:x)\n"), m))
		if err != nil {
			t.Fatal(err)
		}
		uris := annotations(t, b, "/URI")
		if tt.uri == "" {
			if len(uris) != 0 {
				t.Errorf("path %q: links %v, want plain text", tt.path, uris)
			}
			continue
		}
		if len(uris) != 1 || uris[0] != tt.uri {
			t.Errorf("path %q: URI links %v, want [%s]", tt.path, uris, tt.uri)
		}
	}
}

// annotations lists the value of key in every link annotation's action.
func annotations(t *testing.T, pdf []byte, key string) []string {
	t.Helper()
	var out []string
	for _, a := range linkAnnots(t, pdf) {
		if act, ok := a["/A"].(map[string]any); ok {
			if v, ok := act[key].(string); ok {
				out = append(out, strings.TrimPrefix(v, "u:"))
			}
		}
	}
	return out
}

type annot = map[string]any

// linkAnnots returns every page's annotations, with "page" set to the
// page's position from 1, and "destpage" to the position of the page a
// /Dest names.
func linkAnnots(t *testing.T, pdf []byte) []annot {
	t.Helper()
	var js struct {
		Pages []struct {
			Object string `json:"object"`
		} `json:"pages"`
		QPDF []json.RawMessage `json:"qpdf"` // a header, then the objects
	}
	if err := json.Unmarshal([]byte(run(t, "qpdf", "--json", "--json-key=pages", "--json-key=qpdf", writeTemp(t, pdf))), &js); err != nil {
		t.Fatal(err)
	}
	var objs map[string]struct {
		Value map[string]any `json:"value"`
	}
	if len(js.QPDF) != 2 {
		t.Fatalf("qpdf --json: %d parts in qpdf, want 2", len(js.QPDF))
	}
	if err := json.Unmarshal(js.QPDF[1], &objs); err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, p := range js.Pages {
		pos[p.Object] = i + 1
	}
	var out []annot
	for i, p := range js.Pages {
		page := objs["obj:"+p.Object].Value
		list, _ := page["/Annots"].([]any)
		for _, a := range list {
			m, ok := a.(map[string]any)
			if !ok {
				continue
			}
			m["page"] = i + 1
			if d, ok := m["/Dest"].([]any); ok && len(d) > 3 {
				m["destpage"] = pos[fmt.Sprint(d[0])]
				m["desttop"] = d[3]
			}
			out = append(out, m)
		}
	}
	return out
}

// TestPolicyLinkInPack: in a bound pack a link to another policy the pack
// holds goes to that policy's first page, at its top, inside the file: a
// GoTo (/Dest), not a link to the policy's own PDF. A form's link to a
// policy goes there too.
func TestPolicyLinkInPack(t *testing.T) {
	cover, keys, docs := packParts(t)
	for i := range docs {
		docs[i].Meta.Path = keys[i]
	}
	docs[0] = markdown.Parse(append(append([]byte{}, docs[0].Source...), policyLinkPara...), docs[0].Meta)
	docs[2] = markdown.Parse(append(append([]byte{}, docs[2].Source...), "\n\nSee the [Online Safety Policy](policy:online-safety).\n"...), docs[2].Meta)
	data, err := bind(t, cover, keys, docs)
	if err != nil {
		t.Fatal(err)
	}
	// Where each part starts, from the outline (one node per document).
	var ol struct {
		Outlines []struct {
			Title string `json:"title"`
			Page  int    `json:"destpageposfrom1"`
		} `json:"outlines"`
	}
	if err := json.Unmarshal([]byte(run(t, "qpdf", "--json", "--json-key=outlines", writeTemp(t, data))), &ol); err != nil {
		t.Fatal(err)
	}
	start := map[string]int{}
	for _, o := range ol.Outlines {
		start[o.Title] = o.Page
	}
	aup, os := start["Acceptable Use Policy"], start["Online Safety Policy"]
	if aup <= os || os < 2 {
		t.Fatalf("parts start at %v", start)
	}
	var got []string
	for _, a := range linkAnnots(t, data) {
		if top, _ := a["desttop"].(float64); top > 841 { // the top of an A4 page: a policy link
			got = append(got, fmt.Sprintf("p%d->p%d", a["page"], a["destpage"]))
		}
	}
	// The online-safety link is on one of its pages, before the next
	// part; the form's after the acceptable-use part.
	if len(got) != 2 {
		t.Fatalf("policy links %v, want 2", got)
	}
	var from1, to1, from2, to2 int
	fmt.Sscanf(got[0], "p%d->p%d", &from1, &to1)
	fmt.Sscanf(got[1], "p%d->p%d", &from2, &to2)
	if from1 < os || from1 >= aup || to1 != aup {
		t.Errorf("online-safety's link %s, want from pages %d-%d to page %d", got[0], os, aup-1, aup)
	}
	if from2 <= aup || to2 != os {
		t.Errorf("the form's link %s, want to page %d", got[1], os)
	}
	if uris := annotations(t, data, "/URI"); strings.Contains(strings.Join(uris, " "), ".pdf") {
		t.Errorf("the pack links a policy's own file: %v", uris)
	}
	if bytes.Contains(data, []byte("policy:")) {
		t.Error("an unresolved policy link reached the file")
	}
}
