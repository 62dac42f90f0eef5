package build

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/policypack/policypack/internal/catalog"
	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/dashboard"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/ident"
	"github.com/policypack/policypack/internal/manifest"
	"github.com/policypack/policypack/internal/review"
)

// IndexName is the dashboard's file name in the output folder.
const IndexName = "index.html"

// builder is one Run's state.
type builder struct {
	*Session
	opts      Options
	formats   []string
	set       *config.Set
	cat       *catalog.Catalog
	templates string // templatesHash
	cache     fileCache
	out       string // absolute output folder
	progress  *reporter
}

// Run builds the packs and writes them under opts.OutDir, then the manifest
// and (unless sharded) the dashboard.
func Run(opts Options) (*Result, error) {
	sess, err := Open(opts)
	if err != nil {
		return nil, err
	}
	out, err := filepath.Abs(opts.OutDir)
	if err != nil {
		return nil, err
	}
	b := &builder{Session: sess, opts: opts, formats: sess.Formats, set: sess.Set, cat: sess.Catalog, out: out,
		progress: newReporter(opts.Progress)}
	if b.templates, err = templatesHash(sess.Catalog); err != nil {
		return nil, err
	}
	return b.run()
}

func (b *builder) manifestPath() string {
	if b.opts.Shard.Whole() {
		return filepath.Join(b.out, manifest.Name)
	}
	return filepath.Join(b.out, manifest.ShardName(b.opts.Shard.K, b.opts.Shard.N))
}

// previous reads the last build's manifest and its time. A shard falls back
// to the whole build's manifest, so a local dist built whole can be rebuilt
// in shards. An unreadable manifest is ignored (a full build, no removals).
func (b *builder) previous() (*manifest.Manifest, time.Time) {
	for _, p := range []string{b.manifestPath(), filepath.Join(b.out, manifest.Name)} {
		st, err := os.Stat(p)
		if err != nil {
			continue
		}
		m, err := manifest.Read(p)
		if err != nil {
			b.progress.printf("ignoring the previous manifest: %v\n", err)
			return nil, time.Time{}
		}
		if m != nil {
			return m, st.ModTime()
		}
	}
	return nil, time.Time{}
}

// unchanged reports whether school id's previous files can be kept: same
// input hash, and every file still there, the same size and not modified
// since the manifest was written.
func (b *builder) unchanged(prev manifest.Index, prevTime time.Time, id, hash string) bool {
	ps := prev.Schools[id]
	if ps == nil || ps.InputHash != hash || programID() == "" {
		return false
	}
	files := prev.Files[id]
	if len(files) == 0 {
		return false
	}
	for _, f := range files {
		st, err := os.Lstat(filepath.Join(b.out, filepath.FromSlash(f.Path)))
		if err != nil || !st.Mode().IsRegular() || st.Size() != f.Size || st.ModTime().After(prevTime) {
			return false
		}
	}
	return true
}

