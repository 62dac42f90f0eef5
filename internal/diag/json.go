package diag

import "errors"

// JSON is an Error as a command's --json report carries it: the same parts,
// named for scripts. Line and Col are 0 when unknown.
type JSON struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Key     string `json:"key"`
	Message string `json:"message"`
	Hint    string `json:"hint"`
}

// ToJSON lists every problem in err (a List, errors.Join of several, or one
// error), sorted as they print; an error that is not an *Error keeps its text
// as the message.
func ToJSON(err error) []JSON {
	out := []JSON{}
	var walk func(err error)
	walk = func(err error) {
		if err == nil {
			return
		}
		var e *Error
		if errors.As(err, &e) && e.Error() == err.Error() {
			msg := e.Msg
			if msg == "" && e.Err != nil {
				msg = e.Err.Error()
			}
			out = append(out, JSON{File: e.File, Line: e.Line, Col: e.Col, Key: e.Key, Message: msg, Hint: e.Hint})
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		out = append(out, JSON{Message: err.Error()})
	}
	walk(err)
	return out
}
