package cli

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/policypack/policypack/internal/build"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/manifest"
)

func newManifestCmd(io IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "manifest",
		Short: "Merge shard builds into one dist, or verify dist against its manifest",
		Args:  unknownCommand,
		RunE:  func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	var out string
	merge := &cobra.Command{
		Use:   "merge",
		Short: "Merge the manifests of `build --shard K/N` runs into manifest.json and index.html",
		Long: `Merge reads every manifest-K-of-N.json in the output folder (each shard's build
writes one beside its schools' folders; copy every shard's output into one
folder first), checks that all N shards are there, built from the same program
and as-of date with no school twice, checks every listed file's sha256, then
writes the combined manifest.json and the dashboard index.html.`,
		Example: `  policypack build --shard 1/2 --out dist   # on runner 1
  policypack build --shard 2/2 --out dist   # on runner 2
  policypack manifest merge --out dist      # after copying both into one dist`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := build.Merge(out)
			if err != nil {
				return err
			}
			fmt.Fprintf(io.ErrOut, "merged %d school(s), %d file(s) into %s and %s\n", len(m.Schools), len(m.Files),
				filepath.Join(out, manifest.Name), filepath.Join(out, build.IndexName))
			return nil
		},
	}
	merge.Flags().StringVar(&out, "out", "dist", "output folder holding every shard's files")
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Check the output folder against manifest.json: every file listed (and the dashboard) with its size and sha256, and no file unlisted",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := filepath.Join(out, manifest.Name)
			m, err := manifest.Read(path)
			if err != nil {
				return err
			}
			if m == nil {
				return &diag.Error{File: path, Msg: "no manifest", Hint: "run policypack build first"}
			}
			if len(m.Files) == 0 && m.Dashboard == nil {
				return &diag.Error{File: path, Msg: "lists no files: there is nothing to verify", Hint: "run policypack build first"}
			}
			if err := build.Verify(out, m); err != nil {
				return err
			}
			fmt.Fprintf(io.ErrOut, "%s: %d file(s) match\n", path, len(m.Files))
			return nil
		},
	}
	verify.Flags().StringVar(&out, "out", "dist", "output folder")
	cmd.AddCommand(merge, verify)
	return cmd
}
