//go:build unix

package build

import (
	"errors"
	"io"
	"os"
	"syscall"

	"github.com/policypack/policypack/internal/atomicfile"
)

// lock takes an exclusive lock on the output folder for one build (or
// merge), so two runs never interleave their writes and manifests. The
// lock is an flock on a file in the folder: the kernel releases it if the
// process dies, so a killed build never leaves the folder locked. The
// file holds who took the lock, for the message another run prints.
func lock(dir *atomicfile.Dir) (unlock func(), err error) {
	for range 10 {
		f, err := dir.Root().OpenFile(lockName, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			holder, _ := io.ReadAll(io.LimitReader(f, 200))
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, lockHeld(dir, string(holder))
			}
			return nil, err
		}
		// The file may have been removed by the run that held it between
		// our open and our lock: a lock on a removed file guards nothing.
		if !sameFile(dir, f) {
			f.Close()
			continue
		}
		_ = f.Truncate(0)
		_, _ = f.WriteAt([]byte(holderLine()+"\n"), 0)
		return func() {
			_ = dir.Root().Remove(lockName)
			f.Close()
		}, nil
	}
	return nil, lockHeld(dir, "")
}

func sameFile(dir *atomicfile.Dir, f *os.File) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := dir.Root().Lstat(lockName)
	return err == nil && os.SameFile(a, b)
}
