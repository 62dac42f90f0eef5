package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/ident"
	"github.com/policypack/policypack/internal/policies"
)

func newSchemaCmd(io IO) *cobra.Command {
	var schools, templates string
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of a school config (for editor completion)",
		Long: `Schema prints the JSON Schema of schools/<id>.toml. Point your editor's TOML
support at it (e.g. Taplo / Even Better TOML: a "schema" entry in .taplo.toml)
so keys complete and typos are underlined. Each policy's own facts
([policies.<id>.facts]) are those its policy.toml declares, the trust's
templates folder included.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := policies.Open(templates)
			if err != nil {
				return err
			}
			_, err = io.Out.Write(config.JSONSchema(cat.Facts()...))
			return err
		},
	}
	addSourceFlags(cmd, &schools, &templates)
	return cmd
}

// NewOptions are the flags of `policypack new`.
type NewOptions struct {
	IO         IO
	SchoolsDir string
	Name       string
	ID         string
	Force      bool
	Quiet      bool
}

func newNewCmd(io IO) *cobra.Command {
	opts := &NewOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "new SCHOOL-ID",
		Short: "Scaffold schools/SCHOOL-ID.toml with every key, commented",
		Args:  usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			return runNew(opts)
		},
	}
	addSchoolsFlag(cmd, &opts.SchoolsDir)
	cmd.Flags().StringVar(&opts.Name, "name", "", "the school's display name")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite an existing file")
	addQuietFlag(cmd, &opts.Quiet)
	return cmd
}

func runNew(opts *NewOptions) error {
	opts.IO = quietIO(opts.IO, opts.Quiet)
	if !ident.Valid(opts.ID) {
		return usagef("%q is not a valid school id: use lowercase letters, digits and hyphens, e.g. robert-miles-infant", opts.ID)
	}
	path := filepath.Join(opts.SchoolsDir, opts.ID+".toml")
	if _, err := os.Stat(path); err == nil && !opts.Force {
		return &diag.Error{Msg: path + " already exists", Hint: "edit it, choose another id, or pass --force to overwrite it"}
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(opts.SchoolsDir, 0o755); err != nil {
		return err
	}
	name := opts.Name
	if name == "" {
		name = "CHANGE ME: the school's name"
	}
	// The keys the policies require are set to examples, so the new file
	// checks clean once its facts are filled in.
	var need []string
	var facts []config.PolicyFacts
	if cat, err := policies.Open(defaultTemplates(opts.SchoolsDir)); err == nil {
		for _, p := range cat.Policies {
			need = append(need, p.Required...)
		}
		facts = cat.Facts()
	}
	if err := os.WriteFile(path, config.ScaffoldPolicies(opts.ID, name, facts, need...), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "created %s: fill in the required keys, then run `policypack check %s`\n", path, opts.ID)
	return nil
}
