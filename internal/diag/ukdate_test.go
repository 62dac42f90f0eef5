package diag

import (
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// A UK user's day/month/year date is a TOML syntax error; the message must
// name the date and hint the YYYY-MM-DD form of the date they meant.
func TestTOMLSourceUKDate(t *testing.T) {
	for _, tc := range []struct{ src, want, hint string }{
		{"name = \"x\"\napproved_on = 3/12/2026\n", `approved_on: "3/12/2026" is not a TOML date`, "approved_on = 2026-12-03 (3 December 2026)"},
		{"name = \"x\"\napproved_on = 03/12/2026 # governors\n", `approved_on: "03/12/2026" is not a TOML date`, "approved_on = 2026-12-03"},
		{"[policies.online-safety]\nnext_review = 24.05.2027\n", `next_review: "24.05.2027" is not a TOML date`, "next_review = 2027-05-24"},
	} {
		var m map[string]any
		_, err := toml.Decode(tc.src, &m)
		if err == nil {
			t.Fatalf("%q parsed", tc.src)
		}
		got := TOMLSource("a.toml", []byte(tc.src), err).Error()
		if !strings.Contains(got, "a.toml:2: "+tc.want) || !strings.Contains(got, "hint: write dates as YYYY-MM-DD without quotes: "+tc.hint) {
			t.Errorf("%q:\n%s", tc.src, got)
		}
		if strings.Contains(got, "leading zeroes") || strings.Contains(got, "newline") {
			t.Errorf("parser's own words leaked:\n%s", got)
		}
	}
	// A date that does not exist (31/02) is not guessed at.
	src := "d = 31/02/2026\n"
	var m map[string]any
	_, err := toml.Decode(src, &m)
	if got := TOMLSource("a.toml", []byte(src), err).Error(); strings.Contains(got, "2026-02-31") {
		t.Errorf("impossible date hinted: %s", got)
	}
}
