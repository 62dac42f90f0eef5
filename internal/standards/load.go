package standards

import (
	"cmp"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/diag"
	"github.com/policypack/policypack/internal/ident"
)

// maxSummary keeps summaries to one readable line in a report's table.
const maxSummary = 220

// fileData mirrors a catalogue file. Dates decode as time.Time because TOML
// local dates arrive that way; they become config.Date after validation.
type fileData struct {
	Source       sourceData        `toml:"source"`
	Requirements []requirementData `toml:"requirements"`
}

type sourceData struct {
	ID        string    `toml:"id"`
	Title     string    `toml:"title"`
	Publisher string    `toml:"publisher"`
	URL       string    `toml:"url"`
	InForce   time.Time `toml:"in_force"`
	Updated   time.Time `toml:"updated"`
	Version   string    `toml:"version"`
	Status    string    `toml:"status"`
	Order     *int      `toml:"order"`
}

type requirementData struct {
	ID          string   `toml:"id"`
	Section     string   `toml:"section"`
	Summary     string   `toml:"summary"`
	Phases      []string `toml:"phases"`
	KeyStages   []string `toml:"key_stages"`
	AppliesWhen string   `toml:"applies_when"`
}

// catalogueKeys lists the keys each table of a catalogue file accepts.
func catalogueKeys(parent toml.Key) []string {
	switch parent.String() {
	case "":
		return []string{"source", "requirements"}
	case "source":
		return diag.TOMLKeys[sourceData]()
	case "requirements":
		return diag.TOMLKeys[requirementData]()
	}
	return nil
}

// defaultOrder places a source without an explicit order (a trust's own
// file, typically) after the built-in sources, which use 10..990.
const defaultOrder = 1000

// Load reads and validates every standards/*.toml file in fsys. It reports
// every problem it finds, not just the first, as an diag.List.
func Load(fsys fs.FS) (*Catalogue, error) {
	return LoadLayers(fsys)
}

