package build

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/manifest"
	"github.com/policypack/policypack/internal/testtool"
)

func tool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(testtool.Path(t, name), args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return string(out)
}

func pdfPages(t *testing.T, path string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindStringSubmatch(tool(t, "pdfinfo", path))
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count", path)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// outlineNode is a PDF outline entry as qpdf --json gives it.
type outlineNode struct {
	Title string        `json:"title"`
	Page  int           `json:"destpageposfrom1"`
	Kids  []outlineNode `json:"kids"`
}

// TestPack builds the example schools, each with three policies, and
// checks each school's pack.pdf against the documents built beside it:
// its pages are the cover's and every document's, numbered through the
// file; the cover's contents give the real page of every policy, section
// and form; the outline has a node per document with its headings under
// it.
func TestPack(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	o := opts(t, schools, out, "2026-11-26")
	o.Formats = []string{"md", "pdf"}
	mustRun(t, o)
	sess, docs, _, err := PrepareCoverage(o)
	if err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Read(filepath.Join(out, manifest.Name))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"hevingham-marsham", "robert-miles-infant"} {
		t.Run(id, func(t *testing.T) {
			pack := filepath.Join(out, id, "pack.pdf")
			tool(t, "qpdf", "--check", pack)
			if i := slices.IndexFunc(m.Files, func(f manifest.File) bool { return f.Path == id+"/pack.pdf" }); i < 0 || m.Files[i].Kind != "pack" {
				t.Errorf("manifest does not list %s/pack.pdf as kind pack", id)
			}
			// The documents in the pack's order: policies, then forms in
			// the order the school prints them as appendices.
			var school *config.School
			for _, sc := range sess.Set.Schools {
				if sc.ID == id {
					school = sc
				}
			}
			var order []compose.Output
			for _, i := range packOrder(school, docs[id]) {
				order = append(order, docs[id][i])
			}
			if id == "robert-miles-infant" {
				var got []string
				for _, d := range order {
					if d.Kind == "form" && d.Policy.ID == "online-safety" {
						got = append(got, d.ID)
					}
				}
				// Appendices 1, 2 and 3.
				if want := []string{"pupil-code-of-conduct", "parent-agreement", "staff-code-of-conduct"}; !slices.Equal(got, want) {
					t.Errorf("the pack's forms are %v, not in the appendices' order %v", got, want)
				}
			}
			pols := 0
			for _, d := range order {
				if d.Kind == "policy" {
					pols++
				}
			}
			if n := slices.IndexFunc(order, func(d compose.Output) bool { return d.ID == "mobile-phones" }); pols != 3 || n < 0 || n >= pols {
				t.Fatalf("the mobile phones policy is document %d of the pack, of %d policies", n, pols)
			}
			sum, first := 0, map[string]int{}
			for _, d := range order {
				first[d.Path] = sum
				sum += pdfPages(t, filepath.Join(out, id, d.Path+".pdf"))
			}
			text := strings.Split(strings.TrimSuffix(tool(t, "pdftotext", "-layout", "-enc", "UTF-8", pack, "-"), "\f"), "\f")
			total := pdfPages(t, pack)
			if len(text) != total {
				t.Fatalf("pdftotext found %d pages, pdfinfo %d", len(text), total)
			}
			cover := total - sum
			if cover < 2 || cover > 3 || !strings.Contains(text[0], "Policies in this pack") || !strings.Contains(text[cover-1], "Contents") && !strings.Contains(text[1], "Contents") {
				t.Fatalf("pack has %d pages for documents of %d pages: a cover of %d", total, sum, cover)
			}
			for _, d := range order {
				first[d.Path] += cover + 1
			}
			// The cover lists every policy with its state.
			for _, want := range []string{"Online Safety", "Mobile Phone Policy", "Safeguarding", "Draft: not approved"} {
				if !strings.Contains(text[0], want) {
					t.Errorf("cover lacks %q:\n%s", want, text[0])
				}
			}
			if strings.Contains(text[0], "not recorded") {
				t.Errorf("the cover prints \"not recorded\":\n%s", text[0])
			}
			// Continuous numbering.
			for i, p := range text {
				if want := "Page " + strconv.Itoa(i+1) + " of " + strconv.Itoa(total); !strings.Contains(p, want) {
					t.Errorf("page %d lacks %q", i+1, want)
				}
			}
			// The contents: every document and every numbered section
			// and appendix of the policies, each with the page it is on.
			var toc [][2]string
			for _, p := range text[1:cover] {
				for _, ln := range strings.Split(p, "\n") {
					if mm := regexp.MustCompile(`^\s*(\S.*?)\s+(\d+)\s*$`).FindStringSubmatch(ln); mm != nil && !strings.HasPrefix(strings.TrimSpace(ln), "Page ") {
						toc = append(toc, [2]string{strings.Join(strings.Fields(mm[1]), " "), mm[2]})
					}
				}
			}
			page := func(title string) int {
				// Long titles wrap: the number is on their last line.
				for len(toc) > 0 {
					l := toc[0]
					toc = toc[1:]
					if l[0] == title || strings.HasSuffix(title, " "+l[0]) {
						n, _ := strconv.Atoi(l[1])
						return n
					}
				}
				t.Errorf("contents lacks %q (or lists it out of order)", title)
				return -1
			}
			var want []string // every heading the outline must have
			for _, d := range order {
				if got := page(d.Meta.Title); got != first[d.Path] {
					t.Errorf("contents gives %s page %d, want %d", d.Meta.Title, got, first[d.Path])
				}
				want = append(want, d.Meta.Title)
				for _, e := range d.Meta.Front.Contents {
					want = append(want, e.Label())
					if e.Level != 1 {
						continue
					}
					got := page(e.Label())
					if got < first[d.Path] || got > total || !onPage(text[got-1], e.Label()) {
						t.Errorf("contents gives %q page %d, which does not have it", e.Label(), got)
					}
				}
			}
			// The outline: a node per document, its headings under it,
			// each pointing at its page.
			var js struct {
				Outlines []outlineNode `json:"outlines"`
			}
			if err := json.Unmarshal([]byte(tool(t, "qpdf", "--json", "--json-key=outlines", pack)), &js); err != nil {
				t.Fatal(err)
			}
			var top []string
			under := map[string][]string{}
			var walk func(root string, ns []outlineNode)
			walk = func(root string, ns []outlineNode) {
				for _, n := range ns {
					under[root] = append(under[root], n.Title)
					walk(root, n.Kids)
				}
			}
			for _, n := range js.Outlines {
				top = append(top, n.Title)
				under[n.Title] = nil
				walk(n.Title, n.Kids)
				if d := slices.IndexFunc(order, func(d compose.Output) bool { return d.Meta.Title == n.Title }); d >= 0 && n.Page != first[order[d].Path] {
					t.Errorf("outline: %s on page %d, want %d", n.Title, n.Page, first[order[d].Path])
				}
			}
			if len(top) != len(order)+1 || top[0] != PackTitle {
				t.Errorf("outline's top level = %q, want the cover and %d documents", top, len(order))
			}
			for _, d := range order {
				for _, e := range d.Meta.Front.Contents {
					if !slices.Contains(under[d.Meta.Title], e.Label()) {
						t.Errorf("outline: %q is not under %q", e.Label(), d.Meta.Title)
					}
				}
			}
			if len(want) < 30 {
				t.Errorf("only %d headings checked", len(want))
			}
		})
	}
}

