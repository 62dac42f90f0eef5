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
	"slices"
	"strings"
	"time"

	"github.com/policypack/policypack/internal/atomicfile"
	"github.com/policypack/policypack/internal/catalog"
	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/coverage"
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

// plan is what a build decides before it writes anything: the previous
// build's manifest, and for each school in scope (indexed like
// b.set.Schools) its input hash and whether it must be rendered again.
type plan struct {
	prev     *manifest.Manifest // nil for a first build
	prevIx   manifest.Index
	prevTime time.Time
	hashes   []string
	todo     []bool
	work     []*config.School // the schools with todo set, in order
}

// written is what rendering one school wrote: its files' manifest entries
// and, for each, whether its bytes changed.
type written struct {
	files   []manifest.File
	changed []bool
}

func (b *builder) run() (*Result, error) {
	p, err := b.plan()
	if err != nil {
		return nil, err
	}
	docs, err := b.compose(p)
	if err != nil {
		return nil, err
	}
	schools := b.set.Schools
	res := &Result{Schools: schools, Rendered: len(p.work), Skipped: len(schools) - len(p.work)}
	out, err := b.renderAll(p, docs)
	if err != nil {
		return res, err
	}
	m := b.manifest(p, out, res)
	if err := b.removeStale(p, m, res); err != nil {
		return res, err
	}
	return res, b.writeManifest(m, res)
}

// plan hashes every school's inputs and compares them with the previous
// manifest.
func (b *builder) plan() (*plan, error) {
	schools := b.set.Schools
	p := &plan{hashes: make([]string, len(schools)), todo: make([]bool, len(schools))}
	p.prev, p.prevTime = b.previous()
	p.prevIx = p.prev.Index()
	for i, s := range schools {
		h, err := b.inputHash(s)
		if err != nil {
			return nil, err
		}
		p.hashes[i] = h
		if !b.unchanged(p.prevIx, p.prevTime, s.ID, h) {
			p.todo[i] = true
			p.work = append(p.work, s)
		}
	}
	return p, nil
}

// compose composes every school that needs it before anything is written,
// returning the documents indexed like b.set.Schools (nil for a school
// kept as it was).
func (b *builder) compose(p *plan) ([][]compose.Output, error) {
	schools := b.set.Schools
	if len(schools) > 0 {
		b.progress.printf("building %d school(s) into %s: %d to render, %d unchanged\n", len(schools), b.opts.OutDir, len(p.work), len(schools)-len(p.work))
	}
	// --strict judges every school, not only those to render: an
	// unchanged school's coverage is composed again to be checked.
	work := p.work
	if b.opts.Strict {
		work = schools
	}
	composed, err := b.composeAll(work)
	if err != nil {
		return nil, err
	}
	if b.opts.Strict {
		if err := b.strictCoverage(schools); err != nil {
			return nil, err
		}
	}
	// Temporary files a killed build left must not be published.
	atomicfile.RemoveStale(b.out)
	docs := make([][]compose.Output, len(schools))
	for i, j := 0, 0; i < len(schools); i++ {
		switch {
		case b.opts.Strict:
			if p.todo[i] {
				docs[i] = composed[i]
			}
		case p.todo[i]:
			docs[i] = composed[j]
			j++
		}
	}
	return docs, nil
}

// strictCoverage fails, under --strict, on any school with an uncovered
// statutory requirement: --strict makes every warning an error, in build
// as in check and coverage.
func (b *builder) strictCoverage(schools []*config.School) error {
	var errs diag.List
	for _, s := range schools {
		rep, ok := b.coverage.Load(s.ID)
		if !ok {
			continue
		}
		if sum := rep.(*coverage.Report).Summary; sum.Uncovered > 0 {
			errs = append(errs, &diag.Error{File: s.Source.File(), Msg: fmt.Sprintf("%d of %d statutory requirement(s) uncovered (--strict)", sum.Uncovered, sum.Applicable),
				Hint: fmt.Sprintf("`policypack coverage %s` lists them and why — or run without --strict", s.ID)})
		}
	}
	return errs.Err()
}

