package config

// This file is the single source of truth for what a school config may say.
// The loader validates against these structs, `policypack schema` derives its
// JSON Schema from them, `policypack new` scaffolds from them and the README's
// config reference is generated from them, so the four cannot drift.
//
// Struct tags:
//
//	toml:"key"        the TOML key
//	doc:"..."         one-line description (README, JSON Schema, scaffold)
//	example:"..."     a TOML literal shown in docs and the scaffold
//	required:"true"   must be set after the cascade of defaults
//	enum:"a|b|c"      allowed string values (for []string: allowed items)
//	pattern:"..."     regular expression a string must match
//	min:"1" max:"120" bounds of an integer
//	ref:"agencies"    each item is an id of the [agencies] table (checked here);
//	                  other refs (appendices, requirements) are checked where
//	                  the policy is known

// School is the merged configuration of one school (or federation) after the
// defaults cascade: built-in < schools/_defaults.toml < extends < school file.
type School struct {
	// ID is the config file's name without .toml; it names the output folder.
	ID string `toml:"-"`
	// Source records which files the school was merged from, for file:line
	// in errors raised after loading.
	Source *Source `toml:"-"`
	// FactLabels holds the declared label of each policy fact that has one,
	// by full key, for the "to be confirmed" marker.
	FactLabels map[string]string `toml:"-"`

	Name      string   `toml:"name" doc:"Display name of the setting that issues the policy" example:"\"Oakfield Primary School\"" required:"true"`
	Extends   string   `toml:"extends" doc:"Organisation defaults file in schools/ that this school inherits (without .toml); must start with _" example:"\"_tilt\"" pattern:"^_[a-z0-9-]+$"`
	Kind      string   `toml:"kind" doc:"Whether this is one school or a federation/partnership issuing one policy for its member schools" example:"\"school\"" enum:"school|federation"`
	Members   []string `toml:"members" doc:"Member schools of a federation or partnership" example:"[\"Hevingham Primary School\", \"Marsham Primary School\"]"`
	Phase     string   `toml:"phase" doc:"Phase of education" example:"\"primary\"" required:"true" enum:"nursery|infant|junior|first|primary|middle|secondary|all-through|special|alternative-provision"`
	KeyStages []string `toml:"key_stages" doc:"Key stages taught; the curriculum section shows only these" example:"[\"EYFS\", \"KS1\", \"KS2\"]" required:"true" enum:"EYFS|KS1|KS2|KS3|KS4|KS5"`
	Website   string   `toml:"website" doc:"The school's website address (https://...)" example:"\"https://www.example.sch.uk\"" pattern:"^https?://[^\\s<>\"]+$"`
	Logo      string   `toml:"logo" doc:"School logo, PNG or JPEG, relative to the schools folder" example:"\"logos/robert-miles.png\"" pattern:"(?i)\\.(png|jpe?g)$"`
	// Confirm lists keys whose values the school has not yet confirmed.
	Confirm        []string `toml:"confirm" doc:"Keys whose values are still to be confirmed (from an old policy, say): printed marked [what: to be confirmed], listed by check, and no approval can be recorded while any remain" example:"[\"filtering.approvers\", \"practice.mobile_phones\"]"`
	LocalAuthority string   `toml:"local_authority" doc:"The local authority the school works with for safeguarding" example:"\"Norfolk County Council\""`

	Organisation   Organisation            `toml:"organisation" doc:"The body the school belongs to and that approves its policies"`
	Roles          Roles                   `toml:"roles" doc:"Role titles as this school uses them"`
	People         People                  `toml:"people" doc:"Named post holders (optional; shown in the key contacts table)"`
	IT             IT                      `toml:"it" doc:"IT provider and what it manages"`
	Filtering      Filtering               `toml:"filtering" doc:"Web filtering system and who may change it"`
	Monitoring     Monitoring              `toml:"monitoring" doc:"How use of school devices and networks is monitored"`
	Email          Email                   `toml:"email" doc:"Staff and pupil email"`
	Platforms      Platforms               `toml:"platforms" doc:"Learning platform and cloud services"`
	Parents        Parents                 `toml:"parents" doc:"How the school works with parents and carers on online safety"`
	Practice       Practice                `toml:"practice" doc:"Local practices the policy describes when chosen"`
	AI             AI                      `toml:"ai" doc:"Use of generative AI tools"`
	LinkedPolicies []string                `toml:"linked_policies" doc:"Other school policies this policy is read with, each as its name reads or as a policy id; one the pack has is linked, once" example:"[\"Child protection and safeguarding policy\", \"Behaviour policy\"]"`
	Helplines      []string                `toml:"helplines" doc:"Agencies and helplines named in the policy, by id from [agencies]" example:"[\"ceop\", \"iwf\", \"ukcis-helpline\"]" ref:"agencies"`
	Agencies       map[string]Agency       `toml:"agencies" doc:"Agencies and helplines with their web addresses; built-in ones can be overridden and new ones added"`
	Policies       map[string]PolicyConfig `toml:"policies" doc:"Per-policy settings, keyed by policy id (e.g. online-safety)"`
}

