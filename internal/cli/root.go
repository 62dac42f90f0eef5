// Package cli wires policypack's commands. Each command has an Options
// struct and a run function that does the work given it (as gh does), so the
// work is testable without a process; cobra only parses flags.
package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=v1.2.3".
var Version = "dev"

// IO carries the streams a command writes to, so tests can capture them.
type IO struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

// NewRoot builds the command tree.
func NewRoot(io IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "policypack",
		Short: "Build school policy packs from TOML configs and templates",
		Long: `policypack builds each school's policy pack — the policy, its appendices and its
signature forms as Markdown, HTML and PDF — from one TOML file per school and a
shared set of templates.`,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		// Runnable so that an unknown command reaches Args (a typed usage
		// error) rather than cobra's untyped one; with no command, help.
		Args: unknownCommand,
		RunE: func(c *cobra.Command, _ []string) error { return c.Help() },
		// Every command that reads schools/ or writes dist/ finds them at
		// the trust's root when run from a folder inside it.
		PersistentPreRunE: func(c *cobra.Command, _ []string) error { return useTrustRoot(c, io.ErrOut) },
	}
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
	root.SetVersionTemplate(versionLine() + "\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{err: err, cmd: c.CommandPath()}
	})
	root.AddCommand(
		newBuildCmd(io),
		newCheckCmd(io),
		newDueCmd(io),
		newManifestCmd(io),
		newCoverageCmd(io),
		newSchemaCmd(io),
		newNewCmd(io),
		newInitCmd(io),
		newServeCmd(io),
		newDiffCmd(io),
		newFormsCmd(io),
		newCopyTemplateCmd(io),
		newVersionCmd(io),
	)
	return root
}

// Main runs the CLI with args and returns the process exit code.
func Main(args []string, io IO) int {
	root := NewRoot(io)
	root.SetArgs(args)
	err := root.Execute()
	var ee exitError
	if err != nil && !errors.As(err, &ee) {
		fmt.Fprintln(io.ErrOut, "error: "+err.Error())
	}
	return exitCode(err)
}
