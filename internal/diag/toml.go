package diag

import (
	"errors"
	"strings"

	"github.com/BurntSushi/toml"
)

// dateHint is the one way a TOML date slip is explained.
const dateHint = "dates are written YYYY-MM-DD without quotes and must exist, e.g. 2024-05-24"

// TOML adapts an error from BurntSushi/toml's Decode for file: a syntax error
// and a value that does not fit its Go type both arrive as a ParseError with
// a line and the last key read. Any other error keeps its text as the
// message. The cause stays reachable with errors.As.
func TOML(file string, err error) *Error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return &Error{File: file, Msg: err.Error(), Err: err}
	}
	e := &Error{File: file, Line: pe.Position.Line, Key: pe.LastKey, Msg: "invalid TOML: " + pe.Message, Err: err}
	switch msg := pe.Message; {
	case strings.HasPrefix(msg, "parsing time"):
		// A quoted date decoded into a date field: the TOML is valid, the value is not.
		e.Msg, e.Hint = "not a date", dateHint
	case strings.Contains(msg, "month") || strings.Contains(msg, "day") || strings.Contains(msg, "date"):
		e.Hint = dateHint
	}
	return e
}