func (b *builder) run() (*Result, error) {
	schools := b.set.Schools
	prev, prevTime := b.previous()
	prevIx := prev.Index()

	// Decide which schools need work.
	hashes := make([]string, len(schools))
	todo := make([]bool, len(schools))
	var work []*config.School
	for i, s := range schools {
		h, err := b.inputHash(s)
		if err != nil {
			return nil, err
		}
		hashes[i] = h
		if !b.unchanged(prevIx, prevTime, s.ID, h) {
			todo[i] = true
			work = append(work, s)
		}
	}

	// Compose everything that needs it before writing anything. docs is
	// indexed like schools; each school's documents are dropped once
	// rendered, so memory falls as the build goes.
	if len(schools) > 0 {
		b.progress.printf("building %d school(s) into %s: %d to render, %d unchanged\n", len(schools), b.opts.OutDir, len(work), len(schools)-len(work))
	}
	composed, err := b.composeAll(work)
	if err != nil {
		return nil, err
	}
	removeStrayTemps(b.out)
	docs := make([][]compose.Output, len(schools))
	for i, j := 0, 0; i < len(schools); i++ {
		if todo[i] {
			docs[i] = composed[j]
			j++
		}
	}
	composed = nil

	res := &Result{Schools: schools, Rendered: len(work), Skipped: len(schools) - len(work)}

	// Render and write school by school, on all cores, keeping only hashes
	// in memory.
	written := make([][]manifest.File, len(schools))
	wflags := make([][]bool, len(schools))
	b.progress.expect(len(work))
	errs := parallel(len(schools), func(i int) error {
		s := schools[i]
		if !todo[i] {
			return nil
		}
		files, err := RenderSchool(s, docs[i], b.formats, b.set.Dir, b.reports...)
		docs[i] = nil
		if err != nil {
			return err
		}
		for _, f := range files {
			path := filepath.Join(b.out, filepath.FromSlash(f.Path))
			if err := ensureWithin(b.out, path); err != nil {
				return err
			}
			w, err := writeFile(path, f.Data)
			if err != nil {
				return fmt.Errorf("writing %s: %w", path, err)
			}
			written[i] = append(written[i], b.fileEntry(s, f))
			wflags[i] = append(wflags[i], w)
		}
		b.progress.rendered()
		return nil
	})
	if err := errors.Join(errs...); err != nil {
		return res, err
	}

	// The new manifest: this build's schools, plus (when only some ids were
	// asked for) the previous manifest's other schools, untouched.
	m := &manifest.Manifest{
		FormatVersion: manifest.FormatVersion, Generator: b.Composer.Creator, AsOf: b.opts.AsOf.ISO(),
		DueSoonDays: review.DefaultWindowDays, Shard: b.opts.Shard.String(),
	}
	inScope := map[string]bool{}
	for i, s := range schools {
		inScope[s.ID] = true
		m.Schools = append(m.Schools, manifest.School{ID: s.ID, Name: s.Name, InputHash: hashes[i], Policies: b.policies(s)})
		if todo[i] {
			m.Files = append(m.Files, written[i]...)
			for j, f := range written[i] {
				res.Files = append(res.Files, resultFile(f, wflags[i][j]))
			}
			continue
		}
		for _, f := range prevIx.Files[s.ID] {
			m.Files = append(m.Files, f)
			res.Files = append(res.Files, resultFile(f, false))
		}
	}
	if prev != nil {
		for _, ps := range prev.Schools {
			if inScope[ps.ID] || !b.opts.Shard.Has(ps.ID) {
				continue
			}
			if len(b.opts.IDs) > 0 {
				// Not asked for this time: keep it as it was, re-judging its
				// review state against this build's as-of date.
				ps.Policies = rejudge(ps.Policies, b.opts.AsOf)
				m.Schools = append(m.Schools, ps)
				m.Files = append(m.Files, prevIx.Files[ps.ID]...)
			}
			// Otherwise its config is gone and its files go below.
		}
	}

	// Remove files the previous manifest lists that this one does not.
	if prev != nil {
		keep := map[string]bool{}
		for _, f := range m.Files {
			keep[f.Path] = true
		}
		for _, f := range prev.Files {
			if keep[f.Path] || !b.opts.Shard.Has(f.School) {
				continue
			}
			if !ownFile(f, b.reports) {
				continue
			}
			removed, err := removeStale(b.out, f.Path)
			if err != nil {
				return res, err
			}
			if removed {
				res.Removed = append(res.Removed, f.Path)
			}
		}
	}
	changed := res.Written() > 0 || len(res.Removed) > 0

	if b.opts.Shard.Whole() {
		page, err := dashboard.Render(m)
		if err != nil {
			return res, err
		}
		if _, err := writeFile(filepath.Join(b.out, IndexName), page); err != nil {
			return res, err
		}
	}
	data, err := m.Marshal()
	if err != nil {
		return res, err
	}
	res.Manifest = b.manifestPath()
	w, err := writeFile(res.Manifest, data)
	if err != nil {
		return res, err
	}
	if !w && changed {
		// The manifest's time marks when its files were last checked; files
		// rewritten now must not look newer than it on the next build.
		now := time.Now()
		if err := os.Chtimes(res.Manifest, now, now); err != nil {
			return res, err
		}
	}
	return res, nil
}

func resultFile(f manifest.File, written bool) File {
	return File{School: f.School, Policy: f.Policy, Doc: f.Document, Kind: f.Kind, Format: f.Format,
		Path: f.Path, Size: int(f.Size), SHA256: f.SHA256, Written: written}
}

func (b *builder) fileEntry(s *config.School, f RenderedFile) manifest.File {
	sum := sha256.Sum256(f.Data)
	e := manifest.File{Path: f.Path, School: f.School, Policy: f.Policy, Document: f.Doc, Kind: f.Kind,
		Title: f.Title, Format: f.Format, Size: int64(len(f.Data)), SHA256: hex.EncodeToString(sum[:])}
	if f.Policy != "" {
		pc := s.Policies[f.Policy]
		e.Version, e.ApprovedOn, e.LastReviewed = pc.Version, pc.ApprovedOn.ISO(), pc.LastReviewed.ISO()
		e.NextReview = review.Next(pc).ISO()
	}
	return e
}

// policies is the school's review position for every policy in the catalog.
func (b *builder) policies(s *config.School) []manifest.Policy {
	var out []manifest.Policy
	for _, it := range review.Items([]*config.School{s}, b.catalogPolicies(), b.opts.AsOf, review.DefaultWindowDays) {
		out = append(out, manifest.Policy{
			ID: it.Policy, Title: it.PolicyTitle, Version: it.Version, ApprovedBy: it.ApprovedBy,
			ApprovedOn: it.ApprovedOn.ISO(), LastReviewed: it.LastReviewed.ISO(), NextReview: it.Next.ISO(),
			Review: string(it.State), Days: it.Days,
		})
	}
	return out
}