// Organisation is the trust, federation or local authority a school belongs to.
type Organisation struct {
	Name          string `toml:"name" doc:"Name of the trust, federation or authority" example:"\"TILT\""`
	Type          string `toml:"type" doc:"What kind of body it is; academy trusts get funding-agreement wording" example:"\"trust\"" enum:"trust|federation|local-authority|diocese|independent"`
	GoverningBody string `toml:"governing_body" doc:"How the policy names the governing body" example:"\"governing board\""`
}

// Roles holds role titles, because schools name the same posts differently.
// Each is printed in sentences, tables and headings as written, so none may
// be set to "". The built-in defaults give a value only to posts every
// school has; the others (it_manager, filtering_lead, filtering_governor)
// are the school's to name.
type Roles struct {
	DSL               string `toml:"dsl" doc:"Title of the designated safeguarding lead" example:"\"Senior Designated Safeguarding Lead\"" nonempty:"true"`
	DSLShort          string `toml:"dsl_short" doc:"Abbreviation of the DSL title" example:"\"SDSL\"" nonempty:"true"`
	DeputyDSL         string `toml:"deputy_dsl" doc:"Title of a deputy DSL, if the school has deputies (without one the policy names none)" example:"\"deputy DSL\"" nonempty:"true"`
	Headteacher       string `toml:"headteacher" doc:"Title of the headteacher" example:"\"Headteacher\"" nonempty:"true"`
	Chair             string `toml:"chair" doc:"Title of the chair of the governing body" example:"\"Chair of Governors\"" nonempty:"true"`
	ITManager         string `toml:"it_manager" doc:"Title of the person who runs the school's IT, if it has one (without one the policy names the IT provider)" example:"\"IT service manager\""`
	ITTeam            string `toml:"it_team" doc:"Who is meant by IT staff" example:"\"The IT manager, lead IT technician and localised service technicians\"" nonempty:"true"`
	SLT               string `toml:"slt" doc:"Name of the senior leadership team" example:"\"Senior Leadership Team (SLT)\"" nonempty:"true"`
	OnlineSafetyLead  string `toml:"online_safety_lead" doc:"Who has the overview of online safety" example:"\"Designated Safeguarding Lead (DSL)\"" nonempty:"true"`
	FilteringLead     string `toml:"filtering_lead" doc:"Title of the senior leader responsible for filtering and monitoring (and for cyber security, unless cyber_lead names another)" example:"\"deputy headteacher\"" nonempty:"true"`
	CyberLead         string `toml:"cyber_lead" doc:"Title of the senior leader responsible for cyber security, where it is not the filtering lead (without it, the filtering lead is)" example:"\"school business manager\""`
	FilteringGovernor string `toml:"filtering_governor" doc:"Title of the governor responsible for filtering and monitoring" example:"\"safeguarding governor\"" nonempty:"true"`
	DPO               string `toml:"dpo" doc:"Title of the data protection officer" example:"\"data protection officer (DPO)\"" nonempty:"true"`
}

