package cli

import (
	"encoding/json"
	"io"

	"github.com/spf13/cobra"
)

// Every --json report is one envelope: an object whose first field,
// "format", names the command and the version of its shape
// ("policypack.check/v1"). Within a version fields are only ever added;
// a change to one is a new version.

// jsonFormat is the "format" of command's --json report.
func jsonFormat(command string) string { return "policypack." + command + "/v1" }

// addJSONFlag adds --json, worded the same on every command that reports.
func addJSONFlag(cmd *cobra.Command, b *bool, command string) {
	cmd.Flags().BoolVar(b, "json", false, `print the report as JSON on standard output: {"format": "`+jsonFormat(command)+`", ...} (see docs/cli.md)`)
}

// writeJSON prints v indented, with & < > as written (titles hold them).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
