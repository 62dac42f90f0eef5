package cli

import "testing"

// Only a version someone else can install by name is a release: the
// workflow init writes pins it, and anything else must not be pinned.
func TestIsRelease(t *testing.T) {
	for v, want := range map[string]bool{
		"v1.2.3": true, "v0.4.0-rc.1": true, "v2.0.0-beta": true,
		"dev": false, "(devel)": false, "v1.2.3-4-gabcdef0": false, "v1.2.3-dirty": false,
		"v0.0.0-20260101120000-abcdef123456": false, "v1.2.3+dirty": false, "abcdef0": false,
	} {
		if got := isRelease(v); got != want {
			t.Errorf("isRelease(%q) = %v, want %v", v, got, want)
		}
	}
}
