//go:build unix

package cli

import (
	"syscall"
	"time"
)

// formsCPUTime is the CPU time the process has used (user + system, every
// thread, the garbage collector included): on a shared machine it says what
// a run costs even when other work inflates the wall clock.
func formsCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
