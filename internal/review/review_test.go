package review

import (
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/config"
)

func d(s string) config.Date {
	if s == "" {
		return config.Date{}
	}
	t, err := config.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestOf(t *testing.T) {
	rm := config.PolicyConfig{NextReview: d("2024-05-24")}
	tests := []struct {
		name   string
		p      config.PolicyConfig
		asOf   string
		window int
		state  State
		days   int
		label  string
		notice string
	}{
		{"day before", rm, "2024-05-23", 0, OK, 1, "ok", ""},
		{"day before, window", rm, "2024-05-23", 30, DueSoon, 1, "due in 1 day", ""},
		{"on the day", rm, "2024-05-24", 30, Due, 0, "due today", "Review due today, 24 May 2024"},
		{"day after", rm, "2024-05-25", 30, Overdue, -1, "overdue by 1 day", "Review overdue since 24 May 2024"},
		{"months from last review", config.PolicyConfig{ApprovedOn: d("2024-01-31"), LastReviewed: d("2025-01-31"), ReviewMonths: 1}, "2025-02-01", 30, DueSoon, 27, "due in 27 days", ""},
		{"months from approval", config.PolicyConfig{ApprovedOn: d("2025-03-01"), ReviewMonths: 12}, "2026-11-26", 30, Overdue, -270, "overdue by 270 days", "Review overdue since 1 March 2026"},
		{"explicit date wins", config.PolicyConfig{ApprovedOn: d("2025-03-01"), ReviewMonths: 12, NextReview: d("2027-01-01")}, "2026-11-26", 30, OK, 36, "ok", ""},
		{"nothing recorded", config.PolicyConfig{ReviewMonths: 12}, "2026-11-26", 30, Unknown, 0, "no date recorded", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := Of(tt.p, d(tt.asOf), tt.window)
			if st.State != tt.state || st.Days != tt.days || st.Label() != tt.label || st.Notice() != tt.notice {
				t.Errorf("Of = %+v (label %q, notice %q); want %s, %d days, %q, %q", st, st.Label(), st.Notice(), tt.state, tt.days, tt.label, tt.notice)
			}
			if want := tt.state == Overdue || tt.state == Due || tt.state == DueSoon; st.Reached() != want {
				t.Errorf("Reached = %v, want %v", st.Reached(), want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	pos := func(key string) (string, int) { return "schools/x.toml", 7 }
	tests := []struct {
		name string
		p    config.PolicyConfig
		want []string // substrings, one per error
	}{
		{"clean", config.PolicyConfig{ApprovedOn: d("2025-01-01"), LastReviewed: d("2026-01-01"), NextReview: d("2027-01-01"),
			History: []config.HistoryEntry{{Version: "1", Date: d("2025-01-01")}}}, nil},
		{"future approval", config.PolicyConfig{ApprovedOn: d("2026-12-01")}, []string{"policies.p.approved_on: approved on 2026-12-01, after the as-of date"}},
		{"future review", config.PolicyConfig{LastReviewed: d("2026-11-27")}, []string{"last reviewed on 2026-11-27"}},
		{"next before last review", config.PolicyConfig{LastReviewed: d("2026-01-01"), NextReview: d("2026-01-01")}, []string{"next review 2026-01-01 is not after the last review"}},
		{"future history", config.PolicyConfig{History: []config.HistoryEntry{{Version: "1", Date: d("2025-01-01")}, {Version: "2", Date: d("2027-01-01")}}}, []string{`history entry "2" is dated 2027-01-01`}},
		{"negative months", config.PolicyConfig{ReviewMonths: -1}, []string{"review_months is -1"}},
		{"on the as-of date is fine", config.PolicyConfig{ApprovedOn: d("2026-11-26"), History: []config.HistoryEntry{{Version: "1", Date: d("2026-11-26")}}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := Validate(tt.p, "policies.p", d("2026-11-26"), pos)
			if len(errs) != len(tt.want) {
				t.Fatalf("got %d errors (%v), want %d", len(errs), errs, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(errs[i].Error(), w) || !strings.HasPrefix(errs[i].Error(), "schools/x.toml:7: ") {
					t.Errorf("error %d = %q, want file:line and %q", i, errs[i], w)
				}
			}
		})
	}
}

func TestItemsSoonestFirst(t *testing.T) {
	school := func(id, next string) *config.School {
		return &config.School{ID: id, Name: strings.ToUpper(id), Policies: map[string]config.PolicyConfig{"a": {NextReview: d(next)}, "b": {Title: "Local B"}}}
	}
	items := Items([]*config.School{school("z", "2026-01-01"), school("m", "2025-06-01"), school("a", "2026-01-01")},
		[]Policy{{ID: "a", Title: "A"}, {ID: "b", Title: "B"}}, d("2026-11-26"), 30)
	var got []string
	for _, it := range items {
		got = append(got, it.School+"/"+it.Policy+"/"+string(it.State))
	}
	want := "m/a/overdue a/a/overdue z/a/overdue a/b/unknown m/b/unknown z/b/unknown"
	if strings.Join(got, " ") != want {
		t.Errorf("order = %v, want %s", got, want)
	}
	if items[3].PolicyTitle != "Local B" || items[0].PolicyTitle != "A" {
		t.Errorf("titles = %q, %q; want the school's own title to win", items[3].PolicyTitle, items[0].PolicyTitle)
	}
}
