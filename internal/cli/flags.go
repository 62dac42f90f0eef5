package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/policypack/policypack/internal/config"
)

// Flags that several commands share are defined once here, so their names,
// defaults and help text cannot drift apart between commands.

// addSourceFlags adds --schools and --templates; an unset --templates
// defaults to the trust's templates folder beside the schools folder.
func addSourceFlags(cmd *cobra.Command, schools, templates *string) {
	addSchoolsFlag(cmd, schools)
	cmd.Flags().StringVar(templates, "templates", "", "folder of templates that override the built-in ones file by file\n(default: the templates folder beside the schools folder, if there is one)")
	cmd.PreRunE = func(c *cobra.Command, _ []string) error {
		if !c.Flags().Changed("templates") {
			*templates = defaultTemplates(*schools)
		}
		return nil
	}
}

// defaultTemplates finds a trust's own templates folder: a templates folder
// beside the schools folder, as `policypack init` lays a repository out.
func defaultTemplates(schools string) string {
	dir := filepath.Join(filepath.Dir(filepath.Clean(schools)), "templates")
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return dir
	}
	return ""
}

// addSchoolsFlag adds --schools alone, for a command that reads no templates.
func addSchoolsFlag(cmd *cobra.Command, schools *string) {
	cmd.Flags().StringVar(schools, "schools", "schools", "folder of school configs")
}

// addAsOfFlag adds --as-of; asOfDate resolves its value.
func addAsOfFlag(cmd *cobra.Command, asOf *string) {
	cmd.Flags().StringVar(asOf, "as-of", "", "date to judge reviews against, YYYY-MM-DD (default SOURCE_DATE_EPOCH or today)")
}

// addStrictFlag adds --strict, which means one thing in every command:
// what would be a warning is an error (exit 1).
func addStrictFlag(cmd *cobra.Command, strict *bool) {
	cmd.Flags().BoolVar(strict, "strict", false, "treat warnings as errors (exit 1): an uncovered statutory requirement, a draft, an overdue review")
}

// addQuietFlag adds --quiet (-q).
func addQuietFlag(cmd *cobra.Command, quiet *bool) {
	cmd.Flags().BoolVarP(quiet, "quiet", "q", false, "print nothing but errors")
}

// quietIO is io with its progress and notes (standard error) silenced for
// --quiet; errors still print, since Main writes them to the real stream.
func quietIO(s IO, quiet bool) IO {
	if quiet {
		s.ErrOut = io.Discard
	}
	return s
}

// asOfDate resolves the as-of date: the flag, else SOURCE_DATE_EPOCH, else
// today. Only here does policypack read the clock.
func asOfDate(flag string) (config.Date, error) {
	if flag != "" {
		d, err := config.ParseDate(flag)
		if err != nil {
			return config.Date{}, usagef("--as-of: %v", err)
		}
		return d, nil
	}
	t, err := sourceDate()
	if err != nil {
		return config.Date{}, err
	}
	if t.IsZero() {
		t = time.Now()
	}
	return config.NewDate(t.Year(), t.Month(), t.Day()), nil
}

// buildDates are the two dates of a command that writes documents: the
// as-of date reviews are judged against, and the source date that dates
// the files (zero when SOURCE_DATE_EPOCH is unset).
func buildDates(asOfFlag string) (config.Date, time.Time, error) {
	asOf, err := asOfDate(asOfFlag)
	if err != nil {
		return config.Date{}, time.Time{}, err
	}
	source, err := sourceDate()
	return asOf, source, err
}

// findTrustRoot walks up from the working folder, as git does for .git, to
// the nearest folder that holds a schools folder, and returns it relative to
// the working folder ("" for the working folder itself, or when there is
// none, so the command reports the missing folder where it was run).
func findTrustRoot() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	rel := ""
	for dir := wd; ; {
		if st, err := os.Stat(filepath.Join(dir, "schools")); err == nil && st.IsDir() {
			return rel
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir, rel = parent, filepath.Join(rel, "..")
	}
}

// useTrustRoot points a command run from inside a trust (cd schools &&
// policypack check) at the trust's folders rather than at folders of the
// same name below the working folder: the defaults of --schools and --out
// (dist) move to the trust root, and the command says which root it uses.
// A flag the user set is left alone.
func useTrustRoot(c *cobra.Command, errOut io.Writer) error {
	schools, out := c.Flags().Lookup("schools"), c.Flags().Lookup("out")
	moved := func(f *pflag.Flag, def string) bool { return f != nil && !f.Changed && f.DefValue == def }
	if !moved(schools, "schools") && !moved(out, "dist") {
		return nil
	}
	if schools != nil && schools.Changed {
		return nil
	}
	root := findTrustRoot()
	if root == "" {
		return nil
	}
	for _, f := range []struct {
		flag *pflag.Flag
		def  string
	}{{schools, "schools"}, {out, "dist"}} {
		if moved(f.flag, f.def) {
			if err := f.flag.Value.Set(filepath.Join(root, f.def)); err != nil {
				return err
			}
		}
	}
	if q := c.Flags().Lookup("quiet"); q == nil || q.Value.String() != "true" {
		abs, _ := filepath.Abs(root)
		fmt.Fprintf(errOut, "using the trust folder %s (%s)\n", filepath.ToSlash(root), abs)
	}
	return nil
}

// sourceDate is SOURCE_DATE_EPOCH (the reproducible-builds convention) as
// a time, or the zero time when it is unset. Only the command layer reads
// the environment: the build hands this to compose, which dates each
// document's file metadata with it.
func sourceDate() (time.Time, error) {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		return time.Time{}, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, usagef("SOURCE_DATE_EPOCH=%q is not a number of seconds", s)
	}
	t := time.Unix(n, 0).UTC()
	if !config.InRange(config.NewDate(t.Year(), t.Month(), t.Day())) {
		return time.Time{}, usagef("SOURCE_DATE_EPOCH=%s is out of range: it must fall between %s and %s", s, config.MinDate.ISO(), config.MaxDate.ISO())
	}
	return t, nil
}
