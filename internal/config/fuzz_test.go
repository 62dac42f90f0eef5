package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad: whatever a school's file holds, Load returns a set or an error
// naming a file, never both and never a panic, and what it accepts obeys
// the bounds (no string over MaxText, no control characters). Seeded with
// the example schools and the defaults they extend.
func FuzzLoad(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("..", "..", "schools", "*.toml"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seeds: %v", err)
	}
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(minimal + "q = {a={a={a=1}}}\n[x.y.z]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "a.toml"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		set, err := Load(dir)
		if (set == nil) == (err == nil) {
			t.Fatalf("set %v, err %v", set, err)
		}
		if err != nil {
			if !strings.Contains(err.Error(), "a.toml") && !strings.Contains(err.Error(), dir) {
				t.Errorf("error names no file: %v", err)
			}
			return
		}
		for _, s := range set.Schools {
			Strings(s, func(key, v string) {
				if len(v) > 4*MaxText {
					t.Errorf("%s: %d bytes accepted", key, len(v))
				}
				for _, r := range v {
					if r < 0x20 && r != '\n' && r != '\t' && r != '\r' {
						t.Errorf("%s: control character %U accepted", key, r)
					}
				}
			})
		}
	})
}
