// Package history compares a school's policy at two revisions of the trust's
// git repository: by default the commit that last recorded its approval and
// the working tree. It composes each side exactly as a build does and hands
// the two documents to the redline; `diff` only chooses the format and
// writes the result.
package history

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/policypack/policypack/internal/build"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/gitrepo"
	"github.com/policypack/policypack/internal/markdown"
	"github.com/policypack/policypack/internal/policies"
	"github.com/policypack/policypack/internal/redline"
)

// Options say which school's policy to compare between which revisions.
type Options struct {
	SchoolsDir   string
	TemplatesDir string // "" for the built-in templates only
	ID           string // the school
	Policy       string // "" for the only policy of the templates
	From         string // "" for the commit of the last approval
	To           string // "" for the working tree
	AsOf         config.Date
	Version      string    // the program's version, as build records it
	SourceDate   time.Time // SOURCE_DATE_EPOCH, as build takes it; zero for none
}

// RevisionError is a --from or --to that names no commit: a usage problem,
// not a problem with the trust's files.
type RevisionError struct{ Err error }

func (e *RevisionError) Error() string { return e.Err.Error() }
func (e *RevisionError) Unwrap() error { return e.Err }

// PolicyChoiceError is a missing --policy where the school has several
// policies (School set) or, when the school cannot be read now, the
// templates have. A redline is one policy's: diff compares one at a time, and
// names the choices rather than guessing.
type PolicyChoiceError struct {
	School string
	IDs    []string
}

func (e *PolicyChoiceError) Error() string {
	if e.School != "" {
		return fmt.Sprintf("--policy is required: %s has %d policies (%s)", e.School, len(e.IDs), strings.Join(e.IDs, ", "))
	}
	return fmt.Sprintf("--policy is required: the templates have %d policies (%s)", len(e.IDs), strings.Join(e.IDs, ", "))
}

// Compare returns the redline of the policy between the two revisions, with
// its From and To labels set, and the policy id compared.
func Compare(o Options) (*redline.Redline, string, error) {
	// The school must exist now (or have existed): say so plainly rather
	// than that no commit approved it.
	if _, err := os.Stat(filepath.Join(o.SchoolsDir, o.ID+".toml")); err != nil && o.From == "" {
		if _, lerr := build.OpenReviews(build.Options{SchoolsDir: o.SchoolsDir, TemplatesDir: o.TemplatesDir, IDs: []string{o.ID}, AsOf: o.AsOf}); lerr != nil {
			return nil, "", lerr
		}
	}
	repo, err := gitrepo.OpenRepo(existingDir(o.SchoolsDir))
	if err != nil {
		return nil, "", err
	}
	schoolsRel, err := repo.Rel(o.SchoolsDir)
	if err != nil {
		return nil, "", err
	}
	templatesRel := ""
	if o.TemplatesDir != "" {
		if templatesRel, err = repo.Rel(o.TemplatesDir); err != nil {
			return nil, "", err
		}
	}
	policy := o.Policy
	if policy == "" {
		cat, err := policies.Open(o.TemplatesDir)
		if err != nil {
			return nil, "", err
		}
		// The school's own policies when it can be read now (a policy it
		// switched off is no choice); else every policy of the policies.
		has := func(string) bool { return true }
		school := ""
		if sess, err := build.OpenReviews(build.Options{SchoolsDir: o.SchoolsDir, TemplatesDir: o.TemplatesDir, IDs: []string{o.ID}, AsOf: o.AsOf}); err == nil {
			has, school = sess.Set.Schools[0].Has, o.ID
		}
		var ids []string
		for _, p := range cat.Policies {
			if has(p.ID) {
				ids = append(ids, p.ID)
			}
		}
		if len(ids) != 1 {
			return nil, "", &PolicyChoiceError{School: school, IDs: ids}
		}
		policy = ids[0]
	}

	var from, fromLabel string
	if o.From == "" {
		commit, approved, err := repo.LastApproval(schoolsRel, o.ID, policy)
		if err != nil {
			return nil, "", err
		}
		if commit == "" {
			return nil, "", &diag.Error{File: path.Join(schoolsRel, o.ID+".toml"), Msg: fmt.Sprintf("no commit sets policies.%s.approved_on", policy),
				Hint: "record the approval date in the config and commit it, or pass --from REV (e.g. --from HEAD~1)"}
		}
		from, fromLabel = commit, fmt.Sprintf("approved %s (%s)", approvedDate(approved), repo.Describe(commit))
	} else {
		if from, err = repo.Resolve(o.From); err != nil {
			return nil, "", &RevisionError{err}
		}
		fromLabel = repo.Describe(from)
	}
	older, err := o.renderAt(repo, from, schoolsRel, templatesRel, policy)
	if err != nil {
		return nil, "", err
	}
	var newer *markdown.Document
	toLabel := "working tree (uncommitted changes included)"
	if o.To != "" {
		to, err := repo.Resolve(o.To)
		if err != nil {
			return nil, "", &RevisionError{err}
		}
		toLabel = repo.Describe(to)
		if newer, err = o.renderAt(repo, to, schoolsRel, templatesRel, policy); err != nil {
			return nil, "", err
		}
	} else if newer, err = o.render(o.SchoolsDir, o.TemplatesDir, policy); err != nil {
		return nil, "", err
	}
	rl := redline.Compare(older, newer)
	rl.From, rl.To = fromLabel, toLabel
	return rl, policy, nil
}

// existingDir is dir if it exists, else the current folder: with --to REV
// the schools folder may not exist in the working tree.
func existingDir(dir string) string {
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return dir
	}
	return "."
}

func approvedDate(s string) string {
	if d, err := config.ParseDate(strings.TrimSpace(s)[:min(10, len(strings.TrimSpace(s)))]); err == nil {
		return d.String()
	}
	return s
}

// renderAt composes the policy as the repository held it at commit, from a
// temporary copy of the schools (and templates) folders that is removed
// before returning.
func (o Options) renderAt(repo *gitrepo.Repo, commit, schoolsRel, templatesRel, policy string) (*markdown.Document, error) {
	dir, cleanup, err := repo.Extract(commit, schoolsRel, templatesRel)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	tmpl := ""
	if templatesRel != "" {
		tmpl = filepath.Join(dir, filepath.FromSlash(templatesRel))
	}
	doc, err := o.render(filepath.Join(dir, filepath.FromSlash(schoolsRel)), tmpl, policy)
	if err != nil {
		// Name the revision rather than the temporary folder.
		msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
		return nil, fmt.Errorf("at %s:\n%s", repo.Describe(commit), msg)
	}
	return doc, nil
}

// render composes one school's policy exactly as build does.
func (o Options) render(schoolsDir, templatesDir, policy string) (*markdown.Document, error) {
	_, _, docs, err := build.Prepare(build.Options{SchoolsDir: schoolsDir, TemplatesDir: templatesDir, IDs: []string{o.ID}, AsOf: o.AsOf, Version: o.Version, SourceDate: o.SourceDate})
	if err != nil {
		return nil, err
	}
	for _, d := range docs[o.ID] {
		if d.Kind == "policy" && d.ID == policy {
			return markdown.Parse(d.Markdown, d.Meta), nil
		}
	}
	return nil, fmt.Errorf("%s: no policy %q in the templates", o.ID, policy)
}