// People names post holders; every field is optional.
type People struct {
	Headteacher       string   `toml:"headteacher" doc:"Name of the headteacher" example:"\"Ms A. Example\""`
	DSL               string   `toml:"dsl" doc:"Name of the designated safeguarding lead" example:"\"Mr B. Example\""`
	DeputyDSLs        []string `toml:"deputy_dsls" doc:"Names of deputy DSLs" example:"[\"Mrs C. Example\"]"`
	Chair             string   `toml:"chair" doc:"Name of the chair of governors" example:"\"Dr D. Example\""`
	FilteringLead     string   `toml:"filtering_lead" doc:"Senior leader responsible for filtering and monitoring" example:"\"Ms A. Example\""`
	FilteringGovernor string   `toml:"filtering_governor" doc:"Governor responsible for filtering and monitoring" example:"\"Mr E. Example\""`
	// SafeguardingGovernor is the board-level lead KCSIE asks every
	// governing body to name; the child protection policy names them.
	SafeguardingGovernor string `toml:"safeguarding_governor" doc:"Governor (or trustee) who leads on safeguarding for the governing body" example:"\"Mrs G. Example\""`
}

// IT describes who provides and manages the school's IT.
type IT struct {
	Provider        string   `toml:"provider" doc:"Organisation that provides IT support" example:"\"NCC ICT Services 4 Education\""`
	ProviderShort   string   `toml:"provider_short" doc:"Short name of the IT provider used after first mention" example:"\"NCC ICT S4E\""`
	Manages         []string `toml:"manages" doc:"What the IT provider manages" example:"[\"network-settings\", \"refresh\", \"disposal\"]" enum:"network-settings|refresh|disposal|filtering|checks|email|backups"`
	CheckFrequency  string   `toml:"check_frequency" doc:"How often a technician checks and updates systems" example:"\"fortnightly\""`
	SecurityPackage string   `toml:"security_package" doc:"Managed security service that flags threats" example:"\"Managed Internet Security package\""`
	SecureWifi      bool     `toml:"secure_wifi" doc:"Whether the Wi-Fi is password protected and closed to unauthorised devices" example:"true"`
}

// Filtering describes the web filtering system.
type Filtering struct {
	System       string   `toml:"system" doc:"Name of the filtering system" example:"\"Netsweeper\""`
	ManagedBy    string   `toml:"managed_by" doc:"Who manages the filtering system" example:"\"NCC ICT S4E\""`
	Approvers    []string `toml:"approvers" doc:"Roles who may approve a change to filtering" example:"[\"Headteacher\", \"Chair of Governors\"]"`
	LastReview   Date     `toml:"last_review" doc:"Date of the last yearly review of filtering and monitoring" example:"2026-09-15"`
	ReviewRecord string   `toml:"review_record" doc:"Where the record of the yearly filtering and monitoring review is kept" example:"\"the DSL's filtering and monitoring log\""`
}

// Monitoring describes how use is monitored.
type Monitoring struct {
	System string `toml:"system" doc:"Name of the monitoring system or method" example:"\"Smoothwall Monitor\""`
	Method string `toml:"method" doc:"How monitoring is done" example:"\"physical-and-technical\"" enum:"physical|technical|physical-and-technical|logs"`
}

// Email describes staff and pupil email.
type Email struct {
	StaffSystem             string   `toml:"staff_system" doc:"Email system provided to staff" example:"\"LA or school provisioned e-mail systems\""`
	StaffDomain             string   `toml:"staff_domain" doc:"Domain of staff email addresses" example:"\"nsix.org.uk\""`
	RoleAddresses           []string `toml:"role_addresses" doc:"Anonymous role addresses in use" example:"[\"head@\", \"office@\"]"`
	PupilAccounts           bool     `toml:"pupil_accounts" doc:"Whether pupils have school email accounts" example:"true"`
	NeverByEmail            string   `toml:"never_by_email" doc:"Data never sent by email even when encrypted, as the school's own data policy names it" example:"\"special category personal data\""`
	AnonymousPupilAddresses bool     `toml:"anonymous_pupil_addresses" doc:"Whether pupils' email addresses are set up so that they show no gender, school or name" example:"true"`
	SafetyMailbox           bool     `toml:"safety_mailbox" doc:"Whether filtered emails are copied to an e-safety mailbox" example:"true"`
}

