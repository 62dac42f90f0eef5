// Package manifest is dist/manifest.json: every file a build wrote, with its
// school, policy, format, size, sha256 and review data, plus each school's
// input hash so the next build can skip schools whose inputs are unchanged.
// The JSON shape is documented (README, "manifest.json") and stable: fields
// are only ever added, and FormatVersion changes if one is removed or
// changes meaning. Everything is sorted, so the same build gives the same
// bytes.
package manifest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
)

// FormatVersion is the version of the JSON shape below.
const FormatVersion = 1

// Name is the manifest's file name in the output folder.
const Name = "manifest.json"

// Manifest is the whole of manifest.json.
type Manifest struct {
	FormatVersion int    `json:"format_version"`
	Generator     string `json:"generator"` // "policypack v1.2.3"
	AsOf          string `json:"as_of"`     // YYYY-MM-DD the review states are judged on
	// DueSoonDays is the window within which a review counts as due soon.
	DueSoonDays int `json:"due_soon_days"`
	// Shard is "K/N" in a shard's manifest (manifest-K-of-N.json) and ""
	// in a whole build's or a merged manifest.
	Shard   string   `json:"shard,omitempty"`
	Schools []School `json:"schools"` // sorted by id
	Files   []File   `json:"files"`   // sorted by path
	// Dashboard is the size and sha256 of index.html, the dashboard made
	// from this manifest, so `manifest verify` covers it too; empty in a
	// shard's manifest, which has no dashboard.
	Dashboard *Checksum `json:"dashboard,omitempty"`
}

// Checksum is a file's size and sha256.
type Checksum struct {
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// School is one school's entry.
type School struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// InputHash is the sha256 of everything the school's files depend on
	// (its config files, the templates, the program, the formats and its
	// review states); equal hashes mean the files need not be rebuilt.
	InputHash string   `json:"input_hash"`
	Policies  []Policy `json:"policies"` // sorted by id
	// Uncovered counts the statutory requirements for the school's phase
	// and key stages that no section of its policies meets (its coverage
	// report lists them): the gap a trust officer looks for first.
	Uncovered int `json:"uncovered"`
	// Deviations counts the sections where the school's text departs from
	// the trust's shared text (omitted, replaced or added to; `check`
	// lists them).
	Deviations int `json:"deviations"`
}

// Policy is one school's policy and its review position on AsOf.
type Policy struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	Version      string `json:"version"`       // "" when not recorded
	ApprovedBy   string `json:"approved_by"`   // "" when not recorded
	ApprovedOn   string `json:"approved_on"`   // YYYY-MM-DD or ""
	LastReviewed string `json:"last_reviewed"` // YYYY-MM-DD or ""
	NextReview   string `json:"next_review"`   // YYYY-MM-DD or ""
	// Review is the state on AsOf: ok, due-soon, due, overdue or unknown.
	Review string `json:"review"`
	// Days is the number of days from AsOf to NextReview (negative when
	// overdue, 0 when unknown).
	Days int `json:"days"`
	// Deviations counts the sections of this policy where the school
	// departs from the shared text; the school's Deviations is their sum.
	Deviations int `json:"deviations"`
}

// File is one file in the output folder.
type File struct {
	Path     string `json:"path"` // relative to the output folder, slash-separated
	School   string `json:"school"`
	Policy   string `json:"policy"`   // policy id; "" for a school-wide report
	Document string `json:"document"` // policy id, form id or report id
	Kind     string `json:"kind"`     // policy, form, pack or report
	Title    string `json:"title"`    // the document's title
	Format   string `json:"format"`   // md, html, pdf, ...
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"`
	// The policy's review data the file was built with ("" when not
	// recorded or for reports).
	Version      string `json:"version"`
	ApprovedOn   string `json:"approved_on"`
	LastReviewed string `json:"last_reviewed"`
	NextReview   string `json:"next_review"`
}

// ShardName is the file a shard's build writes instead of manifest.json.
func ShardName(k, n int) string { return fmt.Sprintf("manifest-%d-of-%d.json", k, n) }

// Sort puts schools, policies and files in their documented order.
func (m *Manifest) Sort() {
	slices.SortFunc(m.Schools, func(a, b School) int { return cmp.Compare(a.ID, b.ID) })
	for i := range m.Schools {
		slices.SortFunc(m.Schools[i].Policies, func(a, b Policy) int { return cmp.Compare(a.ID, b.ID) })
	}
	slices.SortFunc(m.Files, func(a, b File) int { return cmp.Compare(a.Path, b.Path) })
}

