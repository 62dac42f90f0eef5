package cli

import (
	"bytes"
	"testing"
)

// Only the label is coloured, wherever a write splits the lines.
func TestColorWriter(t *testing.T) {
	var b bytes.Buffer
	w := &colorWriter{w: &b}
	for _, s := range []string{"error: a.toml:2: bad\n\thint: fix", " it\nwarning: x error: y\n", "plain error: no\n", "note: n\n"} {
		if _, err := w.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	want := red + "error:" + reset + " a.toml:2: bad\n" + cyan + "\thint:" + reset + " fix it\n" + yellow + "warning:" + reset + " x error: y\nplain error: no\n" + cyan + "note:" + reset + " n\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
}

// NO_COLOR (any value) and TERM=dumb turn colour off; a pipe never has it.
func TestColorEnabled(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if !colorEnabled(true, getenv) || colorEnabled(false, getenv) {
		t.Error("colour should follow the terminal")
	}
	env["NO_COLOR"] = "1"
	if colorEnabled(true, getenv) {
		t.Error("NO_COLOR ignored")
	}
	delete(env, "NO_COLOR")
	env["TERM"] = "dumb"
	if colorEnabled(true, getenv) {
		t.Error("TERM=dumb ignored")
	}
}
