package build

import (
	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/coverage"
	"github.com/policypack/policypack/internal/manifest"
	"github.com/policypack/policypack/internal/review"
)

// The manifest's entries are made here, for the build and for the preview
// server alike, so the dashboard of a preview lists what a build would
// write, in the same words.

// NewManifest is an empty manifest of this session: program, as-of date
// and review window. The caller adds schools and files.
func (sess *Session) NewManifest() *manifest.Manifest {
	creator := ""
	if sess.Composer != nil {
		creator = sess.Composer.Creator
	}
	return &manifest.Manifest{FormatVersion: manifest.FormatVersion, Generator: creator,
		AsOf: sess.Opts.AsOf.ISO(), DueSoonDays: review.DefaultWindowDays}
}

// ManifestSchool is a school's manifest entry: its name and the review
// position of every policy in the policy set, judged at the session's as-of
// date. The build adds the input hash.
func (sess *Session) ManifestSchool(s *config.School) manifest.School {
	ms := manifest.School{ID: s.ID, Name: s.Name}
	for _, it := range review.Items([]*config.School{s}, sess.ReviewPolicies(), sess.Opts.AsOf, review.DefaultWindowDays) {
		ms.Policies = append(ms.Policies, manifest.Policy{
			ID: it.Policy, Title: it.PolicyTitle, Version: it.Version, ApprovedBy: it.ApprovedBy,
			ApprovedOn: it.ApprovedOn.ISO(), LastReviewed: it.LastReviewed.ISO(), NextReview: it.Next.ISO(),
			Review: string(it.State), Days: it.Days,
		})
	}
	if rep, ok := sess.coverage.Load(s.ID); ok {
		ms.Uncovered = rep.(*coverage.Report).Summary.Uncovered
	}
	if n, ok := sess.devs.Load(s.ID); ok {
		byPolicy := n.(map[string]int)
		for i := range ms.Policies {
			ms.Policies[i].Deviations = byPolicy[ms.Policies[i].ID]
		}
		for _, c := range byPolicy {
			ms.Deviations += c
		}
	}
	return ms
}

// ReviewPolicies lists the policy set's policies, in order, as review judges
// them.
func (sess *Session) ReviewPolicies() []review.Policy {
	var ps []review.Policy
	for _, p := range sess.Templates.Policies {
		ps = append(ps, review.Policy{ID: p.ID, Title: p.Title})
	}
	return ps
}

// PlanFiles lists the manifest entries of the files RenderSchool makes of a
// school's documents in formats, its pack, and of the session's reports, in the same
// order, without rendering anything: every field but size and sha256.
func (sess *Session) PlanFiles(s *config.School, docs []compose.Output, formats []string) []manifest.File {
	var out []manifest.File
	for _, o := range docs {
		for _, f := range formats {
			out = append(out, manifestFile(s, docFile(s, o, f)))
		}
	}
	if hasPack(formats) && len(docs) > 0 {
		out = append(out, manifestFile(s, packFile(s)))
	}
	for _, r := range sess.reports {
		out = append(out, manifestFile(s, reportFile(s, r)))
	}
	return out
}

// manifestFile is a file's manifest entry without its size and hash: a
// policy's files carry its version and review dates.
func manifestFile(s *config.School, f RenderedFile) manifest.File {
	e := manifest.File{Path: f.Path, School: f.School, Policy: f.Policy, Document: f.Doc, Kind: f.Kind,
		Title: f.Title, Format: f.Format}
	if f.Policy != "" {
		pc := s.Policies[f.Policy]
		e.Version, e.ApprovedOn, e.LastReviewed = pc.Version, pc.ApprovedOn.ISO(), pc.LastReviewed.ISO()
		e.NextReview = review.Next(pc).ISO()
	}
	return e
}
