package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// Reference returns the CLI reference as Markdown: each command's usage,
// description and flags, from the same cobra tree the binary runs. The README
// embeds it and a test keeps the two in step.
func Reference() string {
	root := NewRoot(IO{})
	var b strings.Builder
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			return
		}
		if c != root {
			fmt.Fprintf(&b, "### `%s`\n\n", c.CommandPath())
			desc := c.Long
			if desc == "" {
				desc = c.Short
			}
			fmt.Fprintf(&b, "%s\n\n```\n%s\n", strings.TrimSpace(desc), c.UseLine())
			if c.Example != "" {
				fmt.Fprintf(&b, "\nExamples:\n%s\n", c.Example)
			}
			if fl := c.LocalFlags().FlagUsages(); fl != "" {
				fmt.Fprintf(&b, "\nFlags:\n%s", fl)
			}
			b.WriteString("```\n\n")
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return b.String()
}
