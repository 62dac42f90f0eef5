package cli

import (
	"bytes"
	"io"
	"os"
)

// ANSI colours for what a reader scans for: errors, warnings, notes and
// hints on standard error, and review states in due's table.
const (
	red    = "\x1b[1;31m"
	yellow = "\x1b[33m"
	cyan   = "\x1b[36m"
	green  = "\x1b[32m"
	reset  = "\x1b[0m"
)

// colorEnabled is the one rule for colour: only on a terminal, and never
// when NO_COLOR is set (https://no-color.org) or TERM is dumb.
func colorEnabled(terminal bool, getenv func(string) string) bool {
	return terminal && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// colorOn reports whether w should be coloured.
func colorOn(w io.Writer) bool {
	return colorEnabled(isTerminal(w), os.Getenv)
}

// colorWriter colours the label that starts a line ("error:", "warning:",
// "note:", "\thint:"), leaving the message itself plain.
type colorWriter struct {
	w       io.Writer
	midLine bool // the last write did not end a line
}

var labels = []struct {
	prefix, color string
}{
	{"error:", red}, {"warning:", yellow}, {"note:", cyan}, {"\thint:", cyan},
}

func (c *colorWriter) Write(p []byte) (int, error) {
	n := len(p)
	var out bytes.Buffer
	for len(p) > 0 {
		line := p
		if i := bytes.IndexByte(p, '\n'); i >= 0 {
			line = p[:i+1]
		}
		p = p[len(line):]
		mid := c.midLine
		c.midLine = line[len(line)-1] != '\n'
		if !mid {
			for _, l := range labels {
				if bytes.HasPrefix(line, []byte(l.prefix)) {
					out.WriteString(l.color + l.prefix + reset)
					line = line[len(l.prefix):]
					break
				}
			}
		}
		out.Write(line)
	}
	if _, err := c.w.Write(out.Bytes()); err != nil {
		return 0, err
	}
	return n, nil
}

// stateColor is the colour of a review state in a table.
func stateColor(state string) string {
	switch state {
	case "overdue":
		return red
	case "due", "due-soon":
		return yellow
	case "ok", "approved":
		return green
	}
	return ""
}

// paint wraps s in color when on, else returns s.
func paint(on bool, color, s string) string {
	if !on || color == "" {
		return s
	}
	return color + s + reset
}
