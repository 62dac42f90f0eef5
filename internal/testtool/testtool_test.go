package testtool

import (
	"os"
	"runtime"
	"testing"
)

func TestPathFindsGo(t *testing.T) {
	// go is on PATH wherever the tests run.
	if p := Path(t, "go"); p == "" {
		t.Fatal("Path(go) returned an empty path")
	}
}

func TestMissingFailsInCI(t *testing.T) {
	if os.Getenv("CI") == "" {
		t.Setenv("CI", "true")
	}
	ft := &fakeT{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Path(ft, "policypack-no-such-tool")
	}()
	<-done
	if !ft.failed || ft.skipped {
		t.Fatalf("a missing tool in CI: failed=%v skipped=%v, want a failure", ft.failed, ft.skipped)
	}
}

// fakeT records Fatal and Skip instead of ending the real test.
type fakeT struct {
	testing.TB
	failed, skipped bool
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(string, ...any) {
	f.failed = true
	runtime.Goexit()
}
func (f *fakeT) Skipf(string, ...any) {
	f.skipped = true
	runtime.Goexit()
}
