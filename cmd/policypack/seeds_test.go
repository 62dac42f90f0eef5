package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// seedFacts are phrases only one seed policy has. Each school's pack must
// carry its own and none of the other's: one school's wording must never
// leak into another's pack unless its config chooses it.
var seedFacts = map[string][]string{
	"hevingham-marsham": {
		"Hevingham and Marsham Primary School Partnership",
		// Appendix A: phones come to school only with permission, in the
		// pupil code and the phones policy alike.
		"I will not bring disks, memory sticks or mobile phones into school without permission",
		"Pupils bring a mobile phone into school only with permission.",
		// Its appendix B's own rules (practice.statements), which no
		// other school's staff agreement may assert.
		"Use personal devices for school business only with the explicit permission of the",
		"share them outside the school network or learning platform only with the consent",
		"using school ICT for any purpose its owner does not permit is a disciplinary offence",
		"with only approved email systems for school business",
		"Netsweeper",
		"NCC ICT Services 4 Education",
		"NCC ICT S4E",
		"itslearning",
		"Edmodo",
		"nsix.org.uk",
		"head@",
		"office@",
		"monthly",
		"Safer Internet Day",
		"Computing Network",
		"e-safety mailbox",
		"encrypted memory sticks",
		"http://www.hevinghamprimary.co.uk",
		"Appendix A",
		"Appendix B",
		"Norfolk County Council",
		"Chair of Governors",
		// The federation's own wording, each a choice in its config: the
		// trust's infant school must get none of it.
		"'Protect-level' data",
		"Games consoles",
		"A school phone is provided for staff",
		"ICT Code of Conduct",
		"safe access to email",
		"agreed by the Senior Leadership Team (SLT)",
		"school email",
		"gender, school or name is not displayed",
		// Its bring-your-own-device guidance (practice.byod_guidance).
		"Pupils' phones, and their cameras, are not used in lessons",
		"personal telephone numbers",
		// Its statements of its own practice (practice.statements).
		"school induction pack",
		"given information about infringements",
		"clear, progressive online safety education programme",
		"university or college placement",
		"strict monitoring and application",
		"Parents and carers are told of online safety incidents",
		"open, specific",
		"open and consistent policy",
		"may be blocked",
		"netiquette",
		"Teachers do not run social network spaces",
		"when their child joins the school",
		"prospectus",
		"Every change to it is shared",
		"monitored and logged",
		"Emails are filtered for inappropriate content",
	},
	"robert-miles-infant": {
		"Robert Miles Infant School",
		"Online Safety Procedure",
		"TILT",
		"Senior Designated Safeguarding Lead",
		"SDSL",
		"funding agreement and articles of association",
		"parents' evenings",
		// Not "24 May 2024": the procedure's old review date is kept in
		// the config (next_review) for `due` and the dashboard, but the
		// pack is a draft, and a draft states no review date.
		"Appendix 1",
		"Appendix 2",
		"Appendix 3",
		"IT service manager",
		"lead IT technician",
		"Complaints procedure",
		// Its statements of its own practice, and its deputies.
		"co-ordinate regular meetings",
		"relevant job descriptions",
		"deputy DSL",
	},
}

// inventedPractice are sentences that state a school's practice which no
// school's config gives: no pack may carry them. Each is here because a
// reviewer found it printed as a school's fact.
var inventedPractice = []string{
	"keeps pupils off their phones for the whole school day",
	"Staff do not use personal phones in front of pupils",
	"The rules apply in the same way across the school",
	"can have an individual arrangement agreed with",
	"The same rules apply to smart watches",
	"Applies to every school-owned device",
	"we use the DfE's \"Plan technology for your school\"",
	"test the filter with a recognised checking tool",
	"360 degree safe or the LGfL",
	"deleted when no longer needed",
	"signing in with their school accounts",
	// An academy with no local authority named is not told to inform one.
	"inform the local authority",
	"for example the local authority",
	"the police or the local authority",
}

