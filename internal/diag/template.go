package diag

import (
	"regexp"
	"strconv"
)

// templateRe splits text/template's "template: NAME:LINE[:COL]: message",
// the only place the package gives a parse or execution error's position.
var templateRe = regexp.MustCompile(`(?s)^template: ([^:]+):(\d+)(?::(\d+))?: (.*)$`)

// Template adapts an error from text/template's Parse or Execute. File is the
// template's name as it was parsed (the caller turns it into the path a user
// knows); Col is set for execution errors. ok is false when err does not
// carry a position.
func Template(err error) (e *Error, ok bool) {
	m := templateRe.FindStringSubmatch(err.Error())
	if m == nil {
		return nil, false
	}
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	return &Error{File: m[1], Line: line, Col: col, Msg: m[4], Err: err}, true
}
