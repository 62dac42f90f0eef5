package configtest

import (
	"testing"

	"github.com/BurntSushi/toml"
)

func TestRequiredFactsIsTOML(t *testing.T) {
	var v map[string]any
	if _, err := toml.Decode(RequiredFacts, &v); err != nil {
		t.Fatalf("RequiredFacts is not TOML: %v", err)
	}
}

func TestOnlineSafetyLast(t *testing.T) {
	in := "name = \"x\"\n[policies.online-safety]\nversion = \"1\"\n[policies.online-safety.facts]\n[policies.mobile-phones]\nversion = \"2\"\n"
	want := "name = \"x\"\n[policies.mobile-phones]\nversion = \"2\"\n\n[policies.online-safety]\nversion = \"1\"\n[policies.online-safety.facts]\n"
	if got := string(OnlineSafetyLast([]byte(in))); got != want {
		t.Errorf("OnlineSafetyLast =\n%q\nwant\n%q", got, want)
	}
	if got := string(OnlineSafetyLast([]byte("name = \"x\"\n"))); got != "name = \"x\"\n" {
		t.Errorf("a file without the table changed: %q", got)
	}
}
