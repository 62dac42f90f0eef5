package build

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/policies"
	"github.com/policypack/policypack/internal/review"
)

// inputVersion changes when the way inputs are hashed changes, so old
// manifests never match.
const inputVersion = "policypack-inputs-1"

// programID identifies the running program's code, never where its
// executable sits or when it was copied, so the same binary gives the
// same manifest anywhere. A release (a module version) or a build from a
// clean checkout (a VCS revision, not modified) is identified by its build
// information: the versions and sums of the main module and every
// dependency, the revision and the build settings. Any other build (go
// run, go test, a checkout with edits) carries no name for its code, so
// the executable's bytes are hashed instead, once per process (about 20
// ms). "" (the executable cannot be read) makes every school rebuild.
var programID = sync.OnceValue(func() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		if id := programIDOf(bi); id != "" {
			return id
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return "exe:" + hex.EncodeToString(h.Sum(nil))
})

// programIDOf names a build by its build information, or returns "" when
// that information does not pin the code down.
func programIDOf(bi *debug.BuildInfo) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s %s\n", bi.GoVersion, bi.Main.Path, bi.Main.Version, bi.Main.Sum)
	known := bi.Main.Version != "" && bi.Main.Version != "(devel)"
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.modified":
			if s.Value == "true" {
				return "" // edited since the revision: the revision says nothing
			}
		case "vcs.revision":
			known = true
		}
		fmt.Fprintf(&b, "%s=%s\n", s.Key, s.Value)
	}
	for _, d := range bi.Deps {
		fmt.Fprintf(&b, "%s %s %s\n", d.Path, d.Version, d.Sum)
	}
	if !known {
		return ""
	}
	sum := sha256.Sum256([]byte(b.String()))
	return "build:" + hex.EncodeToString(sum[:])
}

// templatesHash hashes every file of the policy set that a build reads
// (policies.IsTemplateFile: built-in templates under the trust's overrides),
// path and bytes, in walk order (sorted): editing a README in the templates
// folder rebuilds nothing.
func templatesHash(cat *policies.Set) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(cat.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !policies.IsTemplateFile(p) {
			return nil
		}
		data, err := cat.FS.ReadFile(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(data))
		h.Write(data)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hashing templates: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// inputHash is the sha256 of everything one school's files depend on. The
// as-of date enters only through each policy's review state and next
// review date (what compose shows), so a school is not rebuilt every day.
func (b *builder) inputHash(s *config.School) (string, error) {
	h := sha256.New()
	field := func(h hash.Hash, k, v string) { fmt.Fprintf(h, "%s=%d:%s\n", k, len(v), v) }
	field(h, "inputs", inputVersion)
	field(h, "program", programID())
	field(h, "version", b.opts.Version)
	field(h, "templates", b.templates)
	field(h, "formats", strings.Join(b.formats, ","))
	// SOURCE_DATE_EPOCH dates the documents when it is set, so a
	// different value must rebuild.
	source := ""
	if !b.opts.SourceDate.IsZero() {
		source = strconv.FormatInt(b.opts.SourceDate.Unix(), 10)
	}
	field(h, "source-date-epoch", source)
	for _, r := range b.reports {
		field(h, "report", r.ID)
	}
	field(h, "school", s.ID)
	// Exactly the bytes that were parsed and will be rendered: a file saved
	// again while the build runs must not be recorded beside output made
	// from its old text.
	for _, in := range s.Source.Inputs() {
		field(h, "config "+filepath.Base(in.File), string(in.Data))
	}
	if lg := b.Logo(s); lg.Data != nil {
		// The logo as read once by Open and embedded (a PNG flattened:
		// a function of the file's bytes alone).
		field(h, "logo", lg.Type+" "+string(lg.Data))
	}
	for _, p := range b.cat.Policies {
		st := review.Of(s.Policies[p.ID], b.opts.AsOf, review.DefaultWindowDays)
		field(h, "review "+p.ID, string(st.State)+" "+st.Next.ISO()+" "+st.Notice())
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
