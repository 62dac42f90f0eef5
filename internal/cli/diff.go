package cli

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/policypack/policypack/internal/build"
	"github.com/policypack/policypack/internal/catalog"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/gitrepo"
	"github.com/policypack/policypack/internal/markdown"
	"github.com/policypack/policypack/internal/redline"
)

// DiffOptions are the flags of `policypack diff`.
type DiffOptions struct {
	IO           IO
	SchoolsDir   string
	TemplatesDir string
	ID           string
	Policy       string
	From         string
	To           string
	Worktree     bool
	Format       string
	Out          string
	AsOf         string
}

var diffFormats = []string{"html", "pdf", "md"}

func newDiffCmd(io IO) *cobra.Command {
	opts := &DiffOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "diff SCHOOL-ID",
		Short: "Redline of a school's policy between two commits (default: since its last approval)",
		Long: `Diff renders the school's policy at two git revisions of the trust repository and
writes a redline for governors: inserted words underlined, deleted words struck
through, unchanged sections collapsed to their headings, and a summary such as
"3 sections changed, 1 added". It compares the rendered text, so a change to a
shared template shows in every school it affects.

By default it compares the last commit that changed the school's approved_on for
the policy (in its own file, the organisation file it extends or _defaults.toml:
the version the governors approved) with the working tree, uncommitted edits
included.`,
		Example: `  policypack diff robert-miles-infant --out redlines/robert-miles-infant.html
  policypack diff robert-miles-infant --out redlines/robert-miles-infant.pdf
  policypack diff hevingham-marsham --from v2024 --to HEAD --format md`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			return runDiff(opts)
		},
	}
	addSourceFlags(cmd, &opts.SchoolsDir, &opts.TemplatesDir)
	cmd.Flags().StringVar(&opts.Policy, "policy", "", "policy id (default: the only policy, else required)")
	cmd.Flags().StringVar(&opts.From, "from", "", "older revision (default: the commit of the last approval)")
	cmd.Flags().StringVar(&opts.To, "to", "", "newer revision (default: the working tree)")
	cmd.Flags().BoolVar(&opts.Worktree, "worktree", false, "compare against the working tree (the default; excludes --to)")
	cmd.Flags().StringVar(&opts.Format, "format", "", "output format: html, pdf or md (default: from --out's extension, else html)")
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "file to write (default: standard output)")
	addAsOfFlag(cmd, &opts.AsOf)
	return cmd
}

