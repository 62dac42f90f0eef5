//go:build unix

package pdf

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used (user + system, every
// thread, the garbage collector included). On a shared machine it says
// what a render costs even when the wall clock is inflated by waiting.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
