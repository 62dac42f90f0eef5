package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestWorkflowCommands: every policypack command the repository's CI
// workflow runs exists and takes the flags it is given, so a renamed flag
// cannot silently break the weekly review job.
func TestWorkflowCommands(t *testing.T) {
	data, err := os.ReadFile("../../.github/workflows/policy-review.yml")
	if err != nil {
		t.Fatal(err)
	}
	cmdRe := regexp.MustCompile(`(?:^|[\s;&|({])policypack ([^>|;&)"]*)`)
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, m := range cmdRe.FindAllStringSubmatch(line, -1) {
			args := strings.Fields(m[1])
			io, _, _ := testIO()
			root := NewRoot(io)
			cmd, rest, err := root.Find(args)
			if err != nil || cmd == root {
				t.Errorf("workflow runs unknown command: policypack %s (%v)", m[1], err)
				continue
			}
			if err := cmd.ParseFlags(rest); err != nil {
				t.Errorf("workflow runs policypack %s: %v", m[1], err)
			}
			n++
		}
	}
	if n < 4 {
		t.Errorf("found only %d policypack commands in the workflow", n)
	}
}