// LoadLayers loads the catalogue from several template trees, lowest first:
// typically the embedded built-ins, then a trust's override folder. A file in
// a later layer replaces the file of the same name in an earlier one whole
// (so a trust can pin or correct a source), and a new name adds a source.
// A layer without a standards folder contributes nothing.
func LoadLayers(layers ...fs.FS) (*Catalogue, error) {
	type picked struct {
		fsys fs.FS
		name string
	}
	files := map[string]picked{}
	for _, fsys := range layers {
		names, err := fs.Glob(fsys, path.Join(Dir, "*.toml"))
		if err != nil {
			return nil, fmt.Errorf("listing %s: %w", Dir, err)
		}
		for _, n := range names {
			files[n] = picked{fsys, n}
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no catalogue files: %s/*.toml matched nothing", Dir)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)

	var errs diag.List
	var parsed []*parsedFile
	for _, n := range names {
		p := files[n]
		pf, fileErrs := parseFile(p.fsys, n)
		errs = append(errs, fileErrs...)
		if pf != nil {
			parsed = append(parsed, pf)
		}
	}
	cat := assemble(parsed, &errs)
	if len(errs) > 0 {
		errs = errs.Sort()
		return nil, errs
	}
	return cat, nil
}

// parsedFile is one file after decoding and per-file checks.
type parsedFile struct {
	source Source
	reqs   []Requirement
	lines  *diag.TOMLLines
}

func parseFile(fsys fs.FS, name string) (*parsedFile, diag.List) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, diag.List{{File: name, Msg: fmt.Sprintf("reading: %v", err)}}
	}
	if e := diag.TOMLDepth(name, raw); e != nil {
		return nil, diag.List{e}
	}
	var data fileData
	md, err := toml.Decode(string(raw), &data)
	if err != nil {
		e := diag.TOML(name, err)
		return nil, diag.List{e}
	}
	idx := diag.ScanTOML(raw)
	var errs diag.List
	errs = append(errs, diag.UnknownKeys(name, md, idx, catalogueKeys)...)

	s := data.Source
	src := Source{
		ID: s.ID, Title: s.Title, Publisher: s.Publisher, URL: s.URL,
		Version: s.Version, Status: s.Status, Order: defaultOrder, File: name,
		InForce: toDate(s.InForce), Updated: toDate(s.Updated),
	}
	if s.Order != nil {
		src.Order = *s.Order
	}
	at := func(key string) int { return cmp.Or(idx.In("source", 0, key), idx.Header("source", 0)) }
	bad := func(key, msg, hint string) {
		errs = append(errs, &diag.Error{File: name, Line: at(key), Key: "source." + key, Msg: msg, Hint: hint})
	}
	if !md.IsDefined("source") {
		errs = append(errs, &diag.Error{File: name, Line: 1, Key: "source", Msg: "missing [source] table", Hint: "every catalogue file starts with [source] describing its document"})
	}
	for _, f := range []struct{ key, val string }{
		{"id", s.ID}, {"title", s.Title}, {"publisher", s.Publisher}, {"url", s.URL}, {"version", s.Version}, {"status", s.Status},
	} {
		if strings.TrimSpace(f.val) == "" && md.IsDefined("source") {
			bad(f.key, "is required", "")
		}
	}
	if s.ID != "" && !ident.ValidSource(s.ID) {
		bad("id", fmt.Sprintf("source id %q must be lowercase words joined by hyphens", s.ID), "")
	}
	if s.URL != "" {
		if msg := checkHTTPS(s.URL); msg != "" {
			bad("url", msg, "")
		}
	}
	if s.InForce.IsZero() && md.IsDefined("source") {
		bad("in_force", "is required: the date the cited version took effect, as a TOML date (2026-09-01)", "")
	}
	if s.Status != "" && !slices.Contains(knownStatuses, s.Status) {
		bad("status", fmt.Sprintf("%q is not a status", s.Status), "one of: "+strings.Join(knownStatuses, ", "))
	}

	pf := &parsedFile{source: src, lines: idx}
	if len(data.Requirements) == 0 && md.IsDefined("source") {
		errs = append(errs, &diag.Error{File: name, Line: idx.Header("source", 0), Msg: "no [[requirements]]", Hint: "a source with nothing required of the policy does not belong in the catalogue"})
	}
	for i, r := range data.Requirements {
		head := idx.Header("requirements", i)
		line := cmp.Or(idx.In("requirements", i, "id"), head)
		req := Requirement{
			ID: r.ID, Source: s.ID, Section: r.Section, Summary: r.Summary,
			Phases: r.Phases, KeyStages: r.KeyStages, AppliesWhen: r.AppliesWhen,
			File: name, Line: line,
		}
		rbad := func(key, msg, hint string) {
			l := cmp.Or(idx.In("requirements", i, key), head)
			errs = append(errs, &diag.Error{File: name, Line: l, Key: "requirements." + key, Msg: msg, Hint: hint})
		}
		switch {
		case r.ID == "":
			rbad("id", "is required", "")
		case !ident.ValidRequirement(r.ID):
			rbad("id", fmt.Sprintf("%q must be lowercase words joined by single hyphens", r.ID), fmt.Sprintf("for example %q", s.ID+"-filtering-monitoring"))
		case s.ID != "" && !strings.HasPrefix(r.ID, s.ID+"-"):
			rbad("id", fmt.Sprintf("%q must start with its source id %q", r.ID, s.ID+"-"), "")
		}
		if strings.TrimSpace(r.Section) == "" {
			rbad("section", "is required: where in the source, by title if no paragraph number is confirmed", "")
		}
		if msg := checkLine(r.Summary, maxSummary); msg != "" {
			rbad("summary", msg, "")
		}
		if strings.ContainsAny(r.AppliesWhen, "\r\n") {
			rbad("applies_when", "must be one line", "")
		}
		if len(r.Phases) > 0 && len(r.KeyStages) > 0 {
			rbad("key_stages", "set phases or key_stages, not both", "use key_stages for curriculum content, phases for the kind of setting")
		}
		checkEnum := func(key string, vals, allowed []string) {
			seen := map[string]bool{}
			for _, v := range vals {
				if !slices.Contains(allowed, v) {
					rbad(key, fmt.Sprintf("%q is not allowed", v), "one of: "+strings.Join(allowed, ", "))
				}
				if seen[v] {
					rbad(key, fmt.Sprintf("%q is listed twice", v), "")
				}
				seen[v] = true
			}
		}
		checkEnum("phases", r.Phases, knownPhases)
		checkEnum("key_stages", r.KeyStages, knownKeyStages)
		pf.reqs = append(pf.reqs, req)
	}
	return pf, errs
}

// assemble orders sources and requirements and checks what spans files:
// duplicate source ids and duplicate requirement ids.
func assemble(files []*parsedFile, errs *diag.List) *Catalogue {
	sort.SliceStable(files, func(i, j int) bool {
		a, b := files[i].source, files[j].source
		if a.Order != b.Order {
			return a.Order < b.Order
		}
		return a.File < b.File
	})
	cat := &Catalogue{byID: map[string]int{}, sourceID: map[string]int{}}
	sourceFile := map[string]string{}
	for _, f := range files {
		if f.source.ID != "" {
			if other, dup := sourceFile[f.source.ID]; dup {
				*errs = append(*errs, &diag.Error{
					File: f.source.File, Line: cmp.Or(f.lines.In("source", 0, "id"), 1), Key: "source.id",
					Msg: fmt.Sprintf("source id %q is also used by %s", f.source.ID, other),
				})
			} else {
				sourceFile[f.source.ID] = f.source.File
				cat.sourceID[f.source.ID] = len(cat.Sources)
			}
		}
		cat.Sources = append(cat.Sources, f.source)
		for _, r := range f.reqs {
			if r.ID == "" {
				continue
			}
			if i, dup := cat.byID[r.ID]; dup {
				first := cat.Requirements[i]
				*errs = append(*errs, &diag.Error{
					File: r.File, Line: r.Line, Key: "requirements.id",
					Msg: fmt.Sprintf("duplicate requirement id %q (first defined at %s:%d)", r.ID, first.File, first.Line),
				})
				continue
			}
			cat.byID[r.ID] = len(cat.Requirements)
			cat.Requirements = append(cat.Requirements, r)
		}
	}
	return cat
}

func checkHTTPS(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Sprintf("%q must be an https:// web address", raw)
	}
	return ""
}

func checkLine(s string, max int) string {
	switch {
	case strings.TrimSpace(s) == "":
		return "is required"
	case strings.ContainsAny(s, "\r\n"):
		return "must be one line"
	case utf8.RuneCountInString(s) > max:
		return fmt.Sprintf("is %d characters; keep it to one line of at most %d", utf8.RuneCountInString(s), max)
	}
	return ""
}

func toDate(t time.Time) config.Date {
	if t.IsZero() {
		return config.Date{}
	}
	return config.NewDate(t.Year(), t.Month(), t.Day())
}
