package cli

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/policypack/policypack/internal/testtool"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"policypack": func() {
			os.Exit(Main(os.Args[1:], IO{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}))
		},
	})
}

// TestScripts runs the txtar scripts in testdata/script: each is a user's
// session (files, commands, expected output and files left behind).
func TestScripts(t *testing.T) {
	// Scripts that read a PDF's text run $PDFTOTEXT, found the one way.
	pdftotext := testtool.Path(t, "pdftotext")
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("PDFTOTEXT", pdftotext)
			env.Setenv("SOURCE_DATE_EPOCH", "1735689600") // 2025-01-01
			return nil
		},
	})
}
