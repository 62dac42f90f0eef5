package cli

import (
	"fmt"
	"regexp"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// releaseVersion is the release this binary is, "" when it is none: the
// version stamped by the release build (make build on a tag), else the
// module version `go install ...@vX.Y.Z` records. A development build (a
// commit after a tag, a dirty tree, "dev") is not a release, since nobody
// else can install the same binary by that name.
func releaseVersion() string {
	if isRelease(Version) {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && isRelease(bi.Main.Version) {
		return bi.Main.Version
	}
	return ""
}

// releaseRE is a release tag: v1.2.3, or a pre-release such as v1.2.3-rc.1.
// Pseudo-versions (v0.0.0-20250101120000-abcdef123456) and `git describe`
// of a later commit (v1.2.3-4-gabcdef) name a commit, not a release.
var releaseRE = regexp.MustCompile(`^v\d+\.\d+\.\d+(-(alpha|beta|rc)(\.\d+)?)?$`)

// isRelease reports whether v names a release tag.
func isRelease(v string) bool { return releaseRE.MatchString(v) }

// versionLine is what `policypack version` and --version print.
func versionLine() string {
	v := Version
	if r := releaseVersion(); r != "" {
		v = r
	}
	return fmt.Sprintf("policypack version %s (%s, %s/%s)", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func newVersionCmd(io IO) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print policypack's version",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintln(io.Out, versionLine())
			return err
		},
	}
}
