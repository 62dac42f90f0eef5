// Package gitrepo reads a git work tree through the git binary's plumbing:
// files as a commit holds them, and the commit that last approved a policy
// (found by loading the schools folder as each commit held it). It is what
// `diff` compares; the redline itself knows nothing of git or config.
package gitrepo

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/diag"
)

// Repo is a git work tree, driven through the git binary's plumbing
// commands, so the redline sees exactly what git has stored.
type Repo struct {
	Root string // absolute path of the work tree's top folder
}

// OpenRepo finds the git work tree that contains dir.
func OpenRepo(dir string) (*Repo, error) {
	out, err := git(dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, &diag.Error{Msg: fmt.Sprintf("%s is not in a git repository: %v", dir, err), Err: err,
			Hint: "policypack diff compares commits of your trust's repository; run it inside one"}
	}
	return &Repo{Root: strings.TrimSpace(string(out))}, nil
}

func git(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	// A user's pager or colour settings must not change what we parse.
	cmd.Env = append(os.Environ(), "GIT_PAGER=cat", "GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C")
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
	}
	return out, nil
}

// Resolve turns a revision (HEAD~2, a tag, a hash) into a full commit hash.
func (r *Repo) Resolve(rev string) (string, error) {
	out, err := git(r.Root, "rev-parse", "--verify", "--quiet", rev+"^{commit}")
	if err != nil {
		return "", &diag.Error{Msg: fmt.Sprintf("%q is not a commit in %s", rev, r.Root), Hint: "use a commit hash, a tag or a name such as HEAD~1 (see `git log`)"}
	}
	return strings.TrimSpace(string(out)), nil
}

// Describe labels a commit for the redline: short hash, date and subject.
func (r *Repo) Describe(commit string) string {
	out, err := git(r.Root, "show", "-s", "--format=%h, %cs: %s", commit)
	if err != nil {
		return commit
	}
	return strings.TrimSpace(string(out))
}

// Rel returns path (relative to the current folder or absolute) relative to
// the repository root, slash-separated, or an error if it is outside.
func (r *Repo) Rel(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	// Resolve symlinks on both sides (macOS /tmp, for one) before comparing.
	if e, err := filepath.EvalSymlinks(abs); err == nil {
		abs = e
	}
	root := r.Root
	if e, err := filepath.EvalSymlinks(root); err == nil {
		root = e
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is outside the repository %s", p, r.Root)
	}
	return filepath.ToSlash(rel), nil
}

// Extract writes the given folders (repository-relative) as they were at
// commit into a new temporary folder and returns it with a function that
// removes it. Folders absent at that commit are skipped.
func (r *Repo) Extract(commit string, dirs ...string) (string, func(), error) {
	tmp, err := os.MkdirTemp("", "policypack-diff-*")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(tmp) }
	var present []string
	for _, d := range dirs {
		if d == "" {
			continue
		}
		if _, err := git(r.Root, "cat-file", "-e", commit+":"+d); err == nil {
			present = append(present, d)
		}
		// Always create the folder, so a templates folder added later
		// compares as "empty then" rather than "missing".
		if err := os.MkdirAll(filepath.Join(tmp, filepath.FromSlash(d)), 0o755); err != nil {
			cleanup()
			return "", nil, err
		}
	}
	if len(present) == 0 {
		return tmp, cleanup, nil
	}
	out, err := git(r.Root, append([]string{"archive", "--format=tar", commit, "--"}, present...)...)
	if err != nil {
		cleanup()
		return "", nil, err
	}
	if err := untar(bytes.NewReader(out), tmp); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("extracting %s at %s: %w", strings.Join(present, ", "), commit, err)
	}
	return tmp, cleanup, nil
}

// untar writes regular files and folders only, refusing any path that
// would land outside dir.
func untar(rd io.Reader, dir string) error {
	tr := tar.NewReader(rd)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := path.Clean(h.Name)
		if name == "." || strings.HasPrefix(name, "../") || path.IsAbs(name) {
			return fmt.Errorf("unsafe path %q in archive", h.Name)
		}
		target := filepath.Join(dir, filepath.FromSlash(name))
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
			if err != nil {
				return err
			}
			_, err = io.Copy(f, tr)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
		}
	}
}

// LastApproval finds the newest commit that changed the policy's
// effective approved_on for a school: the value config.Load resolves
// through the cascade (the school's own file, the organisation file it
// extends, _defaults.toml) from the schools folder as that commit held it.
// It walks the history of the schools folder (schoolsRel,
// repository-relative) comparing the value at each commit with its
// parent's, and returns "" when no commit ever set it. approvedOn is
// YYYY-MM-DD.
func (r *Repo) LastApproval(schoolsRel, id, policy string) (commit, approvedOn string, err error) {
	out, err := git(r.Root, "log", "--format=%H", "--", schoolsRel)
	if err != nil {
		return "", "", err
	}
	for _, c := range strings.Fields(string(out)) {
		cur, ok, err := r.approvalAt(c, schoolsRel, id, policy)
		if err != nil {
			return "", "", err
		}
		if !ok || cur == "" {
			continue
		}
		// Compare with the nearest ancestor whose config loads: a commit
		// with a mistake in it in between changes no approval.
		parent := ""
		for rev := c + "^"; ; rev += "^" {
			v, ok, err := r.approvalAt(rev, schoolsRel, id, policy)
			if err != nil {
				return "", "", err
			}
			if ok {
				parent = v
				break
			}
			if v == rootParent {
				break
			}
		}
		if parent != cur {
			return c, cur, nil
		}
	}
	return "", "", nil
}

// rootParent is what approvalAt returns for the parent of a root commit.
const rootParent = "\x00root"

// approvalAt is the school's approved_on for the policy at rev ("" when
// none is set or the school does not exist there); ok is false when the
// config does not load at that revision (a commit with a mistake in it),
// and value is rootParent when rev does not exist (a root commit's parent).
func (r *Repo) approvalAt(rev, schoolsRel, id, policy string) (value string, ok bool, err error) {
	if _, err := git(r.Root, "rev-parse", "--verify", "--quiet", rev+"^{commit}"); err != nil {
		return rootParent, false, nil
	}
	dir, cleanup, err := r.Extract(rev, schoolsRel)
	if err != nil {
		return "", false, err
	}
	defer cleanup()
	schools := filepath.Join(dir, filepath.FromSlash(schoolsRel))
	if _, err := os.Stat(filepath.Join(schools, id+".toml")); err != nil {
		return "", true, nil // not yet (or no longer) a school
	}
	set, err := config.Load(schools, id)
	if err != nil || len(set.Schools) == 0 {
		return "", false, nil
	}
	if d := set.Schools[0].Policies[policy].ApprovedOn; !d.IsZero() {
		return d.ISO(), true, nil
	}
	return "", true, nil
}
