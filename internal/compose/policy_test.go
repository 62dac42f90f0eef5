package compose

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/config/configtest"
	"github.com/policypack/policypack/internal/markdown"
	"github.com/policypack/policypack/internal/policies"
	"github.com/policypack/policypack/internal/review"
	"github.com/policypack/policypack/templates"
)

// exampleSchools copies the example schools into a temporary folder with
// school id's file rewritten by edit, and returns the folder.
func exampleSchools(t *testing.T, id string, edit func([]byte) []byte) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../schools")); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, id+".toml")
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f, edit(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// robertMiles composes Robert Miles Infant School's policy on 26 November
// 2026, with extra TOML appended to its config and a trust's templates
// (nil for none) over the built-ins.
func robertMiles(t *testing.T, extra string, trust fstest.MapFS) Output {
	t.Helper()
	dir := exampleSchools(t, "robert-miles-infant", func(data []byte) []byte {
		if strings.Contains(extra, "next_review") { // extra's replaces the school's own
			data = regexp.MustCompile(`(?m)^next_review = .*$`).ReplaceAll(data, nil)
		}
		if strings.Contains(extra, "approved_on") {
			data = configtest.ConfirmAll(data)
		}
		return append(configtest.OnlineSafetyLast(data), "\n"+extra...)
	})
	layers := policies.Overlay{templates.FS}
	if trust != nil {
		layers = policies.Overlay{trust, templates.FS}
	}
	cat, err := policies.New(layers, "trust")
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(cat, config.NewDate(2026, 11, 26))
	if err != nil {
		t.Fatal(err)
	}
	set, err := config.Load(dir, "robert-miles-infant")
	if err != nil {
		t.Fatal(err)
	}
	o, err := c.Policy(set.Schools[0], cat.Policy("online-safety"))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestPolicyFrontMatterIsData: the body is only body; the title block, the
// contents and the state travel beside it.
func TestPolicyFrontMatterIsData(t *testing.T) {
	o := robertMiles(t, "", nil)
	body := string(o.Markdown)
	for _, bad := range []string{"| Record |", "{#contents}", "Robert Miles Infant School**", "Review overdue"} {
		if strings.Contains(body, bad) {
			t.Errorf("the body holds front matter %q", bad)
		}
	}
	if !strings.HasPrefix(body, "## 1. About this procedure {#about}\n") {
		t.Errorf("the body does not start with the first section:\n%.200s", body)
	}
	tb := string(o.Meta.Front.TitleBlock)
	for _, want := range []string{"# Online Safety Procedure\n", "**Robert Miles Infant School**", "**To be approved by:** TILT",
		"> **DRAFT: not yet approved.** This procedure is a proposal until it is approved"} {
		if !strings.Contains(tb, want) {
			t.Errorf("title block lacks %q:\n%s", want, tb)
		}
	}
	if o.Meta.State != markdown.StateDraft {
		t.Errorf("state = %v, want draft", o.Meta.State)
	}
}

// TestStatusIsTold: a draft claims no approval anywhere and prints no "not
// recorded"; an approved policy says who approved it; an overdue one says
// so on its title block only, and its forms carry a version line and never
// a review notice.
func TestStatusIsTold(t *testing.T) {
	draft := robertMiles(t, "", nil)
	all := string(draft.Meta.Front.TitleBlock) + string(draft.Markdown)
	for _, bad := range []string{"not recorded", "has been agreed", "has been approved", "was approved", "Review overdue", "The next review is due"} {
		if strings.Contains(all, bad) {
			t.Errorf("draft says %q", bad)
		}
	}
	if !strings.Contains(all, "It will be approved by TILT.") {
		t.Errorf("draft does not say who will approve it")
	}

	approved := robertMiles(t, "approved_on = 2026-06-01\nnext_review = 2027-06-01\nversion = \"2.0\"", nil)
	all = string(approved.Meta.Front.TitleBlock) + string(approved.Markdown)
	for _, want := range []string{`**Version:** 2\.0`, "**Approved on:** 1 June 2026", "It has been approved by TILT.",
		`Version 2\.0 of this procedure was approved by TILT on 1 June 2026.`} {
		if !strings.Contains(all, want) {
			t.Errorf("approved policy lacks %q", want)
		}
	}
	for _, bad := range []string{"DRAFT", "not recorded", "Review overdue"} {
		if strings.Contains(all, bad) {
			t.Errorf("approved policy says %q", bad)
		}
	}

	// Approved in 2023 and due in May 2024: overdue on 26 November 2026.
	overdue := robertMiles(t, "approved_on = 2023-05-24", nil)
	if overdue.Meta.State != markdown.StateOverdue {
		t.Fatalf("state = %v, want overdue", overdue.Meta.State)
	}
	tb := string(overdue.Meta.Front.TitleBlock)
	if !strings.Contains(tb, "> **Review overdue since 24 May 2024.** This procedure must be reviewed and approved again.") {
		t.Errorf("overdue title block lacks its notice:\n%s", tb)
	}
	if strings.Contains(string(overdue.Markdown), "overdue") {
		t.Errorf("the body of an overdue policy repeats the notice")
	}
}

// TestPolicyContents: sections are numbered in order, subsections within
// their section, appendices by the school's numbering and order, and each
// entry's heading is in the body with its id.
func TestPolicyContents(t *testing.T) {
	o := robertMiles(t, "", nil)
	es := o.Meta.Front.Contents
	want := []markdown.Entry{
		{ID: "about", Number: "1", Title: "About this procedure", Level: 1},
		{ID: "aims", Number: "2", Title: "Aims", Level: 1},
		{ID: "risks", Number: "2.1", Title: "The four areas of risk", Level: 2},
		{ID: "scope", Number: "2.2", Title: "Scope", Level: 2},
		{ID: "legislation-and-guidance", Number: "3", Title: "Legislation and guidance", Level: 1},
	}
	if len(es) < len(want)+3 {
		t.Fatalf("%d contents entries", len(es))
	}
	for i, w := range want {
		if es[i] != w {
			t.Errorf("entry %d = %+v, want %+v", i, es[i], w)
		}
	}
	// _tilt.toml: numbers, pupils' and parents' agreements first.
	apps := es[len(es)-3:]
	for i, id := range []string{"appendix-pupil-code", "appendix-parent-agreement", "appendix-staff-code"} {
		if a := apps[i]; !a.Appendix || a.ID != id || a.Number != string(rune('1'+i)) {
			t.Errorf("appendix %d = %+v, want %s numbered %d", i, a, id, i+1)
		}
	}
	for _, e := range es {
		hashes := "## "
		if e.Level == 2 {
			hashes = "### "
		}
		if line := hashes + e.MarkdownLabel() + " {#" + e.ID + "}\n"; !strings.Contains(string(o.Markdown), line) {
			t.Errorf("the body has no heading %q", line)
		}
	}
	// The trust's title for a section is the entry's title.
	for _, e := range es {
		if e.ID == "roles-dsl" && e.Title != "The Senior Designated Safeguarding Lead" {
			t.Errorf("roles-dsl entry titled %q", e.Title)
		}
	}
}

// TestPolicyOmitRenumbers: an omitted section takes its subsections with
// it, the rest are numbered without a gap, and a reference to it reads as
// prose rather than a dead link.
func TestPolicyOmitRenumbers(t *testing.T) {
	o := robertMiles(t, "[policies.online-safety.sections.aims]\nomit = true\n", nil)
	byID := map[string]markdown.Entry{}
	for _, e := range o.Meta.Front.Contents {
		byID[e.ID] = e
	}
	for _, id := range []string{"aims", "risks", "scope"} {
		if _, ok := byID[id]; ok {
			t.Errorf("omitted section %s is in the contents", id)
		}
		if strings.Contains(string(o.Markdown), "{#"+id+"}") {
			t.Errorf("omitted section %s is in the body", id)
		}
	}
	if got := byID["legislation-and-guidance"].Number; got != "2" {
		t.Errorf("legislation-and-guidance numbered %q, want 2", got)
	}
	for _, b := range o.Sections {
		if b.ID == "risks" && (!b.Omitted || !b.ByParent) {
			t.Errorf("risks: %+v, want omitted by its parent", b)
		}
	}
}

// TestPolicyReplaceAndAppend: a school's text replaces or follows the
// template's, and a trust's title block partial is used for every policy.
func TestPolicyReplaceAndAppend(t *testing.T) {
	trust := fstest.MapFS{"partials/title-block.md.tmpl": {Data: []byte("# {{ .Policy.Title }}\n\nOwned by {{ .School.Name }}.\n")}}
	o := robertMiles(t, `[policies.online-safety.sections.scope]
replace = "Everyone *here*."
[policies.online-safety.sections.about]
append = "Also this."
`, trust)
	body := string(o.Markdown)
	if !strings.Contains(body, "### 2.2 Scope {#scope}\n\nEveryone *here*.\n") {
		t.Errorf("replaced section text missing:\n%s", body[:min(len(body), 600)])
	}
	if !strings.Contains(body, "\n\nAlso this.\n") {
		t.Errorf("appended text missing")
	}
	if got := string(o.Meta.Front.TitleBlock); got != "# Online Safety Procedure\n\nOwned by Robert Miles Infant School.\n" {
		t.Errorf("title block = %q, want the trust's partial", got)
	}
	for _, b := range o.Sections {
		if b.ID == "scope" && !b.Replaced || b.ID == "about" && !b.Appended {
			t.Errorf("%s: %+v", b.ID, b)
		}
	}
}

// TestTitleBlockErrorNamesThePartial: a mistake in the shared partial is
// reported against the trust's file, with its line.
func TestTitleBlockErrorNamesThePartial(t *testing.T) {
	trust := fstest.MapFS{"partials/title-block.md.tmpl": {Data: []byte("# {{ .Policy.Title }}\n\n{{ .Policy.Nope }}\n")}}
	cat, err := policies.New(policies.Overlay{trust, templates.FS}, "trust")
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(cat, config.NewDate(2026, 11, 26))
	if err != nil {
		t.Fatal(err)
	}
	set, err := config.Load("../../schools", "robert-miles-infant")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Policy(set.Schools[0], cat.Policy("online-safety"))
	if err == nil || !strings.Contains(err.Error(), "trust/partials/title-block.md.tmpl:3") {
		t.Errorf("err = %v, want it to name trust/partials/title-block.md.tmpl:3", err)
	}
}

func TestStateOf(t *testing.T) {
	d := config.NewDate(2026, 1, 10)
	tests := []struct {
		name string
		pc   config.PolicyConfig
		st   review.State
		want markdown.State
	}{
		{"nothing recorded", config.PolicyConfig{}, review.Unknown, markdown.StateDraft},
		{"approved", config.PolicyConfig{ApprovedOn: d}, review.OK, markdown.StateApproved},
		// Naming who approves records no approval.
		{"approver only", config.PolicyConfig{ApprovedBy: "Governors"}, review.Unknown, markdown.StateDraft},
		{"reviewed", config.PolicyConfig{LastReviewed: d}, review.OK, markdown.StateApproved},
		{"due soon", config.PolicyConfig{ApprovedOn: d}, review.DueSoon, markdown.StateDueSoon},
		{"due today", config.PolicyConfig{ApprovedOn: d}, review.Due, markdown.StateDueToday},
		// A draft is a draft whatever its review date says.
		{"overdue draft", config.PolicyConfig{}, review.Overdue, markdown.StateDraft},
		{"overdue", config.PolicyConfig{ApprovedOn: d}, review.Overdue, markdown.StateOverdue},
	}
	for _, tt := range tests {
		if got := stateOf(tt.pc, review.Status{State: tt.st}); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestUnconfirmedValuesAreMarked: every value Robert Miles lists in confirm
// prints marked, whether it is free text the school has not set (the
// filtering system), a list (who approves filtering changes) or a choice
// (pupils' phones), and an unset required key it lists is not an error.
func TestUnconfirmedValuesAreMarked(t *testing.T) {
	o := robertMiles(t, "", nil)
	body := string(o.Markdown)
	for _, want := range []string{
		"Only the " + ToBeConfirmed(nil, "filtering.approvers") + " may approve a change to filtering.",
		"We use " + ToBeConfirmed(nil, "filtering.system") + " internet filtering",
		"How pupils' phones are kept out of use during the school day is " + ToBeConfirmed(nil, "practice.mobile_phones") + ".",
		"The senior leader responsible for filtering and monitoring is the " + ToBeConfirmed(nil, "roles.filtering_lead"),
		// A choice set but not confirmed is not stated as the rule.
		"How pupils use generative AI tools in school is " + ToBeConfirmed(nil, "ai.pupil_use") + ".",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	if strings.Contains(body, "\x00") {
		t.Error("a mark was left unresolved")
	}
	// Every marker names what is unconfirmed.
	if n := strings.Count(body, "[to be confirmed]") + strings.Count(body, `\[to be confirmed\]`); n != 0 {
		t.Errorf("%d marker(s) do not say what is unconfirmed", n)
	}
	// A value the school has set but not confirmed keeps its text, marked.
	o = robertMiles(t, "", nil)
	s := string(o.Markdown)
	for _, bad := range []string{"handed in", "Pupils do not bring mobile phones", "Pupils do not use generative AI tools in school"} {
		if strings.Contains(s, bad) {
			t.Errorf("an unconfirmed choice is stated as fact: %q", bad)
		}
	}
	// Once confirmed, no mark is left.
	o = robertMiles(t, "approved_on = 2024-01-01", nil)
	if strings.Contains(string(o.Markdown), "to be confirmed") {
		t.Error("a confirmed school's pack still marks values")
	}
}

// composeExample composes an example school's policy and parent agreement
// after edit changes its config file's text.
func composeExample(t *testing.T, id string, edit func(string) string) (policy, parent string) {
	t.Helper()
	dir := exampleSchools(t, id, func(data []byte) []byte { return []byte(edit(string(data))) })
	cat, err := policies.New(policies.Overlay{templates.FS}, "trust")
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(cat, config.NewDate(2026, 11, 26))
	if err != nil {
		t.Fatal(err)
	}
	set, err := config.Load(dir, id)
	if err != nil {
		t.Fatal(err)
	}
	p := cat.Policy("online-safety")
	o, err := c.Policy(set.Schools[0], p)
	if err != nil {
		t.Fatal(err)
	}
	fo, err := c.Form(set.Schools[0], p, "parent-agreement", Pupil{})
	if err != nil {
		t.Fatal(err)
	}
	return string(o.Markdown), string(fo.Markdown)
}

// TestContentFollowsKeyStages: teaching content, pupil rules and the
// parent agreement follow the key stages a school has; the risks staff
// must know stay for all.
func TestContentFollowsKeyStages(t *testing.T) {
	same := func(s string) string { return s }
	secondaryOnly := []string{"misogynistic influencers", "Key Stage 3", "end of secondary school", "Relationships, sex and health education"}
	juniorOnly := []string{"social media (usually 13 and over)", "gambling sites", "privacy and location settings", "scams and fraud", "Pupils are taught about social networking", "Key Stage 2"}
	infantOnly := []string{"With our youngest pupils", "Early Years Foundation Stage"}
	risks := []string{"online gambling, inappropriate advertising, phishing and/or financial scams"}
	tests := []struct {
		name, id  string
		edit      func(string) string
		want, not []string
		parent    string // a phrase of the parent agreement
	}{
		{"infant", "robert-miles-infant", same, append([]string{"Early Years Foundation Stage", "Key Stage 1"}, risks...),
			append(append([]string{"With our youngest pupils"}, secondaryOnly...), juniorOnly...), "I have read the school's rules for responsible ICT use, set out in the pupil acceptable use agreement, with my child, and we have signed it together"},
		{"secondary", "fenbrook-academy", same, append(append([]string{"Key Stages 4 and 5"}, secondaryOnly...), risks...),
			append(append([]string{"Early Years", "Key Stage 1", "end of primary school", "young child"}, infantOnly...), juniorOnly[:3]...), "my child has signed the pupil acceptable use agreement"},
		{"all-through", "fenbrook-academy", func(s string) string {
			return strings.Replace(strings.Replace(s, `phase = "secondary"`, `phase = "all-through"`, 1), `key_stages = ["KS3", "KS4", "KS5"]`, `key_stages = ["EYFS", "KS1", "KS2", "KS3", "KS4", "KS5"]`, 1)
		}, append(append(append([]string{"With our youngest pupils, our", "In Key Stage 2, our", "In secondary years, our", "Early Years Foundation Stage"}, secondaryOnly...), juniorOnly...), risks...),
			nil, "(or, for a young child, that I have signed with them)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			policy, parent := composeExample(t, tt.id, tt.edit)
			for _, w := range tt.want {
				if !strings.Contains(policy, w) {
					t.Errorf("policy lacks %q", w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(policy, n) {
					t.Errorf("policy has %q, content for pupils the school does not have", n)
				}
			}
			if !strings.Contains(parent, tt.parent) {
				t.Errorf("parent agreement lacks %q:\n%s", tt.parent, parent)
			}
		})
	}
}

// TestRolesAsTheSchoolNamesThem: headings name each role as the school
// writes it, as the text does; a school with no IT manager is told about
// its IT provider, never about a post it does not have.
func TestRolesAsTheSchoolNamesThem(t *testing.T) {
	same := func(s string) string { return s }
	hm, _ := composeExample(t, "hevingham-marsham", same)
	for _, want := range []string{"### 4.1 The Governing Board {#roles-governing-board}", "### 4.2 The Headteacher {#roles-headteacher}",
		"### 4.3 The Designated Safeguarding Lead {#roles-dsl}", "### 4.4 IT support and the IT provider {#roles-it}",
		"the school's IT provider (NCC ICT S4E)"} {
		if !strings.Contains(hm, want) {
			t.Errorf("hevingham-marsham lacks %q", want)
		}
	}
	// ("headteachers" and "governing boards" are in the titles of DfE and
	// UKCIS documents, which the policy cites as they are.)
	for _, bad := range []string{"IT manager", "governing body", "the governing board", "the headteacher", "The designated safeguarding lead"} {
		if strings.Contains(hm, bad) {
			t.Errorf("hevingham-marsham names a role otherwise than its config does: %q", bad)
		}
	}
	fb, _ := composeExample(t, "fenbrook-academy", same)
	for _, want := range []string{"### 4.2 The principal {#roles-headteacher}", "### 4.4 The network manager {#roles-it}", "the network manager",
		// KCSIE part four: concerns about staff, by the school's role names.
		"is referred at once to the principal (or, if it is about the principal, to the chair of the local governing board), who consults the local authority designated officer (LADO)",
		"(a low-level concern, such as a breach of the staff acceptable use agreement) is still reported to the principal"} {
		if !strings.Contains(fb, want) {
			t.Errorf("fenbrook-academy lacks %q", want)
		}
	}
	rm, _ := composeExample(t, "robert-miles-infant", same)
	if strings.Contains(rm, "the IT manager") || !strings.Contains(rm, "### 4.4 The IT service manager {#roles-it}") {
		t.Error("robert-miles-infant does not name its IT role one way")
	}
}

// TestOmittedSectionNamedAsBuilt: a reference to a section the school
// omitted names it in words, by its title as built for the school (a
// template title resolved) and in the document's own noun.
func TestOmittedSectionNamedAsBuilt(t *testing.T) {
	o := robertMiles(t, "\n[policies.online-safety.sections.roles-dsl]\nomit = true\n", nil)
	body := string(o.Markdown)
	if !strings.Contains(body, "the Senior Designated Safeguarding Lead section of this procedure") {
		t.Errorf("the omitted DSL section is not named as built")
	}
	if strings.Contains(body, "{{") {
		t.Errorf("a template title leaked into the text")
	}
}

// TestWithdrawnValuesAreMarked: a value naming a withdrawn service or
// scheme prints as the school states it, marked out of date where it
// prints, so no reader takes it for current practice.
func TestWithdrawnValuesAreMarked(t *testing.T) {
	policy, _ := composeExample(t, "hevingham-marsham", func(s string) string { return s })
	for _, want := range []string{
		`Edmodo **\[out of date: Edmodo closed in 2022\]**`,
		`'Protect-level' data **\[out of date: the Protect marking was withdrawn in 2014\]**`,
	} {
		if !strings.Contains(policy, want) {
			t.Errorf("policy lacks %q", want)
		}
	}
	if n, m := strings.Count(policy, "Edmodo"), strings.Count(policy, "Edmodo closed"); n != 2*m || m == 0 {
		t.Errorf("Edmodo printed %d times, not each marked", n)
	}
	if strings.Contains(policy, "\x00") {
		t.Error("a mark was left unresolved")
	}
}

// TestPupilPhonePromiseFollowsApproach: the Key Stage 2 pupil code promises
// what the school's approach to phones asks (practice.mobile_phones), in the
// words of the Mobile Phones Policy's own agreement, which reads the same
// fact, so the two forms a pupil signs never disagree; an approach still to
// be confirmed is marked so. No approach leaves the old blanket promise.
func TestPupilPhonePromiseFollowsApproach(t *testing.T) {
	f, _ := reflect.TypeOf(config.Practice{}).FieldByName("MobilePhones")
	approaches := strings.Split(f.Tag.Get("enum"), "|")
	if len(approaches) < 6 {
		t.Fatalf("practice.mobile_phones has %d values: %q", len(approaches), approaches)
	}
	cat, err := policies.New(policies.Overlay{templates.FS}, "trust")
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(cat, config.NewDate(2026, 11, 26))
	if err != nil {
		t.Fatal(err)
	}
	form := func(t *testing.T, id, policy, formID string, edit func(string) string) string {
		t.Helper()
		dir := exampleSchools(t, id, func(data []byte) []byte { return []byte(edit(string(data))) })
		set, err := config.LoadPolicies(dir, cat.Facts(), id)
		if err != nil {
			t.Fatal(err)
		}
		o, err := c.Form(set.Schools[0], cat.Policy(policy), formID, Pupil{})
		if err != nil {
			t.Fatal(err)
		}
		return string(o.Markdown)
	}
	// The first rule of the phones agreement's Key Stage 2 version is its
	// promise about the approach.
	promise := func(t *testing.T, agreement string) string {
		t.Helper()
		_, after, ok := strings.Cut(agreement, "Key Stage 2: my mobile phone agreement")
		if !ok {
			t.Fatalf("no Key Stage 2 phone agreement:\n%s", agreement)
		}
		m := regexp.MustCompile(`(?m)^- .*$`).FindString(after)
		if m == "" {
			t.Fatalf("Key Stage 2 phone agreement has no rules:\n%s", after)
		}
		return m
	}
	const blanket = "mobile phones into school without permission"
	for _, mp := range approaches {
		t.Run(mp, func(t *testing.T) {
			// Fenbrook, as an all-through school, with this approach.
			edit := func(s string) string {
				s = strings.Replace(s, `phase = "secondary"`, `phase = "all-through"`, 1)
				s = strings.Replace(s, `key_stages = ["KS3", "KS4", "KS5"]`, `key_stages = ["EYFS", "KS1", "KS2", "KS3", "KS4", "KS5"]`, 1)
				return strings.Replace(s, `mobile_phones = "pouch"`, `mobile_phones = "`+mp+`"`, 1)
			}
			code := form(t, "fenbrook-academy", "online-safety", "pupil-code-of-conduct", edit)
			want := promise(t, form(t, "fenbrook-academy", "mobile-phones", "phone-agreement", edit))
			if !strings.Contains(code, "Key Stage 2") || !strings.Contains(code, "\n"+want+"\n") {
				t.Errorf("Key Stage 2 pupil code lacks the phones agreement's promise %q:\n%s", want, code)
			}
			if strings.Contains(code, blanket) {
				t.Errorf("pupil code promises %q whatever the approach", blanket)
			}
		})
	}
	t.Run("unconfirmed", func(t *testing.T) {
		// Without the seed's own rule (practice.statements
		// phones-with-permission), which only a school's config chooses.
		same := func(s string) string { return strings.Replace(s, `"phones-with-permission",`, "", 1) }
		code := form(t, "hevingham-marsham", "online-safety", "pupil-code-of-conduct", same)
		want := promise(t, form(t, "hevingham-marsham", "mobile-phones", "phone-agreement", same))
		if !strings.Contains(want, "to be confirmed") || !strings.Contains(code, "\n"+want+"\n") {
			t.Errorf("pupil code lacks the promise marked to be confirmed %q:\n%s", want, code)
		}
		if strings.Contains(code, blanket) {
			t.Errorf("pupil code promises %q while the approach is unconfirmed", blanket)
		}
	})
}

// TestOnlineSafetyContactsAndPhonesFollowConfig: the contacts table's
// deputy label is singular for one deputy and plural for several; the
// safeguarding governor is named in the table, and in the filtering
// sentence only where the school's post for it is the safeguarding
// governor; the sixth-form sentence follows the phones policy's
// sixth_form_rules fact.
func TestOnlineSafetyContactsAndPhonesFollowConfig(t *testing.T) {
	fb, _ := composeExample(t, "fenbrook-academy", func(s string) string { return s })
	for _, want := range []string{"| Deputy DSLs | Mr T. Hale and Mrs J. Whitlock |", "| Governor who leads on safeguarding | Mr S. Patel |",
		"the governor responsible is the safeguarding governor, Mr S. Patel.", "Sixth-form students instead follow the sixth form's own rules"} {
		if !strings.Contains(fb, want) {
			t.Errorf("fenbrook-academy lacks %q", want)
		}
	}
	one, _ := composeExample(t, "fenbrook-academy", func(s string) string {
		s = strings.Replace(s, `deputy_dsls = ["Mr T. Hale", "Mrs J. Whitlock"]`, `deputy_dsls = ["Mr T. Hale"]`, 1)
		s = strings.Replace(s, `filtering_governor = "safeguarding governor"`, `filtering_governor = "link governor for online safety"`, 1)
		return regexp.MustCompile(`(?m)^sixth_form_rules = .*$`).ReplaceAllString(s, "")
	})
	for _, want := range []string{"| Deputy DSL | Mr T. Hale |", "| Governor who leads on safeguarding | Mr S. Patel |",
		"the governor responsible is the link governor for online safety."} {
		if !strings.Contains(one, want) {
			t.Errorf("fenbrook-academy, edited, lacks %q", want)
		}
	}
	if strings.Contains(one, "Sixth-form students instead") {
		t.Error("fenbrook-academy without sixth-form rules still points to them")
	}
}
