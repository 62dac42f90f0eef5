// Package cli wires policypack's commands. Each command has an Options
// struct and a run function that does the work given it (as gh does), so the
// work is testable without a process; cobra only parses flags.
package cli

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

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
	}
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
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
		fmt.Fprintln(io.ErrOut, "error: "+printable(err.Error()))
	}
	return exitCode(err)
}

// printable escapes the control characters of an error message (a key
// name, a template's text, a path) except line breaks and tabs, so nothing
// from a config or a template reaches a terminal raw: an ESC sequence in a
// quoted TOML key could otherwise clear the screen or rewrite what the
// user reads.
func printable(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool {
	return r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f)
}
