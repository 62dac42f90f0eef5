package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/testtool"
)

// phonesPractice are what each example school's phones policy must and must
// not say of pupils' phones, from the school's own facts: Hevingham's online
// safety policy lets pupils use phones in a lesson's educational activity
// (practice.byod_guidance), so its phones policy follows that practice
// rather than calling phones never learning tools or its day phone-free; an
// infant school's has nothing for older pupils; the academy's sixth form
// keeps its own rule, which its pupils' promise does not contradict.
var phonesPractice = map[string]struct{ want, not []string }{
	"hevingham-marsham": {
		want: []string{
			"except as part of an educational activity that a member of staff leads",
			"unless my teacher asks me to as part of a lesson",
			"## 4. Our approach {#approach}",
		},
		not: []string{"not used as learning tools", "phone-free", "calculator", "I will not use a phone or smart watch anywhere"},
	},
	"robert-miles-infant": {
		want: []string{"never photograph or film a child on a personal phone", "the agreement is their parents' to make"},
		not:  []string{"Key Stage 2", "Key Stage 3", "sixth", "exam room", "examination", "calculator", "phone-free school day", "follow what the child protection"},
	},
	"fenbrook-academy": {
		want: []string{"## 4. Our approach: a phone-free school day", "talk and spend time with each other", "where this policy does not allow it"},
		not:  []string{"play and talk", "early years", "Key Stage 1", "Key Stage 2", "and I will keep to that"},
	},
}

// TestPhonesPolicyFollowsSchool: each example school's phones policy and
// agreement say what that school does (see phonesPractice).
func TestPhonesPolicyFollowsSchool(t *testing.T) {
	out := buildExamples(t, "md")
	for school, c := range phonesPractice {
		policy, err := os.ReadFile(filepath.Join(out, school, "mobile-phones.md"))
		if err != nil {
			t.Fatal(err)
		}
		form, err := os.ReadFile(filepath.Join(out, school, "forms", "phone-agreement.md"))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(policy)+string(form), `\`, "")
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s's phones policy lacks %q", school, w)
			}
		}
		for _, n := range c.not {
			if strings.Contains(text, n) {
				t.Errorf("%s's phones policy says %q, which its facts do not give", school, n)
			}
		}
	}
}

// TestPhonesPolicySaysItOnce: no sentence of a phones policy's body is
// said twice (the appendix is a form, and repeats the rules for its reader
// on purpose), so who approves it, when it is reviewed and where its rules
// apply are each said once; and a form on its own never calls itself "this
// policy", since it has no sections to point to.
func TestPhonesPolicySaysItOnce(t *testing.T) {
	out := buildExamples(t, "md")
	sentenceEnd := regexp.MustCompile(`[.!?:]\s+|\n`)
	for school := range phonesPractice {
		data, err := os.ReadFile(filepath.Join(out, school, "mobile-phones.md"))
		if err != nil {
			t.Fatal(err)
		}
		body, _, _ := strings.Cut(string(data), "\n## Appendix")
		seen := map[string]bool{}
		for _, s := range sentenceEnd.Split(body, -1) {
			s = strings.Join(strings.Fields(strings.TrimLeft(s, "-# ")), " ")
			if len(s) < 40 {
				continue
			}
			if seen[s] {
				t.Errorf("%s's phones policy says twice: %q", school, s)
			}
			seen[s] = true
		}
		form, err := os.ReadFile(filepath.Join(out, school, "forms", "phone-agreement.md"))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(form), "this policy") {
			t.Errorf("%s's phone agreement, a form on its own, points into \"this policy\"", school)
		}
	}
}

// TestPhoneAgreementHeadingsKeepTheirStage: in print, no version of the
// phone agreement leaves its stage's number alone on a line, as "... my
// mobile phone agreement, Key Stage" over "2" did with a long school name.
func TestPhoneAgreementHeadingsKeepTheirStage(t *testing.T) {
	pdftotext := testtool.Path(t, "pdftotext")
	out := buildExamples(t, "pdf")
	alone := regexp.MustCompile(`^\d+$`)
	for school := range phonesPractice {
		for _, f := range []string{"mobile-phones.pdf", filepath.Join("forms", "phone-agreement.pdf")} {
			text, err := exec.Command(pdftotext, "-layout", "-enc", "UTF-8", filepath.Join(out, school, f), "-").Output()
			if err != nil {
				t.Fatalf("pdftotext %s/%s: %v", school, f, err)
			}
			for _, line := range strings.Split(string(text), "\n") {
				if l := strings.TrimSpace(line); alone.MatchString(l) {
					t.Errorf("%s/%s has a line of only %q", school, f, l)
				}
			}
		}
	}
}
