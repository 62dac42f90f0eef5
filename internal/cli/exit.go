package cli

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"
)

// Exit codes. The README's CLI reference describes them to users; every
// command returns one of these through exitCode, nowhere else.
const (
	ExitOK      = 0 // success
	ExitInvalid = 1 // invalid input (config, templates), or something is due / uncovered
	ExitUsage   = 2 // bad flags or arguments (and for due, a config error: 1 means "something is due")
	// ExitInterrupted is Ctrl-C (SIGINT) or SIGTERM: 128 + SIGINT, as shells report it.
	ExitInterrupted = 130
)

// usageError marks a problem with how the command was called (an unknown
// command, flag or flag value, a wrong number of arguments): it exits
// ExitUsage. Every place that finds such a problem wraps it here, cobra's
// own checks included (flag parsing through SetFlagErrorFunc, arguments
// through usageArgs and unknownCommand), so the exit code never depends on
// the wording of a message.
type usageError struct {
	err error
	cmd string // the command path, to point at its --help; "" for none
}

func (e usageError) Error() string {
	if e.cmd == "" {
		return e.err.Error()
	}
	return e.err.Error() + "\nRun '" + e.cmd + " --help' for usage."
}
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{err: fmt.Errorf(format, args...)}
}

// exitError carries an exit code without a message (e.g. `due` finding
// something due has already printed what it found).
type exitError struct{ code int }

func (e exitError) Error() string { return "exit " + strconv.Itoa(e.code) }

// exitCode maps a command's error to the process exit code.
func exitCode(err error) int {
	var ee exitError
	var ue usageError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		return ExitUsage
	default:
		return ExitInvalid
	}
}

// usageArgs makes an argument validator's error a usage error.
func usageArgs(validate cobra.PositionalArgs) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if err := validate(c, args); err != nil {
			return usageError{err: err, cmd: c.CommandPath()}
		}
		return nil
	}
}

// unknownCommand is the Args of a command that only groups subcommands:
// cobra passes it what matched no subcommand. It says what cobra would
// (with its suggestions), as a usage error.
func unknownCommand(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
	if c.SuggestionsMinimumDistance <= 0 {
		c.SuggestionsMinimumDistance = 2 // cobra's default, which it sets lazily
	}
	if s := c.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "\n\nDid you mean this?"
		for _, name := range s {
			msg += "\n\t" + name
		}
	}
	return usageError{err: errors.New(msg), cmd: c.CommandPath()}
}
