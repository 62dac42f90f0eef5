package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/policypack/policypack/internal/build"
)

// BuildOptions are the flags of `policypack build`.
type BuildOptions struct {
	IO           IO
	SchoolsDir   string
	TemplatesDir string
	OutDir       string
	Formats      []string
	AsOf         string
	Strict       bool
	Quiet        bool
	JSON         bool
	Shard        string // "K/N" or ""
	IDs          []string
}

func newBuildCmd(io IO) *cobra.Command {
	opts := &BuildOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "build [SCHOOL-ID...]",
		Short: "Render every school's pack to dist/",
		Long: `Build renders each school's policy pack (the policy and its forms) as Markdown,
HTML and PDF under the output folder, one folder per school. With school ids,
only those schools are built. Nothing is written unless every school is valid.
--strict makes warnings errors, as in check and coverage: an overdue review or
an uncovered statutory requirement fails the build before anything is written.`,
		Example: `  policypack build
  policypack build --format md,html robert-miles-infant
  policypack build --templates trust-templates --out public`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.IDs = args
			return runBuild(opts)
		},
	}
	addSourceFlags(cmd, &opts.SchoolsDir, &opts.TemplatesDir)
	cmd.Flags().StringVarP(&opts.OutDir, "out", "o", "dist", "output folder: new, empty, or written by a previous build (it holds manifest.json)")
	cmd.Flags().StringSliceVar(&opts.Formats, "format", nil, "formats to write, comma-separated: "+strings.Join(build.AllFormats(), ",")+" (default all)")
	addAsOfFlag(cmd, &opts.AsOf)
	addStrictFlag(cmd, &opts.Strict)
	addQuietFlag(cmd, &opts.Quiet)
	addJSONFlag(cmd, &opts.JSON, "build")
	cmd.Flags().StringVar(&opts.Shard, "shard", "", "build only shard `K/N` of the schools (stable by school id) and write manifest-K-of-N.json; merge shards with policypack manifest merge")
	return cmd
}

func runBuild(opts *BuildOptions) error {
	formats, err := build.CheckFormats(opts.Formats)
	if err != nil {
		return usagef("--format: %v", err)
	}
	asOf, source, err := buildDates(opts.AsOf)
	if err != nil {
		return err
	}
	var shard build.Shard
	if opts.Shard != "" {
		if shard, err = build.ParseShard(opts.Shard); err != nil {
			return usagef("--shard: %v", err)
		}
	}
	bo := build.Options{
		SchoolsDir: opts.SchoolsDir, TemplatesDir: opts.TemplatesDir, OutDir: opts.OutDir,
		Formats: formats, IDs: opts.IDs, Shard: shard, AsOf: asOf, Strict: opts.Strict, Version: Version,
		SourceDate: source,
	}
	if !opts.Quiet {
		bo.Progress = opts.IO.ErrOut
	}
	res, err := build.Run(bo)
	if err != nil {
		return err
	}
	if opts.JSON {
		s := buildSummary(opts, res)
		s.Warnings = append(s.Warnings, res.Warnings...)
		return writeJSON(opts.IO.Out, s)
	}
	if !opts.Quiet {
		// -q prints nothing but errors; check, due and --json still
		// report the warnings.
		for _, w := range res.Warnings {
			fmt.Fprintf(opts.IO.ErrOut, "warning: %s\n", w)
		}
		fmt.Fprintf(opts.IO.ErrOut, "built %d school(s) (%d rendered, %d unchanged): %d file(s), %d written, %d removed\n",
			len(res.Schools), res.Rendered, res.Skipped, len(res.Files), res.Written(), len(res.Removed))
	}
	return nil
}

// BuildSummary is `build --json`: what the build did, for CI.
type BuildSummary struct {
	Format    string   `json:"format"` // "policypack.build/v1"
	Out       string   `json:"out"`
	Manifest  string   `json:"manifest"`  // file name in out
	Schools   []string `json:"schools"`   // in the build's scope
	Rendered  int      `json:"rendered"`  // schools composed and rendered
	Unchanged int      `json:"unchanged"` // schools whose inputs had not changed
	Files     int      `json:"files"`     // files of the schools in scope
	Written   []string `json:"written"`   // files (re)written, relative to out
	Removed   []string `json:"removed"`   // stale files removed, relative to out
	Warnings  []string `json:"warnings"`  // drafts, overdue reviews, values to confirm
}

func buildSummary(opts *BuildOptions, res *build.Result) BuildSummary {
	s := BuildSummary{Format: jsonFormat("build"), Out: opts.OutDir, Manifest: filepath.Base(res.Manifest), Schools: []string{},
		Rendered: res.Rendered, Unchanged: res.Skipped, Files: len(res.Files), Written: []string{}, Removed: []string{}, Warnings: []string{}}
	for _, sc := range res.Schools {
		s.Schools = append(s.Schools, sc.ID)
	}
	for _, f := range res.Files {
		if f.Written {
			s.Written = append(s.Written, f.Path)
		}
	}
	s.Removed = append(s.Removed, res.Removed...)
	return s
}
