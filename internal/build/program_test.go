package build

import (
	"runtime/debug"
	"strings"
	"testing"
)

// The program enters the input hash by what it is, never where it is:
// build information pins a release or a clean checkout; a checkout with
// edits (or no VCS information) pins nothing, so the executable's bytes
// are hashed instead.
func TestProgramID(t *testing.T) {
	bi := func(settings ...debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.26", Main: debug.Module{Path: "github.com/policypack/policypack", Version: "(devel)"},
			Deps: []*debug.Module{{Path: "github.com/yuin/goldmark", Version: "v1.7.8", Sum: "h1:x"}}, Settings: settings}
	}
	rev := debug.BuildSetting{Key: "vcs.revision", Value: "abc123"}
	clean := programIDOf(bi(rev, debug.BuildSetting{Key: "vcs.modified", Value: "false"}))
	if !strings.HasPrefix(clean, "build:") {
		t.Fatalf("a clean checkout: %q", clean)
	}
	if again := programIDOf(bi(rev, debug.BuildSetting{Key: "vcs.modified", Value: "false"})); again != clean {
		t.Error("the same build information gives another id")
	}
	if other := programIDOf(bi(debug.BuildSetting{Key: "vcs.revision", Value: "def456"})); other == clean {
		t.Error("another revision gives the same id")
	}
	if got := programIDOf(bi(rev, debug.BuildSetting{Key: "vcs.modified", Value: "true"})); got != "" {
		t.Errorf("an edited checkout: %q, want \"\" (hash the executable)", got)
	}
	if got := programIDOf(bi()); got != "" {
		t.Errorf("no VCS information: %q", got)
	}
	if id := programID(); !strings.HasPrefix(id, "exe:") && !strings.HasPrefix(id, "build:") {
		t.Errorf("programID() = %q", id)
	}
}