// Marshal returns the manifest as indented JSON with a final newline,
// sorted first so the bytes depend only on the content.
func (m *Manifest) Marshal() ([]byte, error) {
	m.Sort()
	if m.Schools == nil {
		m.Schools = []School{}
	}
	if m.Files == nil {
		m.Files = []File{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Parse reads a manifest and checks it is one this program understands
// and that its paths are safe to act on (relative, inside the folder).
func Parse(data []byte) (*Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&m); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty file")
		}
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("text after the manifest's JSON object")
	}
	if m.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("format_version %d, want %d", m.FormatVersion, FormatVersion)
	}
	for _, f := range m.Files {
		if !SafePath(f.Path) {
			return nil, fmt.Errorf("unsafe path %q", f.Path)
		}
	}
	return &m, nil
}

// Read reads and parses the manifest at path; a missing file is (nil, nil).
func Read(file string) (*Manifest, error) {
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	m, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return m, nil
}

// SafePath reports whether p is a clean relative slash path with no ".."
// element, so acting on it cannot leave the output folder.
func SafePath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || path.Clean(p) != p {
		return false
	}
	for _, el := range strings.Split(p, "/") {
		if el == ".." || el == "." || el == "" {
			return false
		}
	}
	return true
}

// FilesOf returns the files of one school, in path order.
func (m *Manifest) FilesOf(school string) []File {
	var out []File
	for _, f := range m.Files {
		if f.School == school {
			out = append(out, f)
		}
	}
	return out
}

// Index maps each school id to its entry and its files (in path order),
// for lookups in a loop over many schools.
type Index struct {
	Schools map[string]*School
	Files   map[string][]File
}

// Index builds the lookup maps; a nil manifest gives empty maps.
func (m *Manifest) Index() Index {
	ix := Index{Schools: map[string]*School{}, Files: map[string][]File{}}
	if m == nil {
		return ix
	}
	for i := range m.Schools {
		ix.Schools[m.Schools[i].ID] = &m.Schools[i]
	}
	for _, f := range m.Files {
		ix.Files[f.School] = append(ix.Files[f.School], f)
	}
	return ix
}

// School returns the school with id, or nil.
func (m *Manifest) School(id string) *School {
	for i := range m.Schools {
		if m.Schools[i].ID == id {
			return &m.Schools[i]
		}
	}
	return nil
}

// Merge combines shard manifests into one. They must come from one run:
// the same generator, as-of date and window, shard numbers 1..N of the same
// N each exactly once, and no school or file in two shards.
func Merge(parts []*Manifest) (*Manifest, error) {
	if len(parts) == 0 {
		return nil, errors.New("no shard manifests to merge")
	}
	first := parts[0]
	out := &Manifest{FormatVersion: FormatVersion, Generator: first.Generator, AsOf: first.AsOf, DueSoonDays: first.DueSoonDays}
	n := -1
	seenShard := map[int]bool{}
	schools := map[string]string{}
	files := map[string]string{}
	for _, p := range parts {
		var k, pn int
		if _, err := fmt.Sscanf(p.Shard, "%d/%d", &k, &pn); err != nil || k < 1 || k > pn {
			return nil, fmt.Errorf("manifest is not a shard's (shard %q)", p.Shard)
		}
		if n == -1 {
			n = pn
		}
		switch {
		case pn != n:
			return nil, fmt.Errorf("shard %s is not one of %d shards", p.Shard, n)
		case seenShard[k]:
			return nil, fmt.Errorf("shard %s given twice", p.Shard)
		case p.AsOf != first.AsOf:
			return nil, fmt.Errorf("shard %s was built as of %s, shard %s as of %s; build every shard with the same --as-of", p.Shard, p.AsOf, first.Shard, first.AsOf)
		case p.Generator != first.Generator:
			return nil, fmt.Errorf("shard %s was built by %s, shard %s by %s", p.Shard, p.Generator, first.Shard, first.Generator)
		case p.DueSoonDays != first.DueSoonDays:
			return nil, fmt.Errorf("shards %s and %s use different due-soon windows", p.Shard, first.Shard)
		}
		seenShard[k] = true
		for _, s := range p.Schools {
			if other, ok := schools[s.ID]; ok {
				return nil, fmt.Errorf("school %s is in shards %s and %s", s.ID, other, p.Shard)
			}
			schools[s.ID] = p.Shard
			out.Schools = append(out.Schools, s)
		}
		for _, f := range p.Files {
			if other, ok := files[f.Path]; ok {
				return nil, fmt.Errorf("file %s is in shards %s and %s", f.Path, other, p.Shard)
			}
			files[f.Path] = p.Shard
			out.Files = append(out.Files, f)
		}
	}
	var missing []string
	for k := 1; k <= n; k++ {
		if !seenShard[k] {
			missing = append(missing, fmt.Sprintf("%d/%d", k, n))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing shard(s) %s: merge needs the manifest of every shard", strings.Join(missing, ", "))
	}
	out.Sort()
	return out, nil
}
