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

// Out-of-range dates are errors, not silently "unset": --as-of 0001-01-01
// (Go's zero date) and a SOURCE_DATE_EPOCH past the year 9999.
func TestAsOfRange(t *testing.T) {
	if _, err := asOfDate("0001-01-01"); err == nil || !strings.Contains(err.Error(), "0001-01-01 is out of range") {
		t.Errorf("--as-of 0001-01-01: %v", err)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "253402300800") // 10000-01-01
	if _, err := asOfDate(""); err == nil || !strings.Contains(err.Error(), "is out of range") {
		t.Errorf("SOURCE_DATE_EPOCH in the year 10000: %v", err)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "9223372036854775807")
	if _, err := asOfDate(""); err == nil {
		t.Error("the largest SOURCE_DATE_EPOCH was accepted")
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1735689600")
	if d, err := asOfDate(""); err != nil || d.ISO() != "2025-01-01" {
		t.Errorf("SOURCE_DATE_EPOCH 2025: %v %v", d, err)
	}
}
