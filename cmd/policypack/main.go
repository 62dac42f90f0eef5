// Command policypack builds school policy packs. See the README for usage.
package main

import (
	"os"
	"runtime/debug"

	"github.com/policypack/policypack/internal/build"
	"github.com/policypack/policypack/internal/cli"
)

func main() {
	if limit, ok := softMemoryLimit(os.Getenv); ok {
		debug.SetMemoryLimit(limit)
	}
	os.Exit(cli.Main(os.Args[1:], cli.IO{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}))
}

// softMemoryLimit returns the process's soft memory limit (see
// build.MemoryLimit), and false when the user chose one with GOMEMLIMIT
// (the runtime has already applied it, and it wins). It is set here, once,
// not by a library that a test or the preview server also calls.
func softMemoryLimit(getenv func(string) string) (int64, bool) {
	if getenv("GOMEMLIMIT") != "" {
		return 0, false
	}
	return build.MemoryLimit, true
}
