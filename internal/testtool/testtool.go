// Package testtool finds the external programs that tests drive (poppler's
// pdftotext, pdfinfo and pdffonts, qpdf, git, headless Chromium, and the
// two readers of Word output, LibreOffice and pandoc). It is
// imported by tests only.
//
// One rule for every such test: without the tool it is skipped on a
// developer's machine but fails in CI (CI is set), where .ci/run installs
// every tool, so a missing package can never let CI pass silently.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// packages names the Debian package that provides each tool, for the
// failure message.
var packages = map[string]string{
	"pdftotext": "poppler-utils",
	"pdfinfo":   "poppler-utils",
	"pdffonts":  "poppler-utils",
	"pdftoppm":  "poppler-utils",
	"qpdf":      "qpdf",
	"git":       "git",
	"chromium":  "chromium",
	"soffice":   "libreoffice-writer-nogui",
	"pandoc":    "pandoc",
}

// Path returns the path of the named program, or ends the test: Fatal in
// CI, Skip elsewhere.
func Path(t testing.TB, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	missing(t, name)
	return ""
}

// Chromium returns the path of a headless-capable Chromium or Chrome, or
// ends the test as Path does.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	missing(t, "chromium")
	return ""
}

func missing(t testing.TB, name string) {
	t.Helper()
	pkg := packages[name]
	if pkg == "" {
		pkg = name
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed (apt-get install %s); .ci/run must install it", name, pkg)
	}
	t.Skipf("%s not installed (apt-get install %s); CI installs it", name, pkg)
}
