package cli

import (
	"fmt"
	"slices"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestSharedFlagsAgree: a flag several commands take means the same in each
// (one definition in flags.go), and the commands that judge reviews all
// take --as-of.
func TestSharedFlagsAgree(t *testing.T) {
	first := map[string]*pflag.Flag{}
	where := map[string][]string{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			switch f.Name {
			case "as-of", "schools", "templates", "quiet":
			default:
				return
			}
			where[f.Name] = append(where[f.Name], c.Name())
			if g, ok := first[f.Name]; !ok {
				first[f.Name] = f
			} else if g.Usage != f.Usage || g.DefValue != f.DefValue || g.Shorthand != f.Shorthand {
				t.Errorf("%s --%s differs from the other commands' definition", c.CommandPath(), f.Name)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewRoot(IO{}))
	want := "[build check coverage diff due forms serve]"
	slices.Sort(where["as-of"])
	if got := fmt.Sprint(where["as-of"]); got != want {
		t.Errorf("--as-of on %s, want %s", got, want)
	}
}