// renderAll renders and writes school by school, on all cores. Each
// school's documents are dropped once rendered, so memory falls as the
// build goes and only hashes stay.
func (b *builder) renderAll(p *plan, docs [][]compose.Output) ([]written, error) {
	schools := b.set.Schools
	out := make([]written, len(schools))
	b.progress.expect(len(p.work))
	errs := parallel(len(schools), func(i int) error {
		if !p.todo[i] {
			return nil
		}
		files, err := b.RenderSchool(schools[i], docs[i], b.formats)
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
			out[i].files = append(out[i].files, b.fileEntry(schools[i], f))
			out[i].changed = append(out[i].changed, w)
		}
		b.progress.rendered()
		return nil
	})
	return out, errors.Join(errs...)
}

// manifest is the new manifest: this build's schools, plus (when only some
// ids were asked for) the previous manifest's other schools, untouched. It
// lists res.Files as it goes.
func (b *builder) manifest(p *plan, out []written, res *Result) *manifest.Manifest {
	m := b.NewManifest()
	m.Shard = b.opts.Shard.String()
	inScope := map[string]bool{}
	for i, s := range b.set.Schools {
		inScope[s.ID] = true
		ms := b.ManifestSchool(s)
		ms.InputHash = p.hashes[i]
		m.Schools = append(m.Schools, ms)
		if p.todo[i] {
			m.Files = append(m.Files, out[i].files...)
			for j, f := range out[i].files {
				res.Files = append(res.Files, resultFile(f, out[i].changed[j]))
			}
			continue
		}
		for _, f := range p.prevIx.Files[s.ID] {
			m.Files = append(m.Files, f)
			res.Files = append(res.Files, resultFile(f, false))
		}
	}
	if p.prev == nil || len(b.opts.IDs) == 0 {
		// Without ids a school missing from this build has lost its
		// config, and its files go (removeStale).
		return m
	}
	for _, ps := range p.prev.Schools {
		if inScope[ps.ID] || !b.opts.Shard.Has(ps.ID) {
			continue
		}
		// Not asked for this time: keep it as it was, re-judging its
		// review state against this build's as-of date.
		ps.Policies = rejudge(ps.Policies, b.opts.AsOf)
		m.Schools = append(m.Schools, ps)
		m.Files = append(m.Files, p.prevIx.Files[ps.ID]...)
	}
	return m
}

// removeStale removes the files the previous manifest lists and m does
// not, adding them to res.Removed.
func (b *builder) removeStale(p *plan, m *manifest.Manifest, res *Result) error {
	if p.prev == nil {
		return nil
	}
	keep := map[string]bool{}
	for _, f := range m.Files {
		keep[f.Path] = true
	}
	for _, f := range p.prev.Files {
		if keep[f.Path] || !b.opts.Shard.Has(f.School) || !ownFile(f, b.reports) {
			continue
		}
		removed, err := removeStale(b.out, f.Path)
		if err != nil {
			return err
		}
		if removed {
			res.Removed = append(res.Removed, f.Path)
		}
	}
	return nil
}

// writeManifest writes the dashboard (unless sharded) and the manifest.
func (b *builder) writeManifest(m *manifest.Manifest, res *Result) error {
	changed := res.Written() > 0 || len(res.Removed) > 0
	if b.opts.Shard.Whole() {
		page, err := dashboard.Render(m)
		if err != nil {
			return err
		}
		if _, err := writeFile(filepath.Join(b.out, IndexName), page); err != nil {
			return err
		}
	}
	data, err := m.Marshal()
	if err != nil {
		return err
	}
	res.Manifest = b.manifestPath()
	w, err := writeFile(res.Manifest, data)
	if err != nil {
		return err
	}
	if !w && changed {
		// The manifest's time marks when its files were last checked; files
		// rewritten now must not look newer than it on the next build.
		now := time.Now()
		if err := os.Chtimes(res.Manifest, now, now); err != nil {
			return err
		}
	}
	return nil
}

func resultFile(f manifest.File, written bool) File {
	return File{School: f.School, Policy: f.Policy, Doc: f.Document, Kind: f.Kind, Format: f.Format,
		Path: f.Path, Size: int(f.Size), SHA256: f.SHA256, Written: written}
}

// fileEntry is a written file's manifest entry: what the session says of
// it, plus its size and hash.
func (b *builder) fileEntry(s *config.School, f RenderedFile) manifest.File {
	e := manifestFile(s, f)
	sum := sha256.Sum256(f.Data)
	e.Size, e.SHA256 = int64(len(f.Data)), hex.EncodeToString(sum[:])
	return e
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
