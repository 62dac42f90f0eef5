package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/scaffold"
)

// InitOptions are the flags of `policypack init`.
type InitOptions struct {
	IO    IO
	Dir   string
	Force bool
	Quiet bool
}

func newInitCmd(io IO) *cobra.Command {
	opts := &InitOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "init DIR",
		Short: "Start a trust's policy repository: schools, templates, CI and editor settings",
		Long: `Init creates a new trust repository in DIR: schools/_defaults.toml and an example
school with every key commented, an empty templates/ folder with a README on
overriding the built-in text, a GitHub Actions workflow that checks, lists due
reviews and builds the packs, a .gitignore for dist/, and editor settings that
point TOML files at the school config schema.

Init refuses a folder that is not empty unless --force is given, and never
overwrites a file: with --force, files that already exist are skipped.`,
		Example: `  policypack init our-trust-policies
  cd our-trust-policies && policypack serve`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Dir = args[0]
			return runInit(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Force, "force", false, "write into a non-empty folder (existing files are still never overwritten)")
	addQuietFlag(cmd, &opts.Quiet)
	return cmd
}

func runInit(opts *InitOptions) error {
	version := releaseVersion()
	res, err := scaffold.WriteFor(opts.Dir, opts.Force, version)
	if errors.Is(err, scaffold.ErrNotEmpty) {
		return &diag.Error{Err: err, Hint: "choose a new folder, or pass --force to add the missing files (existing files are never overwritten)"}
	}
	if err != nil {
		return err
	}
	w := quietIO(opts.IO, opts.Quiet).ErrOut
	for _, p := range res.Created {
		fmt.Fprintf(w, "created %s\n", p)
	}
	for _, p := range res.Skipped {
		fmt.Fprintf(w, "skipped %s: already exists\n", p)
	}
	if version == "" {
		fmt.Fprintf(w, "\nwarning: this policypack (%s) is not a release, so .github/workflows/policy-review.yml is not pinned:\n\tset POLICYPACK_VERSION in it to a release tag (e.g. v1.2.3); the job fails until you do\n", Version)
	} else {
		fmt.Fprintf(w, "\n.github/workflows/policy-review.yml installs policypack %s; to upgrade, change POLICYPACK_VERSION there\n", version)
	}
	fmt.Fprintf(w, `
Next:
  cd %s
  edit schools/%s.toml (rename it for your school) and schools/_defaults.toml
  policypack serve      # live preview in your browser
  policypack build      # write the packs to dist/
`, opts.Dir, scaffold.ExampleID)
	return nil
}
