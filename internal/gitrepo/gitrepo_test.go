package gitrepo

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/testtool"
)

// TestLastApproval: the approval is found through the config cascade (an
// organisation file the school extends), a later commit that changes
// something else is not mistaken for it, and a revision whose config does
// not load reads as unapproved rather than failing the search.
func TestLastApproval(t *testing.T) {
	gitBin := testtool.Path(t, "git")
	dir := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(gitBin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=t",
			"GIT_COMMITTER_EMAIL=t@example.org", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	schools := filepath.Join(dir, "schools")
	if err := os.CopyFS(schools, os.DirFS("../../schools")); err != nil {
		t.Fatal(err)
	}
	edit := func(file, old, new string) {
		t.Helper()
		p := filepath.Join(schools, file)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s has no %q", file, old)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	commit := func(msg string) string {
		run("add", "-A")
		run("commit", "-q", "-m", msg)
		return run("rev-parse", "HEAD")
	}
	// The school has confirmed every value before the trust approves.
	rm := filepath.Join(schools, "robert-miles-infant.toml")
	b, err := os.ReadFile(rm)
	if err != nil {
		t.Fatal(err)
	}
	b = regexp.MustCompile(`(?ms)^confirm = \[.*?\]\n`).ReplaceAll(b, []byte("filtering.approvers = [\"headteacher\"]\npractice.mobile_phones = \"handed-in\"\nroles.filtering_lead = \"headteacher\"\nroles.filtering_governor = \"safeguarding governor\"\n"))
	if err := os.WriteFile(rm, b, 0o644); err != nil {
		t.Fatal(err)
	}
	run("init", "-q")
	commit("start")
	edit("_tilt.toml", "[policies.online-safety]\n", "[policies.online-safety]\napproved_on = 2023-05-24\n")
	approved := commit("the trust approves")
	edit("robert-miles-infant.toml", "name = \"Robert Miles Infant School\"", "name = \"Robert Miles Infant\"\nname = \"twice\"")
	commit("a mistake: the config does not load here")
	edit("robert-miles-infant.toml", "name = \"Robert Miles Infant\"\nname = \"twice\"", "name = \"Robert Miles Infants' School\"")
	commit("rename")

	repo, err := OpenRepo(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, on, err := repo.LastApproval("schools", "robert-miles-infant", "online-safety")
	if err != nil {
		t.Fatal(err)
	}
	if c != approved || on != "2023-05-24" {
		t.Errorf("LastApproval = %s, %q; want %s, 2023-05-24", c, on, approved)
	}
	if c, _, err := repo.LastApproval("schools", "hevingham-marsham", "online-safety"); err != nil || c != "" {
		t.Errorf("a school that was never approved: %q, %v", c, err)
	}
}