// seams are joins a reader stumbled on: a sentence run into a list item,
// a doubled colon, a repeated clause, a missing article, a heading and
// body that name a stage two ways, a sentence that says the opposite of
// its section's list.
var seams = []string{
	"at home Parents and carers",
	"?: ",
	"advice for parents and carers: advice for parents and carers",
	"If no secure file transfer service is available, the data or file must be protected with secure encryption",
	"(safeguarding) or principal",
	"and post-16",
	"I know that I have read",
	"is referred to in other school policies",
	"has an overview of online safety: the",
	// A DSL without deputies is one person.
	"The DSL take lead",
	// An agency whose name has brackets of its own, then its purpose in
	// brackets.
	"Agency) (",
	"IWF) (",
	"advice for parents and carers – advice for parents and carers",
	// One source of guidance, told twice what it is for.
	"keeping children safe online from Thinkuknow: advice for parents and carers (",
	// A DSL without deputies is one person: the verbs agree, and there is
	// no "neither" of them.
	"Designated Safeguarding Lead have the",
	"Knows who the DSL are",
	"Safeguarding Lead** complete formal",
	"When neither can be reached",
	// A template's condition printed as the school's policy.
	"unless the school names another key adult",
	// Harms-threshold wording tied to the last item of its list only.
	"(this is known as the harms threshold)",
}

// TestChildProtectionReadsWhole: the child protection policy read whole, as
// a DSL would: no sentence said twice (an approval in its about section and
// again in its review section), no brackets doubled ("(NSCP) (procedures and
// threshold guidance)", "(LADO) (section 15.1)"), no sentence with two
// colons (a fact that has a colon of its own printed after one), no
// statement of another policy's practice, and, in a school with early
// years classes, the phones and cameras text that the phones policy defers
// to; no such text in a school without them.
func TestChildProtectionReadsWhole(t *testing.T) {
	out := buildExamples(t, "md")
	link := regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	marker := regexp.MustCompile(`\*\*\[[^\]]*: to be confirmed\]\*\*`)
	sentence := regexp.MustCompile(`(?:[.;!?])\s+`)
	for _, school := range []string{"hevingham-marsham", "robert-miles-infant", "fenbrook-academy"} {
		data, err := os.ReadFile(filepath.Join(out, school, "child-protection.md"))
		if err != nil {
			t.Fatal(err)
		}
		text := marker.ReplaceAllString(link.ReplaceAllString(strings.ReplaceAll(string(data), `\`, ""), "$1"), "[TBC]")
		seen := map[string]bool{}
		for _, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(line, "|") || strings.HasPrefix(line, "#") {
				continue // table rows and headings repeat by design
			}
			line = strings.TrimPrefix(strings.TrimSpace(line), "- ")
			if strings.Contains(line, ") (") {
				t.Errorf("%s: brackets doubled: %q", school, line)
			}
			for _, s := range sentence.Split(line, -1) {
				if strings.Count(s, ": ") > 1 {
					t.Errorf("%s: two colons in one sentence: %q", school, s)
				}
				if len(s) > 30 && seen[s] {
					t.Errorf("%s: sentence said twice: %q", school, s)
				}
				seen[s] = true
			}
		}
		// The approval (to come, or given) is stated once, in the about
		// section, not again where the review is described.
		if n := len(regexp.MustCompile(`It (?:will be|has been|was) (?:agreed by [^.]* and )?approved\b`).FindAllString(text, -1)); n != 1 {
			t.Errorf("%s: the policy states its approval %d times, want once", school, n)
		}
		// practice.statements describe the online safety policy's practice.
		if strings.Contains(text, "Every change to it is shared") {
			t.Errorf("%s: the child protection policy carries the online safety policy's statement of practice", school)
		}
		eyfs := strings.Contains(text, "Phones and cameras in the early years")
		if want := school != "fenbrook-academy"; eyfs != want {
			t.Errorf("%s: early years phones and cameras text present = %v, want %v", school, eyfs, want)
		}
	}
}

// TestNoSeams: no pack, policy or form, has a seam from seams.
func TestNoSeams(t *testing.T) {
	out := buildExamples(t, "md")
	for _, school := range []string{"hevingham-marsham", "robert-miles-infant", "fenbrook-academy"} {
		var b strings.Builder
		_ = filepath.WalkDir(filepath.Join(out, school), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
				data, _ := os.ReadFile(p)
				b.Write(data)
			}
			return nil
		})
		// Spaces joined, line breaks kept: a paragraph break is no seam.
		text := regexp.MustCompile(`[ \t]+`).ReplaceAllString(strings.ReplaceAll(b.String(), `\`, ""), " ")
		// Seams are read as text: a link is its words.
		plain := regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`).ReplaceAllString(text, "$1")
		for _, bad := range seams {
			if strings.Contains(plain, bad) {
				t.Errorf("%s's pack has the seam %q", school, bad)
			}
		}
		// Two brackets in a row ("the data protection officer (DPO)
		// (section 15.2)") read as a stutter: the second belongs in the
		// sentence. Across a line break they are separate paragraphs.
		for _, m := range regexp.MustCompile(`[^\n(]{0,40}\) \([^\n)]{0,40}`).FindAllString(plain, -1) {
			t.Errorf("%s's pack has two brackets in a row: %q", school, m)
		}
		// A list starts after a blank line: a template whose condition
		// trims the blank line glues the list to the sentence before it.
		if m := regexp.MustCompile(`(?m)^[A-Za-z*][^\n]*\n- `).FindString(text); m != "" {
			t.Errorf("%s's pack has a list glued to the line before it: %q", school, m)
		}
		// A list item starts with a capital ("The police", not "the
		// police"); a picture rule's marker is not text.
		for _, m := range regexp.MustCompile(`(?m)^ *- \[?[a-z][^\n]*`).FindAllString(text, -1) {
			if !strings.Contains(m, "[picture: ") {
				t.Errorf("%s's pack has a list item in lower case: %q", school, m)
			}
		}
		// A lead-in ("In this school:") or a heading over a list of one
		// item reads as a fault: one statement is a sentence.
		for _, m := range regexp.MustCompile(`(?m)^(?:[^\n]*:|#+ [^\n]*)\n\n- [^\n]*\n(?:\n|$)`).FindAllString(text+"\n", -1) {
			t.Errorf("%s's pack has a list of one: %q", school, m)
		}
	}
}

// TestQuotesOpen: typographic quotes face the right way in what readers
// get. goldmark's typographer closes a quote that opens a word starting
// with n after a space ("and 'netiquette'" came out as ’netiquette’), so a
// template writes such a quote as the character itself.
func TestQuotesOpen(t *testing.T) {
	out := buildExamples(t, "html")
	bad := regexp.MustCompile(`(?:^|[\s(>])(?:’|&rsquo;|&#8217;)\pL[^<\n]{0,30}`)
	_ = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		data, _ := os.ReadFile(p)
		for _, m := range bad.FindAllString(string(data), -1) {
			t.Errorf("%s: a quote that opens a word prints as a closing one: %q", p, m)
		}
		return nil
	})
}