// onPage reports whether a line of the page is text, spaces aside, or
// (for a heading that wraps) starts with it.
func onPage(page, text string) bool {
	for _, ln := range strings.Split(page, "\n") {
		ln = strings.Join(strings.Fields(ln), " ")
		if ln != "" && (ln == text || strings.HasPrefix(text, ln+" ")) {
			return true
		}
	}
	return false
}

// TestPackNeedsPDF: without PDF output there is no pack, and the manifest
// does not list one.
func TestPackNeedsPDF(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	o := opts(t, schools, out, "2026-11-26")
	o.Formats = []string{"html"}
	res := mustRun(t, o)
	for _, f := range res.Files {
		if f.Kind == "pack" {
			t.Errorf("an HTML-only build wrote %s", f.Path)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "robert-miles-infant", "pack.pdf")); err == nil {
		t.Error("pack.pdf written without PDF output")
	}
}

// TestPackIncrementalPerPolicy: a change to one policy's record rewrites
// that policy's files, the pack and the school's pages, and leaves the
// other policies' files as they were; a second build writes nothing.
func TestPackIncrementalPerPolicy(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	o := opts(t, schools, out, "2026-11-26")
	mustRun(t, o)
	backdate(t, out)
	rm := filepath.Join(schools, "robert-miles-infant.toml")
	data, err := os.ReadFile(rm)
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), "[policies.mobile-phones]\n", "[policies.mobile-phones]\nversion = \"0.1\"\n", 1))
	if err := os.WriteFile(rm, data, 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, o)
	got := touched(t, out)
	for _, want := range []string{"robert-miles-infant/mobile-phones.pdf", "robert-miles-infant/pack.pdf", "robert-miles-infant/index.html", "index.html", "manifest.json"} {
		if !slices.Contains(got, want) {
			t.Errorf("%s was not rewritten (rewritten: %v)", want, got)
		}
	}
	for _, p := range got {
		if strings.Contains(p, "online-safety") || strings.Contains(p, "child-protection") || strings.HasPrefix(p, "robert-miles-infant/forms/") && !strings.Contains(p, "phone-agreement") || strings.HasPrefix(p, "hevingham-marsham/") {
			t.Errorf("%s was rewritten, though its policy did not change", p)
		}
	}
	backdate(t, out)
	if res := mustRun(t, o); res.Written() != 0 || len(touched(t, out)) != 0 {
		t.Errorf("no-op rebuild with three policies wrote %d files: %v", res.Written(), touched(t, out))
	}
}

// TestPackCoverTellsEachPolicysState: a pack's cover is no policy, so it
// carries no state notice of its own; its table says each policy's state.
// An approved school's cover never says DRAFT or calls itself a proposal,
// and a draft's says so only in its table row.
func TestPackCoverTellsEachPolicysState(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	o := opts(t, schools, out, "2026-11-26")
	o.Formats = []string{"pdf"}
	mustRun(t, o)
	for id, approved := range map[string]bool{"fenbrook-academy": true, "robert-miles-infant": false} {
		cover := strings.Split(tool(t, "pdftotext", "-l", "1", "-layout", "-enc", "UTF-8", filepath.Join(out, id, "pack.pdf"), "-"), "\f")[0]
		if strings.Contains(cover, "proposal") || strings.Contains(cover, "not yet approved") {
			t.Errorf("%s: the pack's cover carries a state notice:\n%s", id, cover)
		}
		if got := strings.Contains(cover, "Draft"); got == approved {
			t.Errorf("%s: cover says draft = %v, want %v:\n%s", id, got, !approved, cover)
		}
		if !approved && (!strings.Contains(cover, "to be approved by") || strings.Contains(cover, "Approved on: draft") || strings.Contains(cover, "| draft")) {
			t.Errorf("%s: a draft's row should name who will approve it and no approval date:\n%s", id, cover)
		}
		if approved && strings.Contains(strings.ToUpper(cover), "DRAFT") {
			t.Errorf("%s: an approved pack's cover says DRAFT:\n%s", id, cover)
		}
	}
}