// Platforms lists the learning platform and cloud services.
type Platforms struct {
	Learning      string   `toml:"learning" doc:"Learning platform (VLE) in use" example:"\"itslearning\""`
	CloudServices []string `toml:"cloud_services" doc:"Other cloud services classes use" example:"[\"Edmodo\"]"`
}

// Parents describes communication with parents and carers.
type Parents struct {
	Newsletter         string   `toml:"newsletter" doc:"How often an online safety newsletter goes to parents (empty for none)" example:"\"monthly\""`
	YearlySession      bool     `toml:"yearly_session" doc:"Whether the school runs a yearly online safety session for parents" example:"true"`
	ParentsEvenings    bool     `toml:"parents_evenings" doc:"Whether online safety is covered at parents' evenings" example:"true"`
	Letters            bool     `toml:"letters" doc:"Whether the school raises awareness in letters and communications home" example:"true"`
	AgreementPerFamily bool     `toml:"agreement_per_family" doc:"Whether one parent/carer agreement covers all of a family's children at the school (\"child/ren\")" example:"true"`
	Advice             []string `toml:"advice" doc:"Advice pages for parents, by id from [agencies]" example:"[\"thinkuknow-parents\"]" ref:"agencies"`
}

// Practice holds local practices a school may choose to describe.
type Practice struct {
	SaferInternetDay   bool     `toml:"safer_internet_day" doc:"Whether the school marks Safer Internet Day each year" example:"true"`
	InformationSources []string `toml:"information_sources" doc:"Where the school seeks new online safety information" example:"[\"the Computing Network\", \"our local police force\"]"`
	RemovableMedia     string   `toml:"removable_media" doc:"How sensitive files are carried off site, if at all" example:"\"encrypted memory sticks\""`
	MobilePhones       string   `toml:"mobile_phones" doc:"The school's approach to pupils' mobile phones in the school day: not brought to school, handed in on arrival, kept in a locker, locked in a pouch the pupil keeps, switched off and out of sight, or allowed with rules" example:"\"handed-in\"" enum:"not-allowed|handed-in|locker|pouch|off-and-away|allowed-with-rules"`
	BYODGuidance       bool     `toml:"byod_guidance" doc:"Whether the policy gives the school's own guidance for staff and pupils bringing their own devices: phones and cameras used in lessons only for an educational activity, no abusive material, staff do not share personal numbers; the Mobile Phones Policy then allows pupils' phones in a staff-led educational activity and does not call the day phone-free" example:"true"`
	GamesConsoles      bool     `toml:"games_consoles" doc:"Whether games consoles are used in school, so the policy warns that their internet access may be unfiltered" example:"true"`
	StaffSchoolPhone   bool     `toml:"staff_school_phone" doc:"Whether the school provides a phone for staff who need to contact pupils or parents" example:"true"`
	Statements         []string `toml:"statements" doc:"Statements of the school's own practice its policy makes (from its old policy, say), each adding its sentence to the shared text (see Statements of practice, below)" example:"[\"policy-on-website\", \"induction-pack\"]" enum:"policy-on-website|induction-pack|agreement-each-year|infringements-explained|progressive-programme|placement-induction|strict-monitoring|parents-told-of-incidents|open-aup|email-netiquette|personal-email-blocked|website-practice|social-spaces|image-practice|changes-shared|use-logged-to-managers|personal-devices-permission|image-sharing-permission|staff-ict-rules|governor-meetings|dsl-job-descriptions|phones-with-permission"`
	AUPName            string   `toml:"aup_name" doc:"What the school calls its acceptable use agreements" example:"\"ICT Code of Conduct\""`
}

// AI describes how the school uses generative AI tools.
type AI struct {
	ApprovedTools []string `toml:"approved_tools" doc:"Generative AI tools the school has approved for staff use" example:"[\"Microsoft Copilot (school accounts)\"]"`
	PupilUse      string   `toml:"pupil_use" doc:"Whether and how pupils use generative AI tools" example:"\"teacher-led\"" enum:"none|teacher-led|supervised"`
	Approver      string   `toml:"approver" doc:"Who approves a new AI tool before it is used" example:"\"the headteacher, with the data protection officer\""`
}

