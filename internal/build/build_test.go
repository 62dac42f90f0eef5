package build

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/config/configtest"
	"github.com/policypack/policypack/internal/manifest"
	"github.com/policypack/policypack/internal/testtool"
)

func TestManifestMatchesFiles(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	mustRun(t, opts(t, schools, out, "2026-11-26"))
	m, err := manifest.Read(filepath.Join(out, manifest.Name))
	if err != nil || m == nil {
		t.Fatalf("reading manifest: %v", err)
	}
	files := tree(t, out)
	listed := map[string]bool{}
	for _, f := range m.Files {
		listed[f.Path] = true
		data, ok := files[f.Path]
		if !ok {
			t.Errorf("manifest lists %s, not in dist", f.Path)
			continue
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(data)) != f.Size {
			t.Errorf("%s: manifest size/sha256 %d/%s, file %d/%x", f.Path, f.Size, f.SHA256, len(data), sum)
		}
		if f.School == "" || f.Document == "" || f.Kind == "" || f.Format == "" || f.Title == "" {
			t.Errorf("%s: incomplete entry %+v", f.Path, f)
		}
	}
	for p := range files {
		if !listed[p] && p != manifest.Name && p != IndexName {
			t.Errorf("dist has %s, which the manifest does not list", p)
		}
	}
	for _, id := range []string{"robert-miles-infant", "hevingham-marsham"} {
		for _, f := range AllFormats() {
			p := id + "/online-safety." + f
			if !listed[p] {
				t.Errorf("manifest does not list %s", p)
			}
		}
		for _, p := range []string{id + "/pack.pdf", id + "/index.html"} {
			if !listed[p] {
				t.Errorf("manifest does not list %s", p)
			}
		}
	}
	if !slices.IsSortedFunc(m.Files, func(a, b manifest.File) int { return strings.Compare(a.Path, b.Path) }) {
		t.Error("manifest files are not sorted by path")
	}
	rm := m.School("robert-miles-infant")
	if os := onlineSafety(rm); os == nil || os.NextReview != "2024-05-24" || os.Review != "overdue" {
		t.Errorf("robert-miles-infant entry = %+v, want online-safety next review 2024-05-24, overdue", rm)
	}
	if err := Verify(out, m); err != nil {
		t.Errorf("Verify on a fresh build: %v", err)
	}
	os.WriteFile(filepath.Join(out, m.Files[0].Path), []byte("tampered"), 0o644)
	if err := Verify(out, m); err == nil || !strings.Contains(err.Error(), m.Files[0].Path) {
		t.Errorf("Verify after tampering with %s = %v, want an error naming it", m.Files[0].Path, err)
	}
}

func TestReproducible(t *testing.T) {
	schools := copySchools(t, "fenbrook-academy") // approved after the as-of date
	a, b := t.TempDir(), t.TempDir()
	mustRun(t, opts(t, schools, a, "2025-01-31"))
	mustRun(t, opts(t, schools, b, "2025-01-31"))
	ta, tb := tree(t, a), tree(t, b)
	if len(ta) != len(tb) || len(ta) < 10 {
		t.Fatalf("builds wrote %d and %d files", len(ta), len(tb))
	}
	for p, da := range ta {
		if !bytes.Equal(da, tb[p]) {
			t.Errorf("%s differs between two builds of the same inputs", p)
		}
	}
}

