package cli

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestSharedFlagsAgree: a flag several commands take means the same in each
// (one definition in flags.go), and the commands that judge reviews all
// take --as-of.
func TestSharedFlagsAgree(t *testing.T) {
	type def struct{ usage, value, short string }
	first := map[string]def{}
	where := map[string][]string{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, name := range []string{"as-of", "schools", "templates", "quiet", "strict"} {
			f := c.LocalFlags().Lookup(name)
			if f == nil {
				continue
			}
			where[name] = append(where[name], c.Name())
			d := def{f.Usage, f.DefValue, f.Shorthand}
			if g, ok := first[name]; !ok {
				first[name] = d
			} else if g != d {
				t.Errorf("%s --%s differs from the other commands' definition", c.CommandPath(), name)
			}
		}
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

// TestOutAndQuietEverywhere: every command that writes a file takes -o/--out
// for it (or, for copy-template, --templates), and every command that prints
// progress or notes on standard error takes -q.
func TestOutAndQuietEverywhere(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() && c.HasParent() {
			if f := c.LocalFlags().Lookup("out"); f != nil && f.Shorthand != "o" {
				t.Errorf("%s --out has no -o", c.CommandPath())
			}
			switch c.Name() {
			case "schema", "version", "help", "completion", "serve", "due", "coverage", "check", "manifest":
				// These print their result on standard output, not progress.
			default:
				if c.LocalFlags().Lookup("quiet") == nil {
					t.Errorf("%s prints progress but has no -q", c.CommandPath())
				}
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewRoot(IO{}))
}

// TestJSONOnEveryReport: the commands that report take --json, worded alike.
func TestJSONOnEveryReport(t *testing.T) {
	root := NewRoot(IO{})
	for _, name := range []string{"check", "build", "due", "coverage", "forms"} {
		c, _, err := root.Find([]string{name})
		if err != nil {
			t.Fatal(err)
		}
		f := c.LocalFlags().Lookup("json")
		if f == nil {
			t.Errorf("%s has no --json", name)
			continue
		}
		if want := jsonFormat(name); !strings.Contains(f.Usage, want) {
			t.Errorf("%s --json: %q does not name %s", name, f.Usage, want)
		}
	}
}