func (b *builder) catalogPolicies() []review.Policy {
	var ps []review.Policy
	for _, p := range b.cat.Policies {
		ps = append(ps, review.Policy{ID: p.ID, Title: p.Title})
	}
	return ps
}

// rejudge recomputes review states from the recorded next review dates.
func rejudge(ps []manifest.Policy, asOf config.Date) []manifest.Policy {
	out := slices.Clone(ps)
	for i := range out {
		out[i].Review, out[i].Days = string(review.Unknown), 0
		if next, err := config.ParseDate(out[i].NextReview); err == nil {
			st := review.Of(config.PolicyConfig{NextReview: next}, asOf, review.DefaultWindowDays)
			out[i].Review, out[i].Days = string(st.State), st.Days
		}
	}
	return out
}

// ownFile reports whether a previous manifest's entry looks like a file a
// build writes: under its school's folder, with a format's or a report's
// extension. A hand-edited or foreign manifest cannot make the build delete
// anything else (a config, a README) even with --out pointed at a
// repository's root.
func ownFile(f manifest.File, reports []Report) bool {
	if !ident.Valid(f.School) || !strings.HasPrefix(f.Path, f.School+"/") {
		return false
	}
	ext := strings.TrimPrefix(path.Ext(f.Path), ".")
	if _, ok := renderers[ext]; ok {
		return true
	}
	return slices.ContainsFunc(reports, func(r Report) bool { return f.Path == f.School+"/"+r.ID+"."+r.Format })
}

// removeStale removes one file a previous build wrote, and any folders it
// leaves empty up to (not including) out. It only ever removes regular
// files inside out, never follows a link, and a missing file is fine.
func removeStale(out, rel string) (bool, error) {
	if !manifest.SafePath(rel) || rel == manifest.Name || rel == IndexName {
		return false, nil
	}
	path := filepath.Join(out, filepath.FromSlash(rel))
	if !within(out, path) {
		return false, nil
	}
	st, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !st.Mode().IsRegular() {
		return false, nil
	}
	if err := os.Remove(path); err != nil {
		return false, fmt.Errorf("removing stale %s: %w", path, err)
	}
	for dir := filepath.Dir(path); dir != out && within(out, dir); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil { // fails unless empty: that is the point
			break
		}
	}
	return true, nil
}

// Merge combines the shard manifests in out (manifest-K-of-N.json, written
// by `build --shard K/N` into one folder) into out/manifest.json and
// out/index.html. The shard manifests are left in place, so merging again
// gives the same result.
func Merge(out string) (*manifest.Manifest, error) {
	paths, err := filepath.Glob(filepath.Join(out, "manifest-*-of-*.json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, &diag.Error{File: out, Msg: "no shard manifests (manifest-K-of-N.json)", Hint: "build with --shard K/N into this folder first, or copy every shard's output here"}
	}
	slices.Sort(paths)
	var parts []*manifest.Manifest
	for _, p := range paths {
		m, err := manifest.Read(p)
		if err != nil {
			return nil, err
		}
		parts = append(parts, m)
	}
	m, err := manifest.Merge(parts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", out, err)
	}
	if err := Verify(out, m); err != nil {
		return nil, err
	}
	page, err := dashboard.Render(m)
	if err != nil {
		return nil, err
	}
	if _, err := writeFile(filepath.Join(out, IndexName), page); err != nil {
		return nil, err
	}
	data, err := m.Marshal()
	if err != nil {
		return nil, err
	}
	if _, err := writeFile(filepath.Join(out, manifest.Name), data); err != nil {
		return nil, err
	}
	return m, nil
}

// Verify checks that every file m lists is in out with the listed size and
// sha256, and reports every mismatch.
func Verify(out string, m *manifest.Manifest) error {
	var errs []error
	for _, f := range m.Files {
		data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(f.Path)))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f.Path, err))
			continue
		}
		sum := sha256.Sum256(data)
		if int64(len(data)) != f.Size || hex.EncodeToString(sum[:]) != f.SHA256 {
			errs = append(errs, fmt.Errorf("%s: size or sha256 differs from the manifest", f.Path))
		}
	}
	return errors.Join(errs...)
}

// strayTempRe matches the temporary files writeFile creates beside their
// targets (".online-safety.pdf.tmp-123456").
var strayTempRe = regexp.MustCompile(`^\..+\.tmp-\d+$`)

// removeStrayTemps removes temporary files an interrupted build (killed
// between writing and renaming) left in the output folder, so they are not
// published with the packs. Only names writeFile makes are touched.
func removeStrayTemps(out string) {
	_ = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if !d.IsDir() && d.Type().IsRegular() && strayTempRe.MatchString(d.Name()) {
			_ = os.Remove(p)
		}
		return nil
	})
}
