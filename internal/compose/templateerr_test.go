package compose

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/diag"
)

// One template mistake for 32 schools is one message with a count.
func TestGroupTemplateErrors(t *testing.T) {
	d := &diag.Error{File: "templates/p/sections/a.md.tmpl", Line: 2, Msg: "boom"}
	var errs []error
	for i := range 32 {
		errs = append(errs, errors.Join(&TemplateError{School: &config.School{ID: fmt.Sprintf("s%02d", i)}, Diag: d}))
	}
	other := errors.New("schools/x.toml: something else")
	got := GroupTemplateErrors(append(errs, other), 32)
	if len(got) != 2 || got[0] != other {
		t.Fatalf("got %d errors: %v", len(got), got)
	}
	if want := "templates/p/sections/a.md.tmpl:2: boom (all 32 schools)"; got[1].Error() != want {
		t.Errorf("got %q, want %q", got[1], want)
	}
	got = GroupTemplateErrors(errs[:7], 32)
	if want := "(7 of 32 schools: s00, s01, s02 and 4 more)"; len(got) != 1 || !strings.HasSuffix(got[0].Error(), want) {
		t.Errorf("got %v, want one ending %q", got, want)
	}
}

// The field list a did-you-mean draws on is the template's view of the data.
func TestFriendlyFieldError(t *testing.T) {
	d := &diag.Error{Msg: `executing "sections/aims.md.tmpl" at <$s.Roles.Headteachr>: can't evaluate field Headteachr in type config.Roles`}
	friendly(d)
	if d.Msg != `<$s.Roles.Headteachr>: there is no field "Headteachr" here` || d.Hint != `did you mean "Headteacher"? ($s.Roles.Headteacher)` {
		t.Errorf("got %q / %q", d.Msg, d.Hint)
	}
}
