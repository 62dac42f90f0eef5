package roster

import (
	"errors"
	"strings"
	"testing"
)

// A roster longer than any school is refused, naming the bound.
func TestTooManyRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("Forename,Surname,Year,Class\n")
	for i := 0; i <= MaxRows; i++ {
		b.WriteString("Ann,Lee,3,3A\n")
	}
	_, err := Read("big.csv", strings.NewReader(b.String()))
	if !errors.Is(err, ErrTooManyRows) || !strings.HasPrefix(err.Error(), "big.csv: more than 5000 pupil rows") {
		t.Errorf("err = %v", err)
	}
}
