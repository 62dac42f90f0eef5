package diag

import (
	"slices"
	"testing"
)

const locateText = `name = "Robert Miles"
roles = { dsl = "Ann", deputy_dsl = "Ben" }
notes = """
[not.a.header]
name = "inside a string"
"""
kinds = [
  ["a", "b"],
]

[policies."online-safety"]
approved_on = 2024-05-24

[[requirements]]
id = "demo-one"

[[requirements]]
summary = "x"
id = "demo-two"
`

func TestTOMLLines(t *testing.T) {
	l := ScanTOML([]byte(locateText))
	for _, tc := range []struct {
		got, want int
		what      string
	}{
		{l.Line("name"), 1, "top-level key (not the one inside the string)"},
		{l.Line("roles.deputy_dsl"), 2, "key of an inline table"},
		{l.Line("policies.online-safety.approved_on"), 12, "key under a quoted header"},
		{l.Line("policies.online-safety.title"), 11, "missing key falls back to its table"},
		{l.Header("not.a.header", 0), 0, "header text inside a multi-line string"},
		{l.Header("requirements", 1), 17, "second element of an array of tables"},
		{l.In("requirements", 1, "id"), 19, "key in the second element"},
		{l.In("requirements", 0, "summary"), 0, "key absent from the first element"},
		{l.In("requirements", 2, "id"), 0, "element that does not exist"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: line %d, want %d", tc.what, tc.got, tc.want)
		}
	}
	if got := l.All("requirements.id"); !slices.Equal(got, []int{15, 19}) {
		t.Errorf("All(requirements.id) = %v, want [15 19]", got)
	}
	if got := l.All("requirements"); !slices.Equal(got, []int{14, 17}) {
		t.Errorf("All(requirements) = %v, want [14 17]", got)
	}
}
