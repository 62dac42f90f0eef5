package build

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/policypack/policypack/internal/atomicfile"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/manifest"
)

// placeholder is the empty file that keeps an output folder in git.
const placeholder = ".gitkeep"

// lockName is the file a build locks in the output folder.
const lockName = ".policypack.lock"

var shardManifestRe = regexp.MustCompile(`^manifest-\d+-of-\d+\.json$`)

// openOutput opens the output folder at abs (shown to the user as given),
// creating it if it does not exist. An output folder is one that is empty
// (apart from a placeholder such as .gitkeep) or holds a manifest this
// program wrote: anything else (a repository's root, a home folder, "/")
// is refused, so a build never mixes its files, its removals or its
// clean-up of temporary files into a folder that is not its own.
func openOutput(abs, given string) (_ *atomicfile.Dir, created bool, err error) {
	st, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return nil, false, err
		}
		created = true
	case err != nil:
		return nil, false, err
	case !st.IsDir():
		return nil, false, &diag.Error{File: given, Msg: "is not a folder", Hint: "--out names the folder the packs are written into (dist by default)"}
	default:
		if err := isOutputFolder(abs, given); err != nil {
			// A first build still running into the folder has written
			// files but no manifest yet: say that it is busy, not foreign.
			if _, lerr := os.Lstat(filepath.Join(abs, lockName)); lerr == nil {
				if d, derr := atomicfile.OpenDir(abs); derr == nil {
					unlock, lerr := lock(d)
					if lerr == nil {
						unlock()
					}
					d.Close()
					if lerr != nil {
						return nil, false, lerr
					}
				}
			}
			return nil, false, err
		}
	}
	d, err := atomicfile.OpenDir(abs)
	return d, created, err
}

// isOutputFolder reports, as an error with a hint, why the existing folder
// dir is not one a build may write into.
func isOutputFolder(dir, given string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var other []string
	for _, e := range entries {
		n := e.Name()
		if e.Type().IsRegular() && (n == manifest.Name || shardManifestRe.MatchString(n)) {
			return nil
		}
		if n != placeholder && n != lockName {
			other = append(other, n)
		}
	}
	if len(other) == 0 {
		return nil
	}
	shown := other
	if len(shown) > 5 {
		shown = append(slices.Clone(shown[:5]), fmt.Sprintf("and %d more", len(other)-5))
	}
	return &diag.Error{File: given, Msg: "is not an output folder: it is not empty and holds no manifest.json from a previous build (it holds " + strings.Join(shown, ", ") + ")",
		Hint: "give --out a new or empty folder, or one a previous build wrote (it holds manifest.json); policypack writes and removes files only in its own output folder"}
}

// lockHeld is the error when another build holds the output folder.
func lockHeld(dir *atomicfile.Dir, holder string) error {
	holder = strings.TrimSpace(holder)
	if holder == "" {
		holder = "another process"
	}
	return &diag.Error{File: dir.Path(), Msg: "is in use by another build (" + holder + ")",
		Hint: "wait for that build to finish: two builds into one folder would mix their files and their manifests"}
}

// holderLine says who holds the lock, for the message another build prints.
func holderLine() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("pid %d on %s, since %s", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
}
