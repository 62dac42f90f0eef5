package cli

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/policypack/policypack/internal/build"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/manifest"
)

// ManifestOptions are the flags of `policypack manifest merge` and
// `policypack manifest verify`.
type ManifestOptions struct {
	IO    IO
	Out   string // the output folder holding the manifest(s)
	Quiet bool
}

func newManifestCmd(io IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "manifest",
		Short: "Merge shard builds into one dist, or verify dist against its manifest",
		Args:  unknownCommand,
		RunE:  func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	mergeOpts := &ManifestOptions{IO: io}
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
		RunE: func(cmd *cobra.Command, args []string) error { return runManifestMerge(mergeOpts) },
	}
	merge.Flags().StringVarP(&mergeOpts.Out, "out", "o", "dist", "output folder holding every shard's files")
	addQuietFlag(merge, &mergeOpts.Quiet)
	verifyOpts := &ManifestOptions{IO: io}
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Check the output folder against manifest.json: every file listed (and the dashboard) with its size and sha256, and no file unlisted",
		Args:  usageArgs(cobra.NoArgs),
		RunE:  func(cmd *cobra.Command, args []string) error { return runManifestVerify(verifyOpts) },
	}
	verify.Flags().StringVarP(&verifyOpts.Out, "out", "o", "dist", "output folder")
	addQuietFlag(verify, &verifyOpts.Quiet)
	cmd.AddCommand(merge, verify)
	return cmd
}

func runManifestMerge(opts *ManifestOptions) error {
	opts.IO = quietIO(opts.IO, opts.Quiet)
	m, err := build.Merge(opts.Out)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "merged %d school(s), %d file(s) into %s and %s\n", len(m.Schools), len(m.Files),
		filepath.Join(opts.Out, manifest.Name), filepath.Join(opts.Out, build.IndexName))
	return nil
}

func runManifestVerify(opts *ManifestOptions) error {
	opts.IO = quietIO(opts.IO, opts.Quiet)
	path := filepath.Join(opts.Out, manifest.Name)
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
	if err := build.Verify(opts.Out, m); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "%s: %d file(s) match\n", path, len(m.Files))
	return nil
}
