package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	schools := filepath.Join(dir, "schools")
	if err := os.MkdirAll(schools, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(schools, "bad.toml"), []byte("name = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"--version"}, ExitOK},
		{[]string{"schema"}, ExitOK},
		{[]string{"build", "--no-such-flag"}, ExitUsage},
		{[]string{"no-such-command"}, ExitUsage},
		{[]string{"manifest", "no-such-command"}, ExitUsage},
		{[]string{"manifest", "merge", "extra"}, ExitUsage},
		{[]string{"init"}, ExitUsage},
		{[]string{"diff", "a", "b"}, ExitUsage},
		{[]string{"due", "--within", "soon", "--schools", schools}, ExitUsage},
		{[]string{"due", "--schools", schools}, ExitUsage}, // a config error: 1 would mean "something is due"
		{[]string{}, ExitOK},
		{[]string{"manifest"}, ExitOK},
		{[]string{"new"}, ExitUsage},
		{[]string{"new", "Bad_Id", "--schools", schools}, ExitUsage},
		{[]string{"schema", "extra"}, ExitUsage},
		{[]string{"build", "--as-of", "24/05/2024", "--schools", schools}, ExitUsage},
		{[]string{"build", "--format", "odt", "--schools", schools}, ExitUsage},
		{[]string{"check", "--schools", schools}, ExitInvalid},
		{[]string{"build", "--schools", schools, "--out", filepath.Join(dir, "dist")}, ExitInvalid},
		{[]string{"check", "--schools", filepath.Join(dir, "missing")}, ExitInvalid},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		got := Main(tt.args, IO{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut})
		if got != tt.want {
			t.Errorf("policypack %v: exit %d, want %d\nstderr: %s", tt.args, got, tt.want, errOut.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "dist")); !os.IsNotExist(err) {
		t.Errorf("a failed build created its output folder")
	}
}

// TestExitCodeByType: the exit code follows the error's type, never its
// wording, and an unknown command still gets cobra's suggestions.
func TestExitCodeByType(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{errors.New("unknown command \"x\": accepts 1 arg, unknown flag, invalid argument"), ExitInvalid},
		{usagef("--format: unknown format"), ExitUsage},
		{fmt.Errorf("loading: %w", usagef("wrapped")), ExitUsage},
		{exitError{ExitInvalid}, ExitInvalid},
		{fmt.Errorf("wrapped: %w", exitError{ExitUsage}), ExitUsage},
	} {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
	var out, errOut bytes.Buffer
	if code := Main([]string{"buidl"}, IO{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut}); code != ExitUsage {
		t.Errorf("buidl: exit %d", code)
	}
	for _, want := range []string{`error: unknown command "buidl" for "policypack"`, "Did you mean this?\n\tbuild\n", "Run 'policypack --help' for usage."} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
		}
	}
	out.Reset()
	if code := Main(nil, IO{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut}); code != ExitOK || !strings.Contains(out.String(), "Available Commands:") {
		t.Errorf("no arguments: exit %d, help:\n%s", code, out.String())
	}
}