// TestNoInventedPractice: no pack states a practice no school's config
// gives (see inventedPractice).
func TestNoInventedPractice(t *testing.T) {
	out := buildExamples(t, "md")
	for _, school := range []string{"hevingham-marsham", "robert-miles-infant", "fenbrook-academy"} {
		data, err := os.ReadFile(filepath.Join(out, school, "online-safety.md"))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(strings.ReplaceAll(string(data), `\`, "")), " ")
		for _, bad := range inventedPractice {
			if strings.Contains(text, bad) {
				t.Errorf("%s's pack states %q, which its config does not give", school, bad)
			}
		}
	}
}

// stagesTaught: the curriculum shows only the key stages a school teaches.
var stageHeadings = map[string]struct{ want, not []string }{
	"hevingham-marsham": {want: []string{"Key Stage 1", "Key Stage 2"}, not: []string{"Key Stage 3", "Key Stage 4", "end of secondary school"}},
	"robert-miles-infant": {want: []string{"Key Stage 1"}, not: []string{"Key Stage 2", "Key Stage 3", "Key Stage 4", "end of secondary school",
		// Content for older pupils an infant school must not be told it teaches.
		"misogynistic influencers", "gambling sites", "scams and fraud", "social media (usually 13", "privacy and location settings",
		"Pupils are taught about social networking", "I know that my child has signed", "for a young child"}},
	"fenbrook-academy": {want: []string{"Teaches online safety in relationships, sex and health education", "online safety in relationships, sex and health education on request", "Key Stage 3", "Key Stages 4 and 5", "end of secondary school", "misogynistic influencers", "Relationships, sex and health education"},
		not: []string{"Early Years", "Key Stage 1", "Key Stage 2", "end of primary school", "for a young child", "with our youngest pupils",
			// Primary wording: a secondary school teaches relationships, sex and health education.
			"in relationships and health education", "PSHE and relationships and health education",
			"to recognise acceptable and unacceptable behaviour"}},
}

func TestSeedFacts(t *testing.T) {
	out := buildExamples(t, "md")
	read := func(school string) string {
		var b strings.Builder
		_ = filepath.WalkDir(filepath.Join(out, school), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				data, _ := os.ReadFile(p)
				b.Write(data)
			}
			return nil
		})
		// Undo Markdown escapes so phrases compare as a reader sees them.
		return strings.NewReplacer(`\@`, "@", `\.`, ".", `\-`, "-", `\'`, "'").Replace(b.String())
	}
	packs := map[string]string{}
	for school := range seedFacts {
		packs[school] = read(school)
	}
	for school, facts := range seedFacts {
		for other := range seedFacts {
			for _, f := range facts {
				has := strings.Contains(packs[other], f)
				if other == school && !has {
					t.Errorf("%s's pack lacks its seed's %q", school, f)
				}
				if other != school && has {
					t.Errorf("%s's pack contains %q from %s's seed", other, f, school)
				}
			}
		}
	}
	for school, st := range stageHeadings {
		policy, err := os.ReadFile(filepath.Join(out, school, "online-safety.md"))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range st.want {
			if !strings.Contains(string(policy), w) {
				t.Errorf("%s: curriculum lacks %q", school, w)
			}
		}
		for _, n := range st.not {
			if strings.Contains(string(policy), n) {
				t.Errorf("%s: curriculum shows %q, a stage it does not teach", school, n)
			}
		}
	}
}

// TestThirdSchoolHasNoSeedWording: the invented academy's pack carries
// none of the seed schools' particular facts or wording (its config chose
// none of them), and no value left to confirm.
func TestThirdSchoolHasNoSeedWording(t *testing.T) {
	out := buildExamples(t, "md")
	var b strings.Builder
	_ = filepath.WalkDir(filepath.Join(out, "fenbrook-academy"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(p)
			b.Write(data)
		}
		return nil
	})
	pack := b.String()
	if !strings.Contains(pack, "Fenbrook Academy") {
		t.Fatal("no pack for fenbrook-academy")
	}
	for _, school := range []string{"hevingham-marsham", "robert-miles-infant"} {
		for _, f := range seedFacts[school] {
			switch f {
			case "Appendix A", "Appendix B", "Safer Internet Day", "parents' evenings", "funding agreement and articles of association",
				"safe access to email", "school email",
				// Its own choices (practice.statements, roles.deputy_dsl).
				"school induction pack", "Parents and carers are told of online safety incidents", "co-ordinate regular meetings",
				"relevant job descriptions", "deputy DSL":
				continue // shared choices: lettered appendices, events, pupils' email, an academy's wording
			}
			if strings.Contains(pack, f) {
				t.Errorf("fenbrook-academy's pack contains %q from %s's seed", f, school)
			}
		}
	}
	policy, err := os.ReadFile(filepath.Join(out, "fenbrook-academy", "online-safety.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"to be confirmed", "DRAFT", "not recorded", "overdue"} {
		if strings.Contains(pack, bad) && (bad != "overdue" || strings.Contains(string(policy), bad)) {
			t.Errorf("fenbrook-academy, approved and current, says %q", bad)
		}
	}
}

// TestDeviceSearchPowers: the section on examining devices credits each
// power to the statute that gives it (searching without consent, seizing
// and examining data: Education Act 1996 ss.550ZA-550ZC; confiscating as
// a penalty: Education and Inspections Act 2006 s.91), and sends readers
// only to policies that cover examining devices (the child protection
// policy does not).
func TestDeviceSearchPowers(t *testing.T) {
	out := buildExamples(t, "md")
	for _, school := range []string{"hevingham-marsham", "robert-miles-infant", "fenbrook-academy"} {
		data, err := os.ReadFile(filepath.Join(out, school, "online-safety.md"))
		if err != nil {
			t.Fatal(err)
		}
		_, sec, ok := strings.Cut(string(data), "{#searching-devices}")
		if !ok {
			t.Fatalf("%s: no section on examining devices", school)
		}
		sec, _, _ = strings.Cut(sec, "\n#")
		sec = strings.Join(strings.Fields(sec), " ")
		for _, want := range []string{"Education Act 1996, sections 550ZA to 550ZC", "Education and Inspections Act 2006, section 91", "examine the data or files"} {
			if !strings.Contains(sec, want) {
				t.Errorf("%s: section on examining devices lacks %q:\n%s", school, want, sec)
			}
		}
		for _, bad := range []string{"power under the Education and Inspections Act 2006", "child protection policy"} {
			if strings.Contains(sec, bad) {
				t.Errorf("%s: section on examining devices says %q", school, bad)
			}
		}
	}
}

// TestNoRepeatedSentences: a policy says each thing once. No sentence (or
// list item) of six words or more appears twice in a policy's body (its
// appendices repeat their forms' text by design), and the caveat that
// lists of duties are not exhaustive is said once, if at all.
func TestNoRepeatedSentences(t *testing.T) {
	out := buildExamples(t, "md")
	split := regexp.MustCompile(`\n+|(?:[.!?:;])\s+`)
	for _, school := range []string{"hevingham-marsham", "robert-miles-infant", "fenbrook-academy"} {
		for _, policy := range []string{"online-safety", "mobile-phones", "child-protection"} {
			data, err := os.ReadFile(filepath.Join(out, school, policy+".md"))
			if err != nil {
				t.Fatal(err)
			}
			body, _, _ := strings.Cut(string(data), "{#appendix")
			if n := strings.Count(body, "exhaustive"); n > 1 {
				t.Errorf("%s's %s says its lists are not exhaustive %d times", school, policy, n)
			}
			plain := regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`).ReplaceAllString(strings.ReplaceAll(body, `\`, ""), "$1")
			// A table's cells are not sentences: a contacts table says
			// "through the school office" on every row by design.
			plain = regexp.MustCompile(`(?m)^\|.*$`).ReplaceAllString(plain, "")
			seen := map[string]bool{}
			for _, s := range split.Split(plain, -1) {
				s = strings.Join(strings.Fields(strings.TrimLeft(s, "-*# ")), " ")
				s = strings.TrimRight(s, ".!?:; ")
				if len(strings.Fields(s)) < 6 || strings.HasPrefix(s, "|") {
					continue
				}
				if seen[s] {
					t.Errorf("%s's %s says twice: %q", school, policy, s)
				}
				seen[s] = true
			}
		}
	}
}

// TestOnlineSafetyAgreesWithPack: the online safety policy says what the
// school's other policies say, read as one pack. Parents are told of an
// incident unless the DSL decides that would put a child at greater risk;
// a nude or semi-nude image of a pupil goes to the DSL, not straight to
// the police; lead responsibility stays with the DSL (KCSIE); a draft
// does not say it is published; the sixth form's phone rules and the
// phones policy's rule on phones in the school day are not contradicted;
// deputies are plural when there are several, and the governor who leads
// on safeguarding is named where the child protection policy names them.
func TestOnlineSafetyAgreesWithPack(t *testing.T) {
	out := buildExamples(t, "md")
	sentences := func(text, word string) []string {
		var got []string
		for _, s := range regexp.MustCompile(`(?:[^.\n]|\.\S)+`).FindAllString(text, -1) {
			if strings.Contains(s, word) {
				got = append(got, s)
			}
		}
		return got
	}
	sgRow := regexp.MustCompile(`Governor who leads on safeguarding: ([^|]+?) \|`)
	for _, school := range []string{"hevingham-marsham", "robert-miles-infant", "fenbrook-academy"} {
		read := func(name string) string {
			data, err := os.ReadFile(filepath.Join(out, school, name))
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			return string(data)
		}
		pol, cp, mp := read("online-safety.md"), read("child-protection.md"), read("mobile-phones.md")
		form := read(filepath.Join("forms", "parent-agreement.md"))
		if len(sentences(pol, "refer any suspected illegal material")) == 0 {
			t.Errorf("%s: online safety no longer says where illegal material goes", school)
		}
		// Every sentence that sends material to the police makes the same
		// exception: a pupil's nude image goes to the DSL (UKCIS).
		var toPolice []string
		for _, w := range []string{"refer any suspected illegal material", "provide the relevant material to the police", "Material that may be illegal is not deleted"} {
			toPolice = append(toPolice, sentences(pol, w)...)
		}
		for _, s := range toPolice {
			if !strings.Contains(s, "nude or semi-nude image of a pupil") {
				t.Errorf("%s: %q sends pupils' nude images to the police, not to the DSL as UKCIS advises", school, s)
			}
		}
		for _, s := range sentences(pol, "informed of online safety incidents") {
			t.Errorf("%s: %q tells parents of every incident", school, s)
		}
		for _, s := range sentences(pol, "told of online safety incidents") {
			if !strings.Contains(s, "unless the") || !strings.Contains(s, "greater risk") {
				t.Errorf("%s: %q tells parents even where that would put a child at risk", school, s)
			}
		}
		if lead := sentences(pol, "lead responsibility for online safety"); len(lead) == 0 {
			t.Errorf("%s: online safety names no lead", school)
		} else if strings.Contains(lead[0], " take lead") || !strings.Contains(lead[0], " takes lead") {
			t.Errorf("%s: %q shares the DSL's lead responsibility", school, lead[0])
		}
		if strings.Contains(pol, "DRAFT") {
			for _, bad := range []string{"is posted on the school website", "latest copy is available"} {
				if strings.Contains(pol+form, bad) {
					t.Errorf("%s: a draft says %q", school, bad)
				}
			}
		}
		if strings.Contains(mp, "{#sixth-form}") && strings.Contains(pol, "in a pouch") && !strings.Contains(pol, "Sixth-form students instead follow") {
			t.Errorf("%s: online safety's phone rule leaves out the sixth form's rules in the phones policy", school)
		}
		if mp != "" && strings.Contains(pol, "formal school time") {
			t.Errorf("%s: online safety's rule on phones in the school day is not the phones policy's", school)
		}
		if strings.Contains(pol, "| Deputy DSL | ") && regexp.MustCompile(`\| Deputy DSL \| [^|]* and `).MatchString(pol) {
			t.Errorf("%s: the contacts table calls several deputies \"Deputy DSL\"", school)
		}
		if m := sgRow.FindStringSubmatch(cp); m != nil && !strings.Contains(pol, m[1]) {
			t.Errorf("%s: online safety does not name the safeguarding governor %s", school, m[1])
		}
	}
}

// TestLinkedDocumentsOneName: the child protection policy names the
// documents it is read with as the school's own list names them, so one
// document has one name across the pack (Fenbrook's RSHE policy, the
// federation's separate anti-bullying policy).
func TestLinkedDocumentsOneName(t *testing.T) {
	out := buildExamples(t, "md")
	for school, want := range map[string][]string{
		"fenbrook-academy":  {"- Relationships, sex and health education policy\n", "- Anti-bullying policy\n"},
		"hevingham-marsham": {"- Anti-Bullying policy\n", "- Behaviour policy\n", "staff ICT Code of Conduct"},
	} {
		data, err := os.ReadFile(filepath.Join(out, school, "child-protection.md"))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(string(data), w) {
				t.Errorf("%s's child protection policy lacks %q", school, w)
			}
		}
		if strings.Contains(string(data), "Relationships and sex education policy") || strings.Contains(string(data), "including its measures to prevent bullying") {
			t.Errorf("%s's child protection policy names a document other than as the school does", school)
		}
	}
}

// TestCyberLead: cyber security duties go to the school's cyber lead where
// it names one (Fenbrook's business manager), never to its filtering lead.
func TestCyberLead(t *testing.T) {
	out := buildExamples(t, "md")
	data, err := os.ReadFile(filepath.Join(out, "fenbrook-academy", "online-safety.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	if !strings.Contains(text, "The school business manager and the network manager assess cyber risks") {
		t.Error("Fenbrook's cyber lead does not assess cyber risks")
	}
	if strings.Contains(text, "vice principal (safeguarding) and the network manager assess cyber risks") || strings.Contains(text, "at once to the network manager and the vice principal") {
		t.Error("Fenbrook's filtering lead is given cyber security duties")
	}
}
