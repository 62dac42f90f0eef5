package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/policies"
)

// CopyTemplateOptions are the flags of `policypack copy-template`.
type CopyTemplateOptions struct {
	IO           IO
	SchoolsDir   string
	TemplatesDir string // where the copies go; default: templates beside the schools folder
	What         string // a file, a policy id or a section id; "" with All or List
	All          bool
	List         bool
	Quiet        bool
}

func newCopyTemplateCmd(io IO) *cobra.Command {
	opts := &CopyTemplateOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "copy-template [FILE | POLICY | SECTION] [flags]",
		Short: "Copy a built-in template into the trust's templates folder, to edit it",
		Long: `Copy-template writes a built-in template into the trust's templates folder under
the same path, where it replaces the built-in file for every school: one file
(online-safety/sections/aims.md.tmpl, as messages name it), one section by its
id (risks; an id more than one policy uses, such as aims, is named by its
file), one policy's templates (online-safety), or every template (--all).
--list prints the built-in files.

It never overwrites: a file the trust already has is kept and reported. Files
you do not copy keep coming from the built-in set, so an upgrade of policypack
still improves them.`,
		Example: `  policypack copy-template --list
  policypack copy-template risks
  policypack copy-template online-safety/forms/parent-agreement.md.tmpl
  policypack copy-template online-safety`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.What = args[0]
			}
			return runCopyTemplate(opts)
		},
	}
	// --templates is where the copies go, the folder build reads them from.
	addSourceFlags(cmd, &opts.SchoolsDir, &opts.TemplatesDir)
	cmd.Flags().BoolVar(&opts.All, "all", false, "copy every built-in policy template (not the statutory catalogue)")
	cmd.Flags().BoolVar(&opts.List, "list", false, "list the built-in template files and exit")
	addQuietFlag(cmd, &opts.Quiet)
	return cmd
}

func runCopyTemplate(opts *CopyTemplateOptions) error {
	opts.IO = quietIO(opts.IO, opts.Quiet)
	n := 0
	for _, set := range []bool{opts.What != "", opts.All, opts.List} {
		if set {
			n++
		}
	}
	if n != 1 {
		return usageError{err: errors.New("copy-template needs one of: a FILE, POLICY or SECTION, --all, --list"), cmd: "policypack copy-template"}
	}
	cat, err := policies.Open("")
	if err != nil {
		return err
	}
	builtin := cat.FS
	var files []string
	if err := fs.WalkDir(builtin, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && policies.IsTemplateFile(p) {
			files = append(files, p)
		}
		return err
	}); err != nil {
		return err
	}
	slices.Sort(files)
	if opts.List {
		for _, f := range files {
			fmt.Fprintln(opts.IO.Out, f)
		}
		return nil
	}
	want, err := selectTemplates(cat, files, opts)
	if err != nil {
		return err
	}
	dest := opts.TemplatesDir
	if dest == "" {
		dest = filepath.Join(filepath.Dir(filepath.Clean(opts.SchoolsDir)), "templates")
	}
	copied := 0
	for _, f := range want {
		data, err := fs.ReadFile(builtin, f)
		if err != nil {
			return err
		}
		target := filepath.Join(dest, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		// O_EXCL: the trust's own edits are never overwritten, even by a
		// file that appeared since we looked.
		out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			if len(want) == 1 {
				return &diag.Error{File: target, Msg: "already exists: the trust's copy is kept",
					Hint: "edit it; to start again from the built-in text, delete it and run this again"}
			}
			fmt.Fprintf(opts.IO.ErrOut, "kept %s: already exists\n", target)
			continue
		}
		if err != nil {
			return err
		}
		_, werr := out.Write(data)
		if cerr := out.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			os.Remove(target)
			return werr
		}
		fmt.Fprintf(opts.IO.ErrOut, "copied %s to %s\n", cat.Name(f), target)
		copied++
	}
	if copied > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "edit the copies; every school now uses them (`policypack check` lists them, `policypack diff SCHOOL-ID` shows the change)\n")
	}
	return nil
}

// selectTemplates resolves what the user asked for to built-in files.
func selectTemplates(cat *policies.Set, files []string, opts *CopyTemplateOptions) ([]string, error) {
	if opts.All {
		var out []string
		for _, f := range files {
			if !strings.HasPrefix(f, "standards/") {
				out = append(out, f)
			}
		}
		return out, nil
	}
	// Messages name a file "templates/<path> (built-in)"; accept it as printed.
	what := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(opts.What), "(built-in)"))
	what = strings.TrimPrefix(filepath.ToSlash(what), "templates/")
	if slices.Contains(files, what) {
		return []string{what}, nil
	}
	if p := cat.Policy(what); p != nil {
		var out []string
		for _, f := range files {
			if strings.HasPrefix(f, p.Dir+"/") {
				out = append(out, f)
			}
		}
		return out, nil
	}
	var candidates []string
	var bySection []string
	for _, p := range cat.Policies {
		candidates = append(candidates, p.ID)
		for _, s := range p.Sections {
			candidates = append(candidates, s.ID)
			if s.ID == what {
				f := path.Join(p.Dir, s.Template)
				if slices.Contains(files, f) {
					bySection = append(bySection, f)
				}
			}
		}
	}
	if len(bySection) == 1 {
		return bySection, nil
	}
	if len(bySection) > 1 {
		return nil, usagef("section %q is in several policies: name the file (%s)", what, strings.Join(bySection, ", "))
	}
	candidates = append(candidates, files...)
	hint := diag.DidYouMean(what, candidates)
	if hint == "" {
		hint = "policypack copy-template --list shows the built-in files"
	}
	return nil, usageError{err: &diag.Error{Msg: fmt.Sprintf("%q is not a built-in template, policy or section", opts.What), Hint: hint}}
}
