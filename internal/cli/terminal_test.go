//go:build linux

package cli

import (
	"os"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// openTerminal opens a pseudo-terminal's two ends (no external program).
func openTerminal(t *testing.T) *os.File {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	if err := unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(master.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	slave, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { slave.Close() })
	return slave
}

// A PDF or Word document is never printed to a terminal (issue 14, item
// 10); a pipe or a file gets it, and text formats go anywhere.
func TestNoBinaryToTerminal(t *testing.T) {
	tty := openTerminal(t)
	if !isTerminal(tty) {
		t.Fatal("the pseudo-terminal is not seen as a terminal")
	}
	for _, f := range []string{"pdf", "docx"} {
		err := refuseBinaryToTerminal(IO{Out: tty}, "diff", f)
		if err == nil || exitCode(err) != ExitUsage {
			t.Errorf("%s to a terminal: %v, want a usage error", f, err)
		}
	}
	if err := refuseBinaryToTerminal(IO{Out: tty}, "diff", "html"); err != nil {
		t.Errorf("html to a terminal: %v", err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if err := refuseBinaryToTerminal(IO{Out: w}, "diff", "pdf"); err != nil {
		t.Errorf("pdf to a pipe: %v", err)
	}
}
