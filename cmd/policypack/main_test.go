package main

import "testing"

func TestSoftMemoryLimit(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if limit, ok := softMemoryLimit(getenv); !ok || limit != memoryLimit {
		t.Errorf("without GOMEMLIMIT: %d, %v; want %d, true", limit, ok, memoryLimit)
	}
	env["GOMEMLIMIT"] = "1GiB"
	if _, ok := softMemoryLimit(getenv); ok {
		t.Error("GOMEMLIMIT set: the built-in limit overrode it")
	}
}
