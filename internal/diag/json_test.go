package diag

import (
	"errors"
	"testing"
)

func TestToJSON(t *testing.T) {
	err := errors.Join(List{{File: "a.toml", Line: 2, Key: "phase", Msg: "bad", Hint: "fix"}}, errors.New("plain"))
	got := ToJSON(err)
	if len(got) != 2 || got[0] != (JSON{File: "a.toml", Line: 2, Key: "phase", Message: "bad", Hint: "fix"}) || got[1].Message != "plain" {
		t.Errorf("got %+v", got)
	}
	if got := ToJSON(nil); got == nil || len(got) != 0 {
		t.Errorf("nil error: got %#v, want an empty list", got)
	}
}
