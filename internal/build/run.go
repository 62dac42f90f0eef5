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
	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/coverage"
	"github.com/policypack/policypack/internal/dashboard"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/ident"
	"github.com/policypack/policypack/internal/manifest"
	"github.com/policypack/policypack/internal/policies"
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
	cat       *policies.Set
	templates string // templatesHash
	out       string // absolute output folder
	dir       *atomicfile.Dir
	progress  *reporter
}

// Run builds the packs and writes them under opts.OutDir, then the manifest
// and (unless sharded) the dashboard.
func Run(opts Options) (*Result, error) {
	sess, err := Open(opts)
	if err != nil {
		return nil, err
	}
	return runSession(sess, opts)
}

// runSession is Run after Open: everything it renders and records comes
// from what Open read, whatever happens to the files meanwhile.
func runSession(sess *Session, opts Options) (_ *Result, err error) {
	out, err := filepath.Abs(opts.OutDir)
	if err != nil {
		return nil, err
	}
	b := &builder{Session: sess, opts: opts, formats: sess.Formats, set: sess.Set, cat: sess.Templates, out: out,
		progress: newReporter(opts.Progress)}
	if b.templates, err = templatesHash(sess.Templates); err != nil {
		return nil, err
	}
	var created bool
	if b.dir, created, err = openOutput(out, opts.OutDir); err != nil {
		return nil, err
	}
	if created {
		// A build that fails before writing leaves no folder behind.
		defer func() {
			if err != nil {
				_ = os.Remove(out) // only if empty
			}
		}()
	}
	defer b.dir.Close()
	unlock, err := lock(b.dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	res, err := b.run()
	if err != nil {
		return nil, err
	}
	res.Warnings = sess.Warnings(res.Schools)
	return res, nil
}

func (b *builder) manifestPath() string {
	if b.opts.Shard.Whole() {
		return filepath.Join(b.out, manifest.Name)
	}
	return filepath.Join(b.out, manifest.ShardName(b.opts.Shard.K, b.opts.Shard.N))
}

// previous reads the last build's manifest and its time. A shard falls back
// to the whole build's manifest, so a local dist built whole can be rebuilt
// in shards. A manifest that cannot be read is an error: without it the
// build cannot tell its own files from anyone else's.
func (b *builder) previous() (*manifest.Manifest, time.Time, error) {
	for _, p := range []string{b.manifestPath(), filepath.Join(b.out, manifest.Name)} {
		rel := filepath.Base(p)
		st, err := b.dir.Root().Lstat(rel)
		if err != nil {
			continue
		}
		data, err := b.dir.Root().ReadFile(rel)
		var m *manifest.Manifest
		if err == nil && st.Mode().IsRegular() {
			m, err = manifest.Parse(data)
		} else if err == nil {
			err = errors.New("not a regular file")
		}
		if err != nil {
			return nil, time.Time{}, &diag.Error{File: filepath.Join(b.opts.OutDir, rel), Err: err, Msg: "is not a manifest policypack can read: " + err.Error(),
				Hint: "remove the output folder (or this file and the files it listed) and build again"}
		}
		return m, st.ModTime(), nil
	}
	return nil, time.Time{}, nil
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
		st, err := b.dir.Root().Lstat(filepath.FromSlash(f.Path))
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

// prevFiles lists the previous manifest's files (none on a first build).
func (p *plan) prevFiles() []manifest.File {
	if p.prev == nil {
		return nil
	}
	return p.prev.Files
}

// written is what rendering one school wrote: its files' manifest entries
// and, for each, whether its bytes changed.
type written struct {
	files   []manifest.File
	changed []bool
	failed  bool // rendering or writing stopped part way
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
	out, rerr := b.renderAll(p, docs)
	m := b.manifest(p, out, res)
	if rerr != nil {
		// Some schools' files are new, others old, others half-written:
		// record what is on disk now, so the manifest never vouches for a
		// file it did not check, and the failed schools rebuild next time.
		if err := b.writeManifest(m, res); err != nil {
			return res, errors.Join(rerr, err)
		}
		return res, rerr
	}
	// The manifest is written even if a removal failed: it lists only what
	// this build made or kept, so a stale file left behind shows as
	// present but not listed, never as vouched for.
	rmErr := b.removeStale(p, m, res)
	if err := b.writeManifest(m, res); err != nil {
		return res, errors.Join(rmErr, err)
	}
	return res, rmErr
}

// plan hashes every school's inputs and compares them with the previous
// manifest.
func (b *builder) plan() (*plan, error) {
	schools := b.set.Schools
	p := &plan{hashes: make([]string, len(schools)), todo: make([]bool, len(schools))}
	var err error
	if p.prev, p.prevTime, err = b.previous(); err != nil {
		return nil, err
	}
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
	docs := make([][]compose.Output, len(schools))
	var targets []string
	for i, j := 0, 0; i < len(schools); i++ {
		if !p.todo[i] {
			continue
		}
		if b.opts.Strict {
			docs[i] = composed[i] // every school was composed
		} else {
			docs[i] = composed[j]
		}
		j++
		for _, f := range b.PlanFiles(schools[i], docs[i], b.formats) {
			targets = append(targets, f.Path)
		}
	}
	if err := b.checkTargets(p, targets); err != nil {
		return nil, err
	}
	// Temporary files a killed build left must not be published; only
	// those beside files this build writes or wrote are ours to remove.
	for _, f := range p.prevFiles() {
		targets = append(targets, f.Path)
	}
	b.dir.SweepTemps(append(targets, IndexName, path.Base(b.manifestPath())))
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

// checkTargets refuses, before anything is written, to replace a file in
// the output folder that no previous build of policypack wrote: a file a
// person put there is never overwritten without being asked.
func (b *builder) checkTargets(p *plan, targets []string) error {
	ours := map[string]bool{}
	for _, f := range p.prevFiles() {
		ours[f.Path] = true
	}
	if p.prev != nil {
		ours[IndexName], ours[path.Base(b.manifestPath())] = true, true
	}
	if b.opts.Shard.Whole() {
		targets = append(targets, IndexName)
	}
	targets = append(targets, path.Base(b.manifestPath()))
	var errs diag.List
	for _, t := range targets {
		if ours[t] {
			continue
		}
		if _, err := b.dir.Root().Lstat(filepath.FromSlash(t)); err == nil {
			errs = append(errs, &diag.Error{File: filepath.Join(b.opts.OutDir, filepath.FromSlash(t)),
				Msg:  "already exists and no previous build of policypack wrote it (the manifest does not list it); not overwritten",
				Hint: "move the file out of the output folder, or build into another folder with --out"})
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
			out[i].failed = true
			return err
		}
		for _, f := range files {
			w, err := b.dir.Write(f.Path, f.Data, 0o644)
			if err != nil {
				out[i].failed = true
				return err
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
		if prev, ok := p.prevIx.Schools[s.ID]; ok && !p.todo[i] && !b.opts.Strict {
			// Not composed this time: its coverage is as last built.
			ms.Uncovered, ms.Deviations = prev.Uncovered, prev.Deviations
			for j := range ms.Policies {
				for _, pp := range prev.Policies {
					if pp.ID == ms.Policies[j].ID {
						ms.Policies[j].Deviations = pp.Deviations
					}
				}
			}
		}
		if p.todo[i] && out[i].failed {
			// List what was written and what of the old files is still
			// there unchanged; no input hash, so the school rebuilds.
			ms.InputHash = ""
			m.Schools = append(m.Schools, ms)
			m.Files = append(m.Files, out[i].files...)
			for j, f := range out[i].files {
				res.Files = append(res.Files, resultFile(f, out[i].changed[j]))
			}
			for _, f := range p.prevIx.Files[s.ID] {
				if !slices.ContainsFunc(out[i].files, func(g manifest.File) bool { return g.Path == f.Path }) && b.intact(f) {
					m.Files = append(m.Files, f)
				}
			}
			continue
		}
		m.Schools = append(m.Schools, ms)
		if p.todo[i] {
			m.Files = append(m.Files, out[i].files...)
			for j, f := range out[i].files {
				res.Files = append(res.Files, resultFile(f, out[i].changed[j]))
			}
			// A build of some formats (build --format md) leaves the
			// others' files as they are and listed: only a build that
			// makes a format may replace or remove its files. The school's
			// input hash names the formats, so the next build of every
			// format renders them all again.
			for _, f := range p.prevIx.Files[s.ID] {
				if !slices.Contains(b.formats, f.Format) && !slices.ContainsFunc(out[i].files, func(g manifest.File) bool { return g.Path == f.Path }) && b.intact(f) {
					m.Files = append(m.Files, f)
					res.Files = append(res.Files, resultFile(f, false))
				}
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
		if f.Path == manifest.Name || f.Path == IndexName {
			continue
		}
		removed, err := b.dir.Remove(f.Path)
		if err != nil {
			return err
		}
		if removed {
			res.Removed = append(res.Removed, f.Path)
		}
	}
	return nil
}

// intact reports whether a previous build's file is on disk with the size
// and sha256 its manifest entry records.
func (b *builder) intact(f manifest.File) bool {
	data, err := b.dir.Root().ReadFile(filepath.FromSlash(f.Path))
	if err != nil || int64(len(data)) != f.Size {
		return false
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]) == f.SHA256
}

// writeManifest writes the dashboard (unless sharded) and the manifest.
func (b *builder) writeManifest(m *manifest.Manifest, res *Result) error {
	changed := res.Written() > 0 || len(res.Removed) > 0
	if b.opts.Shard.Whole() {
		if err := writeDashboard(b.dir, m); err != nil {
			return err
		}
	}
	data, err := m.Marshal()
	if err != nil {
		return err
	}
	res.Manifest = b.manifestPath()
	w, err := b.dir.Write(path.Base(res.Manifest), data, 0o644)
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
	if err := verifyFiles(out, m); err != nil {
		return nil, err
	}
	dir, _, err := openOutput(out, out)
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	unlock, err := lock(dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := writeDashboard(dir, m); err != nil {
		return nil, err
	}
	data, err := m.Marshal()
	if err != nil {
		return nil, err
	}
	if _, err := dir.Write(manifest.Name, data, 0o644); err != nil {
		return nil, err
	}
	return m, nil
}

// writeDashboard writes index.html from m and records its checksum in m,
// so the manifest covers the dashboard too. m is sorted first: the
// dashboard lists a school's policies in the manifest's order, which must
// not depend on whether m came from a build or a merge of shards.
func writeDashboard(dir *atomicfile.Dir, m *manifest.Manifest) error {
	m.Sort()
	m.Dashboard = nil
	page, err := dashboard.Render(m)
	if err != nil {
		return err
	}
	if _, err := dir.Write(IndexName, page, 0o644); err != nil {
		return err
	}
	sum := sha256.Sum256(page)
	m.Dashboard = &manifest.Checksum{Size: int64(len(page)), SHA256: hex.EncodeToString(sum[:])}
	return nil
}

// Verify checks the output folder against its manifest: every file m
// lists (and the dashboard, when m records it) is there with the listed
// size and sha256, and no file is there that m does not list (besides the
// manifests themselves and the folder's placeholder). Every problem is
// reported.
func Verify(out string, m *manifest.Manifest) error {
	errs := []error{verifyFiles(out, m)}
	if m.Dashboard != nil {
		errs = append(errs, verifyOne(out, IndexName, m.Dashboard.Size, m.Dashboard.SHA256))
	}
	listed := map[string]bool{}
	for _, f := range m.Files {
		listed[f.Path] = true
	}
	if m.Dashboard != nil {
		listed[IndexName] = true
	}
	var extra []string
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(out, p)
		rel = filepath.ToSlash(rel)
		if listed[rel] || ignored(rel) {
			return nil
		}
		extra = append(extra, rel)
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	for _, rel := range extra {
		errs = append(errs, fmt.Errorf("%s: present but not listed in the manifest", rel))
	}
	return errors.Join(errs...)
}

// ignored reports the files of an output folder that are not published
// documents: the manifests, the placeholder that keeps dist/ in git, and
// the build lock.
func ignored(rel string) bool {
	if rel == manifest.Name || rel == placeholder || rel == lockName {
		return true
	}
	return !strings.Contains(rel, "/") && shardManifestRe.MatchString(rel)
}

// verifyFiles checks every file m lists.
func verifyFiles(out string, m *manifest.Manifest) error {
	var errs []error
	for _, f := range m.Files {
		errs = append(errs, verifyOne(out, f.Path, f.Size, f.SHA256))
	}
	return errors.Join(errs...)
}

func verifyOne(out, rel string, size int64, sha string) error {
	root, err := os.OpenRoot(out)
	if err != nil {
		return err
	}
	defer root.Close()
	st, err := root.Lstat(filepath.FromSlash(rel))
	if err == nil && !st.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file", rel)
	}
	data, err := root.ReadFile(filepath.FromSlash(rel))
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	sum := sha256.Sum256(data)
	if int64(len(data)) != size || hex.EncodeToString(sum[:]) != sha {
		return fmt.Errorf("%s: size or sha256 differs from the manifest", rel)
	}
	return nil
}
