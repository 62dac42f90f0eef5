package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

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

// addQuietFlag adds --quiet (-q).
func addQuietFlag(cmd *cobra.Command, quiet *bool) {
	cmd.Flags().BoolVarP(quiet, "quiet", "q", false, "print nothing but errors")
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
