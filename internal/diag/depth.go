package diag

import "fmt"

// MaxTOMLDepth bounds how deeply a TOML file's tables may nest, counting
// arrays, inline tables and dotted keys. Policypack's files nest three or
// four levels; BurntSushi/toml's cost grows with the square of the depth
// (5,000 levels took 3 s and 1 GB), so the bound is checked on the text,
// before parsing.
const MaxTOMLDepth = 32

// TOMLDepth scans TOML text for nesting deeper than MaxTOMLDepth without
// parsing it: brackets and braces outside strings and comments, and the
// dots of each key. It returns a *Error at the line of the first excess,
// or nil. Call it before toml.Decode.
func TOMLDepth(file string, data []byte) *Error {
	if line := nesting(data); line > 0 {
		return &Error{File: file, Line: line, Msg: fmt.Sprintf("tables nest more than %d levels deep", MaxTOMLDepth),
			Hint: "configs, policies and standards nest three or four levels; is this the file you meant?"}
	}
	return nil
}

func nesting(data []byte) int {
	line := 1
	var stack []byte // open brackets: '[' or '{'
	dots, afterEq := 0, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch c {
		case '\n':
			line++
			if len(stack) == 0 {
				dots, afterEq = 0, false
			}
		case '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
			i-- // the newline is counted above
		case '"', '\'':
			n, lines := skipString(data, i)
			i, line = n, line+lines
		case '[', '{':
			stack = append(stack, c)
			if c == '{' {
				dots, afterEq = 0, false
			}
			if len(stack) > MaxTOMLDepth {
				return line
			}
		case ']', '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if len(stack) > 0 && stack[len(stack)-1] == '{' {
				dots, afterEq = 0, false
			}
		case '=':
			afterEq = true
		case '.':
			if !afterEq {
				if dots++; dots > MaxTOMLDepth {
					return line
				}
			}
		}
	}
	return 0
}

// skipString returns the index of the last byte of the string starting at
// data[i] (basic or literal, single- or multi-line) and the newlines in it.
func skipString(data []byte, i int) (int, int) {
	q := data[i]
	triple := i+2 < len(data) && data[i+1] == q && data[i+2] == q
	lines := 0
	j := i + 1
	if triple {
		j = i + 3
	}
	for ; j < len(data); j++ {
		switch {
		case data[j] == '\\' && q == '"':
			if j+1 < len(data) && data[j+1] == '\n' {
				lines++
			}
			j++
		case data[j] == '\n':
			lines++
			if !triple {
				return j - 1, lines - 1 // an unterminated string: the parser reports it
			}
		case data[j] == q:
			if !triple {
				return j, lines
			}
			if j+2 < len(data) && data[j+1] == q && data[j+2] == q {
				// Up to two more quotes may belong to the content.
				for j+3 < len(data) && data[j+3] == q {
					j++
				}
				return j + 2, lines
			}
		}
	}
	return len(data) - 1, lines
}
