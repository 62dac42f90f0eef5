// Package cli wires policypack's commands. Each command has an Options
// struct and a run function that does the work given it (as gh does), so the
// work is testable without a process; cobra only parses flags.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"

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

// Main runs the CLI with args and returns the process exit code. Ctrl-C
// (or SIGTERM) cancels the command's context: a command that watches it
// (forms, serve) stops cleanly and removes what it had staged; any other is
// stopped at once, its output still unpublished (every file is written
// to a temporary name and renamed). Either way the exit code is 130, as a
// shell reports for an interrupted program, except serve, for which
// Ctrl-C is the normal way to stop.
func Main(args []string, io IO) int {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watchesInterrupt.Store(false)
	var interrupted atomic.Bool
	if colorOn(io.ErrOut) {
		io.ErrOut = &colorWriter{w: io.ErrOut}
	}
	root := NewRoot(io)
	root.SetArgs(args)
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-sigs:
			interrupted.Store(true)
			cancel()
			if !watchesInterrupt.Load() {
				fmt.Fprintln(io.ErrOut, "interrupted")
				os.Exit(ExitInterrupted)
			}
		case <-done:
		}
	}()
	cmd, err := root.ExecuteContextC(ctx)
	if interrupted.Load() {
		if cmd != nil && cmd.Name() == "serve" {
			return ExitOK
		}
		fmt.Fprintln(io.ErrOut, "interrupted")
		return ExitInterrupted
	}
	var ee exitError
	if err != nil && !errors.As(err, &ee) {
		fmt.Fprintln(io.ErrOut, "error: "+printable(err.Error()))
	}
	return exitCode(err)
}

// watchesInterrupt is set by a command that stops cleanly when its context
// is cancelled, so that Main lets it finish rather than exiting at once.
var watchesInterrupt atomic.Bool

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