func runDiff(opts *DiffOptions) error {
	if opts.Worktree && opts.To != "" {
		return usagef("--to and --worktree exclude each other")
	}
	format := strings.ToLower(opts.Format)
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(opts.Out)), ".")
		if format == "htm" {
			format = "html"
		}
		if !slices.Contains(diffFormats, format) {
			format = "html"
		}
	}
	if !slices.Contains(diffFormats, format) {
		return usagef("--format: unknown format %q (formats: %s)", opts.Format, strings.Join(diffFormats, ", "))
	}
	asOf, err := asOfDate(opts.AsOf)
	if err != nil {
		return err
	}
	// The school must exist now (or have existed): say so plainly rather
	// than that no commit approved it.
	if _, err := os.Stat(filepath.Join(opts.SchoolsDir, opts.ID+".toml")); err != nil && opts.From == "" {
		if _, lerr := build.OpenReviews(build.Options{SchoolsDir: opts.SchoolsDir, TemplatesDir: opts.TemplatesDir, IDs: []string{opts.ID}, AsOf: asOf}); lerr != nil {
			return lerr
		}
	}
	repo, err := gitrepo.OpenRepo(existingDir(opts.SchoolsDir))
	if err != nil {
		return err
	}
	schoolsRel, err := repo.Rel(opts.SchoolsDir)
	if err != nil {
		return err
	}
	templatesRel := ""
	if opts.TemplatesDir != "" {
		if templatesRel, err = repo.Rel(opts.TemplatesDir); err != nil {
			return err
		}
	}
	policy := opts.Policy
	if policy == "" {
		cat, err := catalog.Open(opts.TemplatesDir)
		if err != nil {
			return err
		}
		var ids []string
		for _, p := range cat.Policies {
			ids = append(ids, p.ID)
		}
		if len(ids) != 1 {
			return usagef("--policy is required: this catalog has %d policies (%s)", len(ids), strings.Join(ids, ", "))
		}
		policy = ids[0]
	}

	configRel := path.Join(schoolsRel, opts.ID+".toml")
	var from, fromLabel string
	if opts.From == "" {
		commit, approved, err := repo.LastApproval(schoolsRel, opts.ID, policy)
		if err != nil {
			return err
		}
		if commit == "" {
			return &diag.Error{File: configRel, Msg: fmt.Sprintf("no commit sets policies.%s.approved_on", policy),
				Hint: "record the approval date in the config and commit it, or pass --from REV (e.g. --from HEAD~1)"}
		}
		from, fromLabel = commit, fmt.Sprintf("approved %s (%s)", approvedDate(approved), repo.Describe(commit))
	} else {
		if from, err = repo.Resolve(opts.From); err != nil {
			return usageError{err: err}
		}
		fromLabel = repo.Describe(from)
	}
	older, err := renderAt(repo, from, schoolsRel, templatesRel, opts.ID, policy, asOf)
	if err != nil {
		return err
	}
	var newer *markdown.Document
	toLabel := "working tree (uncommitted changes included)"
	if opts.To != "" {
		to, err := repo.Resolve(opts.To)
		if err != nil {
			return usageError{err: err}
		}
		toLabel = repo.Describe(to)
		newer, err = renderAt(repo, to, schoolsRel, templatesRel, opts.ID, policy, asOf)
		if err != nil {
			return err
		}
	} else if newer, err = renderPolicy(opts.SchoolsDir, opts.TemplatesDir, opts.ID, policy, asOf); err != nil {
		return err
	}

	rl := redline.Compare(older, newer)
	rl.From, rl.To = fromLabel, toLabel
	var data []byte
	switch format {
	case "html":
		data = rl.HTML()
	case "md":
		data = rl.Markdown()
	case "pdf":
		if data, err = rl.PDF(); err != nil {
			return err
		}
	}
	if opts.Out == "" {
		if _, err := opts.IO.Out.Write(data); err != nil {
			return err
		}
	} else if err := os.MkdirAll(filepath.Dir(opts.Out), 0o755); err != nil {
		// redlines/ beside dist/ is made on first use, as build makes dist/.
		return fmt.Errorf("writing %s: %w", opts.Out, err)
	} else if err := os.WriteFile(opts.Out, data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", opts.Out, err)
	}
	where := ""
	if opts.Out != "" {
		where = ": " + opts.Out
	}
	fmt.Fprintf(opts.IO.ErrOut, "%s, %s: %s%s\n", opts.ID, policy, rl.Summary(), where)
	return nil
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
func renderAt(repo *gitrepo.Repo, commit, schoolsRel, templatesRel, id, policy string, asOf config.Date) (*markdown.Document, error) {
	dir, cleanup, err := repo.Extract(commit, schoolsRel, templatesRel)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	tmpl := ""
	if templatesRel != "" {
		tmpl = filepath.Join(dir, filepath.FromSlash(templatesRel))
	}
	doc, err := renderPolicy(filepath.Join(dir, filepath.FromSlash(schoolsRel)), tmpl, id, policy, asOf)
	if err != nil {
		// Name the revision rather than the temporary folder.
		msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
		return nil, fmt.Errorf("at %s:\n%s", repo.Describe(commit), msg)
	}
	return doc, nil
}

// renderPolicy composes one school's policy exactly as build does.
func renderPolicy(schoolsDir, templatesDir, id, policy string, asOf config.Date) (*markdown.Document, error) {
	_, _, docs, err := build.Prepare(build.Options{SchoolsDir: schoolsDir, TemplatesDir: templatesDir, IDs: []string{id}, AsOf: asOf, Version: Version})
	if err != nil {
		return nil, err
	}
	for _, o := range docs[id] {
		if o.Kind == "policy" && o.ID == policy {
			return markdown.Parse(o.Markdown, o.Meta), nil
		}
	}
	return nil, fmt.Errorf("%s: no policy %q in the catalog", id, policy)
}
