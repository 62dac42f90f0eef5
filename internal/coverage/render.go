package coverage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text renders the report for a terminal: a heading with the counts, then
// every applicable requirement grouped by source, each with the sections
// that cover it or the reasons it is uncovered.
func Text(r *Report) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s (%s): %s\n", r.School.Name, r.School.ID, policyTitles(r))
	fmt.Fprintf(&b, "%s, %s: %d requirement(s) apply; %d covered, %d uncovered\n",
		r.School.Phase, strings.Join(r.School.KeyStages, ", "), r.Summary.Applicable, r.Summary.Covered, r.Summary.Uncovered)
	width := 0
	for _, row := range r.Requirements {
		width = max(width, utf8.RuneCountInString(row.ID))
	}
	for _, src := range r.Sources {
		fmt.Fprintf(&b, "\n%s (%s, in force %s)\n", src.Title, src.Status, src.InForce)
		for _, row := range r.Requirements {
			if row.Source != src.ID {
				continue
			}
			if row.Status == Covered {
				var refs []string
				for _, s := range row.CoveredBy {
					refs = append(refs, s.String())
				}
				fmt.Fprintf(&b, "  ok         %-*s  %s\n", width, row.ID, strings.Join(refs, "; "))
				continue
			}
			fmt.Fprintf(&b, "  UNCOVERED  %-*s  %s\n", width, row.ID, row.Summary)
			for _, why := range row.Reasons {
				fmt.Fprintf(&b, "  %*s  - %s\n", 11+width, "", why.Message)
			}
		}
	}
	return b.Bytes()
}

// SummaryLine is the one line `check` prints for the school.
func SummaryLine(r *Report) string {
	if r.Summary.Uncovered == 0 {
		return fmt.Sprintf("%s: all %d requirement(s) covered", r.School.ID, r.Summary.Applicable)
	}
	return fmt.Sprintf("%s: %d of %d requirement(s) uncovered; run `policypack coverage %s`",
		r.School.ID, r.Summary.Uncovered, r.Summary.Applicable, r.School.ID)
}

func policyTitles(r *Report) string {
	var ts []string
	for _, p := range r.Policies {
		ts = append(ts, p.Title)
	}
	if len(ts) == 0 {
		return "no policies"
	}
	return strings.Join(ts, ", ")
}

// JSON renders one report in the documented shape (see Report), indented,
// with a final newline.
func JSON(r *Report) ([]byte, error) {
	return marshal(r)
}

// Set is the JSON document `policypack coverage --json` prints: one report
// per school, in school id order.
type Set struct {
	Format  string    `json:"format"`
	Schools []*Report `json:"schools"`
}

// JSONSet renders several reports as one document: {"format", "schools": [...]}.
func JSONSet(reps []*Report) ([]byte, error) {
	if reps == nil {
		reps = []*Report{}
	}
	return marshal(Set{Format: Format, Schools: reps})
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	// Section titles hold quotes and ampersands; keep them readable.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encoding coverage report: %w", err)
	}
	return b.Bytes(), nil
}
