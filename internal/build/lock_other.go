//go:build !unix

package build

import (
	"errors"
	"io"
	"io/fs"
	"os"

	"github.com/policypack/policypack/internal/atomicfile"
)

// lock takes the output folder for one build by creating the lock file
// exclusively. Without flock a killed build leaves the file behind; the
// message then names the run that took it, so the user can remove it.
func lock(dir *atomicfile.Dir) (unlock func(), err error) {
	f, err := dir.Root().OpenFile(lockName, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		holder, _ := dir.Root().ReadFile(lockName)
		if len(holder) > 200 {
			holder = holder[:200]
		}
		return nil, lockHeld(dir, string(holder)+"; if it is not running, remove "+lockName)
	}
	if err != nil {
		return nil, err
	}
	_, _ = io.WriteString(f, holderLine()+"\n")
	f.Close()
	return func() { _ = dir.Root().Remove(lockName) }, nil
}
