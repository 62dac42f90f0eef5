package ident

import (
	"regexp"
	"testing"
)

// The three checks accept exactly the sets the four regular expressions they
// replace accepted; the old expressions are written out here to prove it.
func TestSameSetsAsBefore(t *testing.T) {
	oldSource := regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	oldRequirement := regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)+$`)
	for _, s := range []string{
		"", "a", "7", "online-safety", "robert-miles-infant", "kcsie-2025", "2025-kcsie", "kcsie",
		"-a", "a-", "a--b", "A", "a_b", "a b", "é", "a.b", "kcsie-filtering-monitoring", "x-1", "1-x", "a-b-",
	} {
		if got, want := ValidSource(s), oldSource.MatchString(s); got != want {
			t.Errorf("ValidSource(%q) = %v, want %v", s, got, want)
		}
		if got, want := ValidRequirement(s), oldRequirement.MatchString(s); got != want {
			t.Errorf("ValidRequirement(%q) = %v, want %v", s, got, want)
		}
	}
	for s, want := range map[string]bool{
		"online-safety": true, "2024-intake": true, "a": true,
		"": false, "Online": false, "a--b": false, "-a": false, "a-": false, "a_b": false, "a/b": false,
	} {
		if Valid(s) != want {
			t.Errorf("Valid(%q) = %v, want %v", s, !want, want)
		}
	}
}
