package config

import "github.com/policypack/policypack/internal/diag"

// Error is one problem in a config file: the one diagnostic type, under the
// name the config loader's callers already use.
type Error = diag.Error

// Errors is every problem found in one run, sorted by file and line.
type Errors = diag.List