func TestNoopRebuildWritesNothing(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	o := opts(t, schools, out, "2026-11-26")
	mustRun(t, o)
	backdate(t, out)
	res := mustRun(t, o)
	if res.Rendered != 0 || res.Skipped != 3 || res.Written() != 0 || len(res.Removed) != 0 {
		t.Errorf("no-op rebuild: rendered %d, skipped %d, written %d, removed %v; want 0, 3, 0, none", res.Rendered, res.Skipped, res.Written(), res.Removed)
	}
	if got := touched(t, out); len(got) > 0 {
		t.Errorf("no-op rebuild touched %v", got)
	}
	for _, p := range []string{"pack.pdf", "index.html"} {
		if !slices.ContainsFunc(res.Files, func(f File) bool { return f.Path == "robert-miles-infant/"+p }) {
			t.Errorf("the no-op rebuild's result does not list robert-miles-infant/%s", p)
		}
	}

	// A hand-edited output is noticed (newer than the manifest) and
	// restored, and nothing else is written.
	victim := filepath.Join(out, "hevingham-marsham", "online-safety.md")
	orig, _ := os.ReadFile(victim)
	if err := os.WriteFile(victim, []byte("edited by hand\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res = mustRun(t, o)
	if res.Rendered != 1 || res.Written() != 1 {
		t.Errorf("after editing one output: rendered %d, written %d; want 1, 1", res.Rendered, res.Written())
	}
	if got, _ := os.ReadFile(victim); !bytes.Equal(got, orig) {
		t.Error("the hand-edited output was not restored")
	}
}

func TestChangeOneSchoolRewritesOnlyIt(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	o := opts(t, schools, out, "2026-11-26")
	mustRun(t, o)
	backdate(t, out)

	cfg := filepath.Join(schools, "robert-miles-infant.toml")
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// A top-level key the policy prints (the school's website).
	if err := os.WriteFile(cfg, append([]byte("website = \"https://www.robertmiles.example\"\n"), data...), 0o644); err != nil {
		t.Fatal(err)
	}
	res := mustRun(t, o)
	if res.Rendered != 1 || res.Skipped != 2 {
		t.Errorf("rendered %d, skipped %d; want 1, 2", res.Rendered, res.Skipped)
	}
	got := touched(t, out)
	if !slices.Contains(got, manifest.Name) {
		t.Errorf("manifest.json not rewritten (touched: %v)", got)
	}
	n := 0
	for _, p := range got {
		switch {
		case strings.HasPrefix(p, "robert-miles-infant/"):
			n++
		case p == manifest.Name || p == IndexName:
		default:
			t.Errorf("changing robert-miles-infant rewrote %s", p)
		}
	}
	if n == 0 {
		t.Errorf("no robert-miles-infant file rewritten (touched: %v)", got)
	}
}

func TestStaleFilesRemoved(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	o := opts(t, schools, out, "2026-11-26")
	mustRun(t, o)
	// Files the build did not write are never touched.
	mine := []string{"notes.txt", "robert-miles-infant/notes.txt", "hevingham-marsham/forms/extra.html"}
	for _, p := range mine {
		if err := os.WriteFile(filepath.Join(out, filepath.FromSlash(p)), []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Fewer formats: the other formats' files stay (a quick Markdown
	// build never deletes the PDFs; TestBuildSomeFormatsKeepsOthers).
	o.Formats = []string{"md"}
	res := mustRun(t, o)
	if len(res.Removed) != 0 {
		t.Errorf("building md only removed %v", res.Removed)
	}
	if _, err := os.Stat(filepath.Join(out, "robert-miles-infant", "online-safety.html")); err != nil {
		t.Error("online-safety.html was removed by a build without html")
	}
	o.Formats = nil

	// A school whose config is gone loses its folder (but not files the
	// build never wrote).
	if err := os.Remove(filepath.Join(schools, "hevingham-marsham.toml")); err != nil {
		t.Fatal(err)
	}
	mustRun(t, o)
	if _, err := os.Stat(filepath.Join(out, "hevingham-marsham", "online-safety.md")); err == nil {
		t.Error("a deleted school's policy survived")
	}
	for _, p := range mine {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(p))); err != nil {
			t.Errorf("%s, not written by the build, was removed: %v", p, err)
		}
	}
	m, _ := manifest.Read(filepath.Join(out, manifest.Name))
	if m.School("hevingham-marsham") != nil || len(m.FilesOf("hevingham-marsham")) > 0 {
		t.Error("the manifest still lists the deleted school")
	}
}

func TestBuildSomeIDsKeepsOthers(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	o := opts(t, schools, out, "2026-11-26")
	mustRun(t, o)
	o.IDs = []string{"robert-miles-infant"}
	o.AsOf = date(t, "2024-05-01")
	mustRun(t, o)
	m, _ := manifest.Read(filepath.Join(out, manifest.Name))
	if m.School("hevingham-marsham") == nil || len(m.FilesOf("hevingham-marsham")) == 0 {
		t.Fatal("building one school dropped the other from the manifest")
	}
	if _, err := os.Stat(filepath.Join(out, "hevingham-marsham", "online-safety.html")); err != nil {
		t.Errorf("building one school removed the other's files: %v", err)
	}
	if got := onlineSafety(m.School("robert-miles-infant")).Review; got != "due-soon" {
		t.Errorf("robert-miles-infant as of 2024-05-01 = %s, want due-soon", got)
	}
}

func TestShardsPartition(t *testing.T) {
	var ids []string
	for i := range 200 {
		ids = append(ids, fmt.Sprintf("school-%03d", i))
	}
	for n := 1; n <= 7; n++ {
		counts := map[string]int{}
		sizes := make([]int, n)
		for k := 1; k <= n; k++ {
			s := Shard{K: k, N: n}
			for _, id := range ids {
				if s.Has(id) {
					counts[id]++
					sizes[k-1]++
				}
			}
		}
		for _, id := range ids {
			if counts[id] != 1 {
				t.Errorf("N=%d: %s is in %d shards", n, id, counts[id])
			}
		}
		for k, sz := range sizes {
			if n > 1 && (sz < len(ids)/n/2 || sz > 2*len(ids)/n) {
				t.Errorf("N=%d: shard %d has %d of %d schools", n, k+1, sz, len(ids))
			}
		}
	}
}

func TestParseShard(t *testing.T) {
	tests := []struct {
		in   string
		want Shard
		ok   bool
	}{
		{"1/1", Shard{1, 1}, true}, {"2/4", Shard{2, 4}, true}, {"4/4", Shard{4, 4}, true},
		{"0/4", Shard{}, false}, {"5/4", Shard{}, false}, {"1/0", Shard{}, false}, {"x/2", Shard{}, false}, {"2", Shard{}, false}, {"", Shard{}, false},
	}
	for _, tt := range tests {
		got, err := ParseShard(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// TestShardsMergeToWholeBuild: shards built into one folder and merged give
// the whole build's files, manifest and dashboard byte for byte.
func TestShardsMergeToWholeBuild(t *testing.T) {
	schools := genTrust(t, 12)
	whole, sharded := t.TempDir(), t.TempDir()
	o := opts(t, schools, whole, "2026-11-26")
	o.Formats = []string{"md", "html"}
	mustRun(t, o)
	o.OutDir = sharded
	for k := 1; k <= 3; k++ {
		o.Shard = Shard{K: k, N: 3}
		res := mustRun(t, o)
		if filepath.Base(res.Manifest) != manifest.ShardName(k, 3) {
			t.Errorf("shard %d wrote %s", k, res.Manifest)
		}
	}
	if _, err := os.Stat(filepath.Join(sharded, IndexName)); err == nil {
		t.Error("a shard build wrote index.html")
	}
	if _, err := Merge(sharded); err != nil {
		t.Fatalf("merge: %v", err)
	}
	tw, ts := tree(t, whole), tree(t, sharded)
	for p, data := range tw {
		if !bytes.Equal(data, ts[p]) {
			t.Errorf("%s differs between the whole build and the merged shards", p)
		}
	}
	for p := range ts {
		if _, ok := tw[p]; !ok && !strings.HasPrefix(p, "manifest-") {
			t.Errorf("merged shards have %s, the whole build does not", p)
		}
	}

	// A missing shard is an error, not a silently smaller dashboard.
	os.Remove(filepath.Join(sharded, manifest.ShardName(2, 3)))
	if _, err := Merge(sharded); err == nil || !strings.Contains(err.Error(), "missing shard(s) 2/3") {
		t.Errorf("merge without shard 2 = %v, want missing shard 2/3", err)
	}
}

func TestStrict(t *testing.T) {
	// The example schools are drafts: a strict build fails on them.
	o := opts(t, copySchools(t, "fenbrook-academy"), t.TempDir(), "2024-05-23")
	o.Strict = true
	if _, err := Run(o); err == nil || !strings.Contains(err.Error(), "robert-miles-infant: online-safety is a draft") {
		t.Errorf("strict build of drafts = %v, want a draft error", err)
	}

	schools := copySchools(t, "fenbrook-academy", "hevingham-marsham")
	approve(t, schools, "robert-miles-infant", "2023-05-24")
	tests := []struct {
		asOf    string
		wantErr string
	}{
		{"2024-05-23", ""},
		{"2024-05-24", ""}, // due today is not yet overdue
		{"2024-05-25", "robert-miles-infant.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.asOf, func(t *testing.T) {
			o := opts(t, schools, t.TempDir(), tt.asOf)
			o.Strict = true
			_, err := Run(o)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("strict build as of %s: %v", tt.asOf, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "Review overdue since 24 May 2024")):
				t.Errorf("strict build as of %s = %v, want an overdue error naming %s", tt.asOf, err, tt.wantErr)
			}
			if tt.wantErr != "" {
				if _, err := os.Stat(filepath.Join(o.OutDir, manifest.Name)); err == nil {
					t.Error("a failed strict build wrote files")
				}
			}
		})
	}
}

// onlineSafety is a school's manifest entry for its online safety policy,
// or nil.
func onlineSafety(s *manifest.School) *manifest.Policy {
	if s == nil {
		return nil
	}
	for i := range s.Policies {
		if s.Policies[i].ID == "online-safety" {
			return &s.Policies[i]
		}
	}
	return nil
}

// approve records an approval date in a copied school's file (its
// [policies.online-safety] table moved last), first setting the values it
// lists to be confirmed: an approval cannot be recorded while any remain.
func approve(t *testing.T, schools, id, date string) {
	t.Helper()
	f := filepath.Join(schools, id+".toml")
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	// Its mobile phones and child protection policies are approved with
	// it, the same day (the school's file has no child protection table of
	// its own: the approval is its table).
	data = append(data, "\n[policies.child-protection]\napproved_on = "+date+"\n"...)
	data = []byte(strings.Replace(string(confirmAll(data)), "[policies.mobile-phones]\n", "[policies.mobile-phones]\napproved_on = "+date+"\n", 1))
	data = append(data, "\napproved_on = "+date+"\n"...)
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// confirmAll replaces Robert Miles's list of values to be confirmed with
// values, as the school would before recording an approval, and moves its
// online safety table last (configtest.OnlineSafetyLast).
func confirmAll(data []byte) []byte {
	return configtest.OnlineSafetyLast(configtest.ConfirmAll(data))
}

// TestReviewDataInEveryFormat: every format of an approved policy shows
// approved by/on, next review and the overdue notice near the top, nothing
// it has not recorded (no "not recorded"), and the document control record.
func TestReviewDataInEveryFormat(t *testing.T) {
	schools, out := copySchools(t, "fenbrook-academy"), t.TempDir()
	approve(t, schools, "robert-miles-infant", "2023-05-24")
	mustRun(t, opts(t, schools, out, "2024-05-25"))
	for _, f := range AllFormats() {
		t.Run(f, func(t *testing.T) {
			path := filepath.Join(out, "robert-miles-infant", "online-safety."+f)
			text := extractText(t, f, path)
			head := text[:min(len(text), 3000)]
			for _, want := range []string{"Approved by", "TILT", "Approved on", "24 May 2023", "Next review due", "24 May 2024", "Review overdue since 24 May 2024"} {
				if !strings.Contains(head, want) {
					t.Errorf("%s: %q not near the top", path, want)
				}
			}
			for _, bad := range []string{"not recorded", "Last reviewed", "DRAFT"} {
				if strings.Contains(text, bad) {
					t.Errorf("%s: says %q", path, bad)
				}
			}
			if !strings.Contains(text, "Document control") || !strings.Contains(text, "was approved by TILT on 24 May 2023") {
				t.Errorf("%s: no document control record", path)
			}
		})
	}
}

var tagRe = regexp.MustCompile(`<[^>]*>`)

// extractText returns a file's text for the format; formats added later
// need an extractor here (pdftotext for PDF).
func extractText(t *testing.T, format, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	switch format {
	case "md":
		return strings.ReplaceAll(string(data), "\\", "")
	case "html":
		// The body's text: skip the head's inline CSS, drop the tags.
		_, body, _ := strings.Cut(string(data), "<body")
		return tagRe.ReplaceAllString(body, " ")
	case "pdf":
		txt, err := exec.Command(testtool.Path(t, "pdftotext"), "-layout", path, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", path, err)
		}
		return string(txt)
	case "docx":
		return docxText(t, data)
	}
	t.Fatalf("no text extractor for format %q: add one to extractText", format)
	return ""
}

// TestTemplatesCannotReadEnvOrClock: a trust template calling sprig's env,
// expandenv, now or a random function fails to parse, so no build can leak
// a CI secret or differ by the clock.
func TestTemplatesCannotReadEnvOrClock(t *testing.T) {
	t.Setenv("POLICYPACK_SECRET", "hunter2")
	schools := copySchools(t)
	for _, call := range []string{`env "POLICYPACK_SECRET"`, `expandenv "$POLICYPACK_SECRET"`, `now`, `now | date "2006"`, `randAlphaNum 8`, `uuidv4`} {
		t.Run(call, func(t *testing.T) {
			tmpl := filepath.Join(t.TempDir(), "templates")
			sec := filepath.Join(tmpl, "online-safety", "sections")
			if err := os.MkdirAll(sec, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(sec, "aims.md.tmpl"), []byte("Secret: {{ "+call+" }}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			o := opts(t, schools, t.TempDir(), "2026-11-26")
			o.TemplatesDir = tmpl
			_, err := Run(o)
			fn := strings.Fields(call)[0]
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("function %q not defined", fn)) {
				t.Errorf("template calling %s: err = %v, want function %q not defined", call, err, fn)
			}
			if entries, _ := os.ReadDir(o.OutDir); len(entries) > 0 {
				t.Error("a failed build wrote files")
			}
		})
	}
}

func TestReviewDatesValidated(t *testing.T) {
	tests := []struct {
		name, policy, wantErr string
	}{
		{"history after as-of", "approved_on = 2025-01-10\n[[policies.online-safety.history]]\nversion = \"2.0\"\ndate = 2027-01-01\nsummary = \"Future\"\n", "history entry \"2.0\" is dated 2027-01-01, after the as-of date"},
		{"next review before approval", "approved_on = 2025-06-01\nnext_review = 2025-05-01\n", "next review (1 May 2025) must be after approval (1 June 2025)"},
		{"next review before last review", "last_reviewed = 2026-06-01\nnext_review = 2026-05-01\n", "next review 2026-05-01 is not after the last review on 2026-06-01"},
		{"approved after as-of", "approved_on = 2026-12-01\n", "approved on 2026-12-01, after the as-of date"},
		{"valid", "approved_on = 2025-06-01\nlast_reviewed = 2026-06-01\n[[policies.online-safety.history]]\nversion = \"1.0\"\ndate = 2025-06-01\nsummary = \"First\"\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			schools := copySchools(t)
			cfg := filepath.Join(schools, "robert-miles-infant.toml")
			data, _ := os.ReadFile(cfg)
			if strings.Contains(tt.policy, "approved_on") {
				data = confirmAll(data)
			}
			data = configtest.OnlineSafetyLast(data)
			src := nextRe.ReplaceAllLiteralString(string(data), "") + "\n" + tt.policy
			if !strings.Contains(src, "[policies.online-safety]") {
				t.Fatal("seed has no [policies.online-safety] table to extend")
			}
			os.WriteFile(cfg, []byte(src), 0o644)
			_, err := Run(opts(t, schools, t.TempDir(), "2026-11-26"))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("valid dates rejected: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "robert-miles-infant.toml")):
				t.Errorf("err = %v, want %q naming the file", err, tt.wantErr)
			}
		})
	}
}

// TestManifestShape pins manifest.json's documented keys, so a change is
// deliberate (bump manifest.FormatVersion if one is removed or changes).
func TestManifestShape(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	mustRun(t, opts(t, schools, out, "2026-11-26"))
	data, err := os.ReadFile(filepath.Join(out, manifest.Name))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	keys := func(v any) string {
		m, _ := v.(map[string]any)
		return strings.Join(slices.Sorted(maps.Keys(m)), ",")
	}
	first := func(v any) any {
		l, _ := v.([]any)
		if len(l) == 0 {
			t.Fatalf("empty list %v", v)
		}
		return l[0]
	}
	school := first(doc["schools"])
	tests := []struct{ what, got, want string }{
		{"manifest", keys(doc), "as_of,dashboard,due_soon_days,files,format_version,generator,schools"},
		{"school", keys(school), "deviations,id,input_hash,name,policies,uncovered"},
		{"policy", keys(first(school.(map[string]any)["policies"])), "approved_by,approved_on,days,deviations,id,last_reviewed,next_review,review,title,version"},
		{"file", keys(first(doc["files"])), "approved_on,document,format,kind,last_reviewed,next_review,path,policy,school,sha256,size,title,version"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s keys %s, want %s", tt.what, tt.got, tt.want)
		}
	}
	if doc["format_version"] != float64(manifest.FormatVersion) || doc["as_of"] != "2026-11-26" || doc["generator"] != "policypack test" {
		t.Errorf("header %v %v %v", doc["format_version"], doc["as_of"], doc["generator"])
	}
	if !bytes.HasSuffix(data, []byte("}\n")) || bytes.Contains(data, []byte(`\u003c`)) {
		t.Error("manifest is not newline-terminated, unescaped JSON")
	}
}

// TestForeignManifestRemovesNothing: entries a build would never write, in
// a hand-made manifest, are never removed, even with --out at a repository
// root beside the configs.
func TestForeignManifestRemovesNothing(t *testing.T) {
	root := t.TempDir()
	schools := filepath.Join(root, "schools")
	if err := os.CopyFS(schools, os.DirFS(copySchools(t))); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(filepath.Dir(root), filepath.Base(root)+"-outside.txt")
	precious := []string{"README.md", "schools/_defaults.toml", "robert-miles-infant/notes.txt", "robert-miles-infant/online-safety.docx"}
	for _, p := range precious[2:] {
		os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(root, p), []byte("mine"), 0o644)
	}
	os.WriteFile(filepath.Join(root, "README.md"), []byte("mine"), 0o644)
	os.WriteFile(outside, []byte("mine"), 0o644)
	t.Cleanup(func() { os.Remove(outside) })
	m := &manifest.Manifest{FormatVersion: manifest.FormatVersion, Files: []manifest.File{
		{Path: "README.md", School: "README.md"},
		{Path: "schools/_defaults.toml", School: "schools"},
		{Path: "robert-miles-infant/notes.txt", School: "robert-miles-infant"},
		{Path: "robert-miles-infant/online-safety.docx", School: "robert-miles-infant"},
		{Path: "robert-miles-infant/../README.md", School: "robert-miles-infant"},
	}}
	data, _ := m.Marshal()
	os.WriteFile(filepath.Join(root, manifest.Name), data, 0o644)
	// An unsafe path makes the whole manifest unreadable: the build then
	// refuses, naming the manifest, and writes and removes nothing.
	if _, err := Run(opts(t, schools, root, "2026-11-26")); err == nil || !strings.Contains(err.Error(), "manifest.json: is not a manifest policypack can read: unsafe path") {
		t.Fatalf("unreadable manifest: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "index.html")); err == nil {
		t.Error("a refused build wrote index.html")
	}
	m.Files = slices.DeleteFunc(m.Files, func(f manifest.File) bool { return !manifest.SafePath(f.Path) })
	data, _ = m.Marshal()
	os.WriteFile(filepath.Join(root, manifest.Name), data, 0o644)
	res := mustRun(t, opts(t, schools, root, "2026-11-26"))
	if len(res.Removed) > 0 {
		t.Errorf("removed %v", res.Removed)
	}
	for _, p := range append(precious, "../"+filepath.Base(outside)) {
		if _, err := os.Stat(filepath.Join(root, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

func TestProgress(t *testing.T) {
	schools, out := genTrust(t, 24), t.TempDir()
	var buf bytes.Buffer
	o := opts(t, schools, out, "2026-11-26")
	o.Formats, o.Progress = []string{"md"}, &buf
	mustRun(t, o)
	for _, want := range []string{"building 24 school(s) into " + out + ": 24 to render, 0 unchanged\n", "  12/24 schools rendered\n", "  24/24 schools rendered\n"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("progress lacks %q:\n%s", want, buf.String())
		}
	}
	buf.Reset()
	mustRun(t, o)
	if got := buf.String(); got != "building 24 school(s) into "+out+": 0 to render, 24 unchanged\n" {
		t.Errorf("no-op progress = %q", got)
	}
}

// docxText is the text of a Word document's body (word/document.xml): its
// w:t runs, a line per paragraph.
func docxText(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	d := xml.NewDecoder(f)
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return b.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			inText = tok.Name.Local == "t"
		case xml.EndElement:
			inText = false
			if tok.Name.Local == "p" {
				b.WriteByte('\n')
			}
		case xml.CharData:
			if inText {
				b.Write(tok)
			}
		}
	}
}

// TestWarnings: the operator hears, with file:line, that the examples are
// drafts, which values they have still to confirm, and which config values
// name a withdrawn service or scheme; the packs keep what the school says.
func TestWarnings(t *testing.T) {
	sess, err := Open(opts(t, "../../schools", t.TempDir(), "2026-11-30"))
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(sess.Warnings(sess.Set.Schools), "\n")
	for _, want := range []string{
		"robert-miles-infant.toml:", "robert-miles-infant: online-safety is a draft",
		"robert-miles-infant: filtering.approvers is still to be confirmed (not set)",
		"hevingham-marsham: roles.filtering_lead is still to be confirmed (set, not confirmed)",
		"hevingham-marsham: platforms.cloud_services[0] names Edmodo, which closed in September 2022",
		"hevingham-marsham: email.never_by_email uses the Protect marking, withdrawn",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "robert-miles-infant: platforms") || strings.Contains(all, "robert-miles-infant: email.never") {
		t.Errorf("a withdrawn name is reported for a school that does not use it:\n%s", all)
	}
}

// TestFormsCarryNoReviewNotice: forms go to parents, pupils, staff and
// visitors to sign, so in no format do they carry a review date or notice,
// whatever their policy's state (approved, overdue or a draft whose
// review date has passed); a draft's forms say DRAFT.
func TestFormsCarryNoReviewNotice(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	mustRun(t, opts(t, schools, out, "2026-11-26"))
	// Robert Miles as it stands is a draft whose review date has passed.
	check := map[string]bool{"hevingham-marsham": true, "robert-miles-infant": true, "fenbrook-academy": false}
	formsCarryNoReview(t, out, check)
	// Approved, its review is overdue on the as-of date.
	approve(t, schools, "robert-miles-infant", "2023-05-24")
	mustRun(t, opts(t, schools, out, "2026-11-26"))
	formsCarryNoReview(t, out, map[string]bool{"robert-miles-infant": false})
}

func formsCarryNoReview(t *testing.T, out string, check map[string]bool) {
	t.Helper()
	for id, isDraft := range check {
		forms, err := filepath.Glob(filepath.Join(out, id, "forms", "*"))
		if err != nil || len(forms) < 6 {
			t.Fatalf("%s: forms %v (%v)", id, forms, err)
		}
		for _, path := range forms {
			format := strings.TrimPrefix(filepath.Ext(path), ".")
			text := extractText(t, format, path)
			if format == "docx" {
				text += docxAllText(t, path)
			}
			low := strings.ToLower(text)
			for _, bad := range []string{"review", "overdue"} {
				if strings.Contains(low, bad) {
					t.Errorf("%s: a form says %q", path, bad)
				}
			}
			if got := strings.Contains(text, "DRAFT"); got != isDraft {
				t.Errorf("%s: says DRAFT = %v, want %v", path, got, isDraft)
			}
		}
	}
}

// docxAllText is the text of every part of a Word file (headers and
// footers too), tags dropped.
func docxAllText(t *testing.T, path string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var b strings.Builder
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "word/") || !strings.HasSuffix(f.Name, ".xml") {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(r)
		r.Close()
		b.WriteString(tagRe.ReplaceAllString(string(data), " "))
	}
	return b.String()
}

// A build of some formats for some schools (build --format md SCHOOL)
// removes nothing of the other formats: they stay on disk and in the
// manifest, which still verifies, and the next build of every format
// renders the school again.
func TestBuildSomeFormatsKeepsOthers(t *testing.T) {
	schools, out := copySchools(t), t.TempDir()
	o := opts(t, schools, out, "2026-11-26")
	mustRun(t, o)
	before := tree(t, out)
	o.IDs, o.Formats = []string{"robert-miles-infant"}, []string{"md"}
	res := mustRun(t, o)
	if len(res.Removed) != 0 {
		t.Errorf("a Markdown-only build removed %v", res.Removed)
	}
	for _, f := range []string{"online-safety.html", "online-safety.pdf", "online-safety.docx", "pack.pdf", "forms/parent-agreement.pdf"} {
		p := filepath.Join(out, "robert-miles-infant", filepath.FromSlash(f))
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	m, err := manifest.Read(filepath.Join(out, manifest.Name))
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(out, m); err != nil {
		t.Errorf("the manifest does not match the folder: %v", err)
	}
	listed := map[string]bool{}
	for _, f := range m.Files {
		listed[f.Path] = true
	}
	for p := range before {
		if p != manifest.Name && p != IndexName && !listed[p] {
			t.Errorf("%s is no longer in the manifest", p)
		}
	}
	o.IDs, o.Formats = nil, nil
	if res := mustRun(t, o); res.Rendered == 0 {
		t.Errorf("the next whole build rendered nothing: the Markdown-only build's school must render again")
	}
}
