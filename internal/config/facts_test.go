package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// phones is a policy with one fact of each type.
var phones = []PolicyFacts{{ID: "mobile-phones", Facts: []Fact{
	{Name: "approach", Type: FactChoice, Values: []string{"no-access", "handed-in", "pouches"}, Required: true, Doc: "approach", Example: `"handed-in"`},
	{Name: "storage", Type: FactString, Doc: "where phones are kept", Example: `"the office"`},
	{Name: "staff_may_use", Type: FactBool, Default: false, Doc: "staff use", Example: "true"},
	{Name: "age", Type: FactInteger, Doc: "age", Example: "11"},
	{Name: "since", Type: FactDate, Doc: "since", Example: "2026-01-05"},
	{Name: "exceptions", Type: FactList, Values: []string{"medical", "young-carer", "send"}, Doc: "exceptions", Example: `["medical"]`},
	{Name: "contacts", Type: FactTable, Doc: "contacts", Example: `{ office = "01234 567890" }`},
}}}

func TestFactsLoad(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"_defaults.toml": "[policies.mobile-phones.facts]\napproach = \"pouches\"\n",
		"a.toml":         minimal + "\n[policies.mobile-phones.facts]\nstorage = \"locked pouches\"\nexceptions = [\"medical\"]\nsince = 2026-01-05\n\n[policies.mobile-phones.facts.contacts]\noffice = \"01234\"\n",
	})
	set, err := LoadPolicies(dir, phones)
	if err != nil {
		t.Fatal(err)
	}
	got := set.Schools[0].Policies["mobile-phones"].Facts
	want := map[string]any{
		"approach": "pouches", "storage": "locked pouches", "staff_may_use": false, "age": 0,
		"since": NewDate(2026, 1, 5), "exceptions": []string{"medical"}, "contacts": map[string]string{"office": "01234"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("facts = %#v\nwant %#v", got, want)
	}
}

func TestFactsErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"_defaults.toml": "[policies.mobile-phones.facts]\nstorag = \"x\"\n",
		"a.toml":         minimal + "\n[policies.mobile-phones.facts]\nage = \"eleven\"\nexceptions = [\"medicl\"]\nstaff_may_use = \"yes\"\n",
		"b.toml":         minimal + "\n[policies.mobile-phones.facts]\napproach = \"lockers\"\n",
		"c.toml":         minimal + "\n[policies.mobile-phones.facts]\napproach = \"\"\n",
		// Listed in confirm, a required fact may wait; an undeclared key may not.
		"d.toml": "confirm = [\"policies.mobile-phones.facts.approach\", \"policies.mobile-phones.facts.colour\"]\n" + minimal,
	})
	_, err := LoadPolicies(dir, phones)
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("err = %v", err)
	}
	text := err.Error()
	if strings.Contains(text, "d.toml: policies") || strings.Contains(text, "d.toml:1: policies") {
		t.Errorf("a fact listed in confirm was reported missing:\n%s", text)
	}
	for _, w := range []string{
		"_defaults.toml:2: policies.mobile-phones.facts.storag: unknown key", `did you mean "policies.mobile-phones.facts.storage"?`,
		"a.toml:6: policies.mobile-phones.facts.age: must be a whole number",
		`a.toml:7: policies.mobile-phones.facts.exceptions[0]: "medicl" is not one of the allowed values`, `did you mean "medical"?`,
		"a.toml:8: policies.mobile-phones.facts.staff_may_use: must be true or false",
		"a.toml:5: policies.mobile-phones.facts.approach: missing required value", `add approach = "handed-in" (one of no-access, handed-in, pouches) under [policies.mobile-phones.facts], or list "policies.mobile-phones.facts.approach" in confirm`,
		`b.toml:6: policies.mobile-phones.facts.approach: "lockers" is not one of the allowed values`,
		"c.toml:6: policies.mobile-phones.facts.approach: must not be empty: the policy requires it",
		`d.toml:1: confirm[1]: "policies.mobile-phones.facts.colour" is not a key that can be confirmed later`,
	} {
		if !strings.Contains(text, w) {
			t.Errorf("missing %q in:\n%s", w, text)
		}
	}
}

// A school that switches a policy off need not state its required facts,
// and the switch can come from any layer.
func TestFactsDisabledPolicy(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"_defaults.toml": "[policies.mobile-phones]\nenabled = false\n",
		"a.toml":         minimal,
		"b.toml":         minimal + "\n[policies.mobile-phones]\nenabled = true\n[policies.mobile-phones.facts]\napproach = \"pouches\"\n",
	})
	set, err := LoadPolicies(dir, phones)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := set.Schools[0], set.Schools[1]; a.Has("mobile-phones") || !b.Has("mobile-phones") || !a.Has("online-safety") {
		t.Errorf("Has: a %v, b %v, a online-safety %v", a.Has("mobile-phones"), b.Has("mobile-phones"), a.Has("online-safety"))
	}
}

func TestCheckFact(t *testing.T) {
	for _, tc := range []struct {
		f    Fact
		want string
	}{
		{Fact{Name: "Bad-Name", Type: FactString, Doc: "x"}, "name:"},
		{Fact{Name: "a", Type: "strng", Doc: "x"}, `did you mean "string"?`},
		{Fact{Name: "a", Type: FactChoice, Doc: "x"}, "values: a choice lists"},
		{Fact{Name: "a", Type: FactString}, "doc:"},
		{Fact{Name: "a", Type: FactString, Doc: "x", Required: true, Default: "y"}, "default: a required fact has no default"},
		{Fact{Name: "a", Type: FactInteger, Doc: "x", Default: "twelve"}, "default: must be a whole number"},
		{Fact{Name: "a", Type: FactChoice, Values: []string{"x"}, Doc: "x", Example: `"y"`}, "example:"},
	} {
		var msgs []string
		for _, pr := range CheckFact(tc.f) {
			msgs = append(msgs, pr.Key+": "+pr.Msg+" "+pr.Hint)
		}
		got := strings.Join(msgs, "\n")
		if !strings.Contains(got, tc.want) {
			t.Errorf("CheckFact(%+v) = %q, want %q", tc.f, got, tc.want)
		}
	}
	if got := CheckFact(phones[0].Facts[2]); got != nil {
		t.Errorf("sound fact: %v", got)
	}
}

// A school loaded without the declarations (Load) still gives templates
// typed facts, and typing what the loader typed changes nothing.
func TestTypedFacts(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.toml": minimal + "\n[policies.mobile-phones.facts]\napproach = \"pouches\"\nage = 11\nsince = 2026-01-05\nexceptions = [\"medical\"]\n",
	})
	loose, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	checked, err := LoadPolicies(dir, phones)
	if err != nil {
		t.Fatal(err)
	}
	want := checked.Schools[0].Policies["mobile-phones"].Facts
	if got := TypedFacts(loose.Schools[0].Policies["mobile-phones"].Facts, phones[0].Facts); !reflect.DeepEqual(got, want) {
		t.Errorf("typed from Load = %#v\nwant %#v", got, want)
	}
	if got := TypedFacts(want, phones[0].Facts); !reflect.DeepEqual(got, want) {
		t.Errorf("typed twice = %#v\nwant %#v", got, want)
	}
}
