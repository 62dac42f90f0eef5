package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestWorkflowCommands: every policypack command the repository's CI
// workflow, and the one init writes for a trust, runs exists and takes the
// flags it is given, so a renamed flag cannot silently break a weekly
// review job.
func TestWorkflowCommands(t *testing.T) {
	for _, path := range []string{"../../.github/workflows/policy-review.yml", "../scaffold/files/dot-github/workflows/policy-review.yml"} {
		t.Run(path, func(t *testing.T) { checkWorkflow(t, path) })
	}
}

func checkWorkflow(t *testing.T, path string) {
	data, err := os.ReadFile(path)
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
