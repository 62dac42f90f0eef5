// Package configtest holds school-file text that tests of several packages
// write into fixture schools. It is imported by tests only.
package configtest

import (
	"regexp"
	"strings"
)

// RequiredFacts sets, with plain values true of no real school, every fact
// the built-in policies other than online safety require, so that a fixture
// school written for another purpose builds all of its policies. A new
// built-in policy with required facts adds its block here once.
const RequiredFacts = `
[policies.mobile-phones.facts]
confiscated_until = "end-of-day"
exceptions_decided_by = "headteacher"
trips_and_clubs = "same-rules"

[policies.child-protection.facts]
dsl_contact = "through the school office"
out_of_hours = "on the safeguarding mobile"
front_door = "the local children's social care front door"
front_door_out_of_hours = "the local emergency duty team"
lado = "the local authority designated officer"
partnership = "the local safeguarding children partnership"
record_system = "the school's record of concern"
`

var confirmRe = regexp.MustCompile(`(?ms)^confirm = \[.*?\]\n`)

// ConfirmAll replaces an example school's confirm list (Robert Miles's)
// with values for the keys it lists, and adds RequiredFacts, as the school
// would before recording an approval.
func ConfirmAll(data []byte) []byte {
	data = append(data, RequiredFacts...)
	return confirmRe.ReplaceAll(data, []byte(`filtering.approvers = ["headteacher"]
filtering.system = "Example Filter"
practice.mobile_phones = "handed-in"
roles.filtering_lead = "headteacher"
roles.filtering_governor = "safeguarding governor"
ai.pupil_use = "none"
ai.approver = "headteacher"
`))
}

var tableRe = regexp.MustCompile(`(?m)^\[.*$`)

// OnlineSafetyLast moves the tables that follow a school file's
// [policies.online-safety] table (other policies') before it, so that what
// a test appends to the file lands in the online safety policy's table.
func OnlineSafetyLast(data []byte) []byte {
	s := string(data)
	i := strings.Index(s, "\n[policies.online-safety]\n")
	if i < 0 {
		return data
	}
	for _, m := range tableRe.FindAllStringIndex(s[i+1:], -1) {
		j := i + 1 + m[0]
		if !strings.HasPrefix(s[j:], "[policies.online-safety") {
			return []byte(s[:i+1] + s[j:] + "\n" + s[i+1:j])
		}
	}
	return data
}
