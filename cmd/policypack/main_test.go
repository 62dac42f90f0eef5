package main

import (
	"testing"

	"github.com/policypack/policypack/internal/build"
)

func TestSoftMemoryLimit(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if limit, ok := softMemoryLimit(getenv); !ok || limit != build.MemoryLimit {
		t.Errorf("without GOMEMLIMIT: %d, %v; want %d, true", limit, ok, build.MemoryLimit)
	}
	env["GOMEMLIMIT"] = "1GiB"
	if _, ok := softMemoryLimit(getenv); ok {
		t.Error("GOMEMLIMIT set: the built-in limit overrode it")
	}
}
