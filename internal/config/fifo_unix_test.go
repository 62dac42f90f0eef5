//go:build unix

package config

import "syscall"

// mkfifo makes a named pipe, for the tests that a FIFO input is refused.
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o644) }
