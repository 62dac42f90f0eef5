package serve

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/policypack/policypack/internal/config"
)

func TestProblems(t *testing.T) {
	cfg := config.Errors{
		{File: "schools/oak.toml", Line: 16, Key: "phase", Msg: `"infnat" is not one of the allowed values`, Hint: `did you mean "infant"?`},
		{File: "schools/_defaults.toml", Msg: "cannot parse"},
	}
	tests := []struct {
		name string
		err  error
		want []Problem
	}{
		{"config errors", cfg, []Problem{
			{"schools/oak.toml", 16, "phase", `"infnat" is not one of the allowed values`, `did you mean "infant"?`},
			{"schools/_defaults.toml", 0, "", "cannot parse", ""},
		}},
		{"wrapped config errors", fmt.Errorf("loading: %w", cfg), []Problem{
			{"schools/oak.toml", 16, "phase", `"infnat" is not one of the allowed values`, `did you mean "infant"?`},
			{"schools/_defaults.toml", 0, "", "cannot parse", ""},
		}},
		{"template error", errors.New("templates/online-safety/sections/aims.md.tmpl: template: sections/aims.md.tmpl:3:12: missing value for if"),
			[]Problem{{"templates/online-safety/sections/aims.md.tmpl", 3, "", "missing value for if", ""}}},
		{"composed template error", errors.New(`schools/oak.toml: trust/online-safety/sections/scope.md.tmpl:2:14: executing "sections/scope.md.tmpl" at <.School.Nmae>: can't evaluate field Nmae`),
			[]Problem{{"trust/online-safety/sections/scope.md.tmpl", 2, "", `executing "sections/scope.md.tmpl" at <.School.Nmae>: can't evaluate field Nmae`, ""}}},
		{"joined, located, with hint", errors.Join(
			errors.New("schools/oak.toml:4: filtering.approvers: missing required value\n\thint: set it in this file"),
			errors.New("something else went wrong")),
			[]Problem{
				{"schools/oak.toml", 4, "filtering.approvers", "missing required value", "set it in this file"},
				{"", 0, "", "something else went wrong", ""},
			}},
		// errors.As on the join would find the first located error and
		// drop the rest.
		{"joined located errors", errors.Join(
			&config.Error{File: "schools/oak.toml", Key: "xref", Msg: `unknown section "aim"`, Hint: `did you mean "aims"?`},
			errors.New("something else went wrong"),
			&config.Error{File: "schools/oak.toml", Key: "xref", Msg: `unknown section "scop"`}),
			[]Problem{
				{"schools/oak.toml", 0, "xref", `unknown section "aim"`, `did you mean "aims"?`},
				{"", 0, "", "something else went wrong", ""},
				{"schools/oak.toml", 0, "xref", `unknown section "scop"`, ""},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Problems(tt.err); !slices.Equal(got, tt.want) {
				t.Errorf("Problems() =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}
