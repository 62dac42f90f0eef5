package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Every input has a bound, checked before the expensive work, and each
// refusal names the file, the line and the key.
func TestBounds(t *testing.T) {
	deep := func(open, close string) string {
		return strings.Repeat(open, 5000) + "1" + strings.Repeat(close, 5000)
	}
	tests := []struct {
		name, body string
		want       []string
	}{
		{"deep table header", minimal + "[" + strings.Repeat("a.", 5000) + "a]\nb = 1\n", []string{"a.toml:4: tables nest more than 32 levels deep", "hint:"}},
		{"deep inline tables", minimal + "q = " + deep("{a=", "}") + "\n", []string{"a.toml:4: tables nest more than 32 levels deep"}},
		{"deep arrays", minimal + "q = " + deep("[", "]") + "\n", []string{"a.toml:4: tables nest more than 32 levels deep"}},
		{"deep dotted key", minimal + strings.Repeat("a.", 5000) + "a = 1\n", []string{"a.toml:4: tables nest more than 32 levels deep"}},
		{"huge string", minimal + "website = \"" + strings.Repeat("x", 1<<20-200) + "\"\n", []string{"a.toml:4: website: is 1048376 characters long; the most is 1000"}},
		{"NUL", minimal + "website = \"a\\u0000b\"\n", []string{"a.toml:4: website: contains the control character U+0000", "hint: remove it"}},
		{"ESC", "name = \"Oak\\u001b[2J\"\nphase = \"primary\"\nkey_stages = [\"KS1\"]\n", []string{"a.toml:1: name: contains the control character U+001B"}},
		{"newline in a line", "name = \"\"\"Oak\nPrimary\"\"\"\nphase = \"primary\"\nkey_stages = [\"KS1\"]\n", []string{"a.toml:1: name: contains a line break", "only replace and append"}},
		{"date 0001-01-01", minimal + "\n[policies.online-safety]\napproved_on = 0001-01-01\n", []string{"a.toml:6: policies.online-safety.approved_on: 0001-01-01 is out of range", "dates run from 1900-01-01 to 9999-12-31"}},
		{"file too large", minimal + "# " + strings.Repeat("x", 1<<20) + "\n", []string{"a.toml: is larger than 1 MiB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"a.toml": tt.body})
			start := time.Now()
			_, err := Load(dir)
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("took %v", took)
			}
			if err == nil {
				t.Fatal("loaded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
	// Multi-line Markdown is allowed where the schema takes it.
	dir := writeFiles(t, map[string]string{"a.toml": minimal + "\n[policies.online-safety.sections.scope]\nreplace = \"\"\"One.\r\n\r\nTwo.\"\"\"\n"})
	if _, err := Load(dir); err != nil && strings.Contains(err.Error(), "line break") {
		t.Errorf("replace with paragraphs: %v", err)
	}
}

// A config that is a FIFO, a device or a link out of the schools folder is
// refused before it is opened for reading (a FIFO would block for ever).
func TestConfigFilesMustBeRegular(t *testing.T) {
	for _, tt := range []struct {
		name, want string
		make       func(dir string) error
	}{
		{"fifo", "is not a regular file (a FIFO)", func(dir string) error { return mkfifo(filepath.Join(dir, "b.toml")) }},
		{"link to a device", "is a link that leads outside", func(dir string) error { return os.Symlink("/dev/zero", filepath.Join(dir, "b.toml")) }},
		{"link out", "is a link that leads outside", func(dir string) error {
			os.WriteFile(filepath.Join(dir, "..", "secret.toml"), []byte(minimal), 0o644)
			return os.Symlink("../secret.toml", filepath.Join(dir, "b.toml"))
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"a.toml": minimal})
			if err := tt.make(dir); err != nil {
				if errors.Is(err, errors.ErrUnsupported) {
					t.Skip("no named pipes here")
				}
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { _, err := Load(dir); done <- err }()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), "b.toml: "+tt.want) {
					t.Errorf("Load: %v", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Load hung")
			}
		})
	}
}