// Agency is an organisation or helpline the policy can refer to.
type Agency struct {
	Name string `toml:"name" doc:"Name of the agency" example:"\"CEOP\"" required:"true"`
	URL  string `toml:"url" doc:"Its web address" example:"\"https://www.ceop.police.uk/\"" required:"true" pattern:"^https?://[^\\s<>\"]+$"`
	What string `toml:"what" doc:"What it is for, in a few words" example:"\"report online sexual abuse or grooming\""`
}

// PolicyConfig holds one policy's review data and section overrides.
type PolicyConfig struct {
	Enabled           *bool                      `toml:"enabled" doc:"Whether the school has this policy (every policy is on unless a school, organisation or _defaults file switches it off)" example:"false"`
	Title             string                     `toml:"title" doc:"Title as this school names the policy" example:"\"Online Safety Procedure\""`
	AppendixNumbering string                     `toml:"appendix_numbering" doc:"How appendices are numbered" example:"\"numbers\"" enum:"letters|numbers"`
	AppendixOrder     []string                   `toml:"appendix_order" doc:"Appendix ids in the order this school prints them (others follow in the policy's order)" example:"[\"appendix-pupil-code\", \"appendix-parent-agreement\", \"appendix-staff-code\"]" ref:"appendices"`
	Version           string                     `toml:"version" doc:"Version of the approved policy" example:"\"1.0\""`
	ApprovedBy        string                     `toml:"approved_by" doc:"Who approves the policy (before approval: who will)" example:"\"TILT\""`
	AgreedBy          string                     `toml:"agreed_by" doc:"Who agrees the policy before it is approved, if anyone (e.g. the senior leadership team)" example:"\"the senior leadership team (SLT)\""`
	ApprovedOn        Date                       `toml:"approved_on" doc:"Date the policy was approved" example:"2023-05-24"`
	LastReviewed      Date                       `toml:"last_reviewed" doc:"Date the policy was last reviewed" example:"2023-05-24"`
	ReviewMonths      int                        `toml:"review_months" doc:"Months between reviews (next review = last review or approval + this)" example:"12" min:"1" max:"120"`
	NextReview        Date                       `toml:"next_review" doc:"Explicit next review date; overrides review_months" example:"2024-05-24"`
	History           []HistoryEntry             `toml:"history" doc:"Version history, shown in the document control table"`
	Sections          map[string]SectionOverride `toml:"sections" doc:"Per-section replacements, additions and omissions, keyed by section id"`
	// Facts holds the policy's own keys, as its policy.toml declares them
	// ([[facts]]): string, bool, int, Date, []string or map[string]string,
	// every declared fact present (zero when not set).
	Facts map[string]any `toml:"facts" facts:"true" doc:"The policy's own facts, as its policy.toml declares them ([[facts]]); see the policy facts reference"`
}

// HistoryEntry is one row of a policy's document control table.
type HistoryEntry struct {
	Version    string `toml:"version" doc:"Version number" example:"\"1.1\"" required:"true"`
	Date       Date   `toml:"date" doc:"Date of the change" example:"2023-05-24" required:"true"`
	Summary    string `toml:"summary" doc:"Summary of changes" example:"\"Annual review\"" required:"true"`
	ApprovedBy string `toml:"approved_by" doc:"Who approved it" example:"\"Governing board\""`
}

// SectionOverride changes one section of a policy for one school. Replace and
// Append are Markdown written by the school (raw HTML is never rendered).
type SectionOverride struct {
	Omit    bool     `toml:"omit" doc:"Leave this section (and its subsections) out" example:"true"`
	Title   string   `toml:"title" doc:"Replace the section's heading" example:"\"Our approach\""`
	Replace string   `toml:"replace" doc:"Markdown that replaces the section's text" example:"\"We ...\""`
	Append  string   `toml:"append" doc:"Markdown added after the section's text" example:"\"In addition, ...\""`
	Meets   []string `toml:"meets" doc:"Requirement ids a replacement still meets (coverage report)" example:"[\"kcsie-filtering\"]" ref:"requirements"`
}
