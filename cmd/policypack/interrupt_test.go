//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Ctrl-C in the middle of a long forms run: the program stops, removes
// what it had staged and exits 130, as a shell reports an interrupted
// program (issue 14, item 11).
func TestInterruptExits130(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "policypack") // testscript.Main runs the CLI under this name
	if err := os.Symlink(exe, bin); err != nil {
		t.Fatal(err)
	}
	var rows strings.Builder
	rows.WriteString("Forename,Surname,Year,Class\n")
	for i := range 1500 {
		fmt.Fprintf(&rows, "Pupil%d,Surname%d,%d,%dA\n", i, i, 1+i%2, 1+i%2)
	}
	roster := filepath.Join(dir, "pupils.csv")
	if err := os.WriteFile(roster, []byte(rows.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	schools, _ := filepath.Abs(filepath.Join("..", "..", "schools"))
	cmd := exec.Command(bin, "forms", "robert-miles-infant", "--schools", schools, "--form", "parent-agreement",
		"--roster", roster, "--out", filepath.Join(out, "forms.pdf"), "-q")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// Interrupt once the run is writing (its temporary file exists): by
	// then the program handles the signal itself.
	deadline := time.Now().Add(60 * time.Second)
	for {
		if es, _ := os.ReadDir(out); len(es) > 0 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the run ended before it could be interrupted: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the run wrote nothing in 60 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err = <-done
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("after Ctrl-C: %v, want exit status 130", err)
	}
	if es, _ := os.ReadDir(out); len(es) != 0 {
		t.Errorf("an interrupted run left %v", es)
	}
}
