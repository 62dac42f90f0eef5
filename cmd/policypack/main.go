// Command policypack builds school policy packs. See the README for usage.
package main

import (
	"os"

	"github.com/policypack/policypack/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.IO{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}))
}
