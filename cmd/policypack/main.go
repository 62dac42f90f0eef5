// Command policypack builds school policy packs. See the README for usage.
package main

import (
	"os"
	"runtime/debug"

	"github.com/policypack/policypack/internal/cli"
)

// memoryLimit is the process's soft memory limit. It keeps a large trust's
// build within a CI runner's memory: near it the collector works harder
// instead of letting the heap double. It is a setting of the whole process,
// so it is made here, once, and not by a library a test or server may call.
const memoryLimit = 200 << 20

func main() {
	if limit, ok := softMemoryLimit(os.Getenv); ok {
		debug.SetMemoryLimit(limit)
	}
	os.Exit(cli.Main(os.Args[1:], cli.IO{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}))
}

// softMemoryLimit returns the limit to set, and false when the user chose
// one with GOMEMLIMIT (the runtime has already applied it, and it wins).
func softMemoryLimit(getenv func(string) string) (int64, bool) {
	if getenv("GOMEMLIMIT") != "" {
		return 0, false
	}
	return memoryLimit, true
}
