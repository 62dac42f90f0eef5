package standards

import "github.com/policypack/policypack/internal/config"

// Error is one problem in a catalogue file (file, line, key, message and
// hint): the same shape as a config error, so both print alike.
type Error = config.Error

// ErrorList is every problem found in one load, sorted by file and line.
type ErrorList = config.Errors
