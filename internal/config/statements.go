package config

import (
	"fmt"
	"slices"
	"strings"
)

// Says reports whether the school's policy makes the named statement of
// its practice (practice.statements); a name the schema does not allow is
// an error, so a template's typo fails the build instead of dropping a
// sentence.
func (p Practice) Says(name string) (bool, error) {
	f := Schema().Child("practice").Child("statements")
	if !slices.Contains(f.Enum, name) {
		return false, fmt.Errorf("practice.statements has no %q (one of: %s)", name, strings.Join(f.Enum, ", "))
	}
	return slices.Contains(p.Statements, name), nil
}
