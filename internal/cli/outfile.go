package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/policypack/policypack/internal/diag"
)

// extFormats maps the extensions policypack writes to their formats.
var extFormats = map[string]string{".html": "html", ".htm": "html", ".pdf": "pdf", ".md": "md", ".markdown": "md", ".docx": "docx"}

// outFormat is the one rule for a command that writes one file in one of
// several formats: the format is --format, else what --out's extension
// says; an extension that names another format than --format, or a format
// the command does not write, is refused, as is an --out that is a folder.
// def is the format when there is no --out (standard output); example is a
// file name to suggest inside a folder given as --out.
func outFormat(cmd, flag, out string, formats []string, def, example string) (string, error) {
	flag = strings.ToLower(strings.TrimSpace(flag))
	if flag != "" && !slices.Contains(formats, flag) {
		return "", usagef("--format %s: unknown format: use %s", flag, orList(formats))
	}
	if out == "" {
		return cmpOr(flag, def), nil
	}
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return "", usageError{err: &diag.Error{File: out, Msg: "is a folder; --out wants the file to write",
			Hint: fmt.Sprintf("name the file inside it, e.g. --out %s", filepath.Join(out, example+"."+cmpOr(flag, def)))}}
	}
	ext := strings.ToLower(filepath.Ext(out))
	byExt, known := extFormats[ext]
	switch {
	case flag != "" && known && byExt != flag:
		return "", usagef("--out %s says %s but --format says %s: name the file %s, or drop --format", out, byExt, flag, strings.TrimSuffix(out, filepath.Ext(out))+"."+flag)
	case flag != "":
		return flag, nil
	case known && slices.Contains(formats, byExt):
		return byExt, nil
	case known:
		return "", usagef("--out %s: %s writes %s, not %s", out, cmd, orList(formats), byExt)
	case ext == "":
		return def, nil // a name without an extension is no mismatch
	default:
		exts := make([]string, len(formats))
		for i, f := range formats {
			exts[i] = "." + f
		}
		return "", usagef("--out %s: the format cannot be told from %q; name the file %s, or pass --format", out, ext, orList(exts))
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// binaryFormats are written as bytes no terminal can show.
var binaryFormats = []string{"pdf", "docx"}

// refuseBinaryToTerminal refuses to print a PDF or Word document's bytes on
// a terminal, as other tools do; a pipe or a redirect gets them.
func refuseBinaryToTerminal(io IO, cmd, format string) error {
	if !slices.Contains(binaryFormats, format) || !isTerminal(io.Out) {
		return nil
	}
	return usagef("%s --format %s writes a binary file, which would garble this terminal: pass --out FILE.%s, or redirect standard output to a file", cmd, format, format)
}

// splitFormat checks --out for a command that writes one file per group
// into a folder (forms --split-by): a name with a document's extension is
// a file name, not a folder, and is refused before a folder of that name is
// made.
func splitFormat(cmd, flag, out string, formats []string, def string) (string, error) {
	flag = strings.ToLower(strings.TrimSpace(flag))
	if flag != "" && !slices.Contains(formats, flag) {
		return "", usagef("--format %s: unknown format: use %s", flag, orList(formats))
	}
	if _, known := extFormats[strings.ToLower(filepath.Ext(out))]; known {
		if st, err := os.Stat(out); err != nil || !st.IsDir() {
			return "", usagef("--out %s: with --split-by, --out is the folder to write one file per group into, and %s looks like a file name: use a folder, e.g. --out %s/", out, filepath.Base(out), strings.TrimSuffix(out, filepath.Ext(out)))
		}
	}
	return cmpOr(flag, def), nil
}

// orList is "a, b or c".
func orList(xs []string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}
