package docx

import (
	"bytes"
	"encoding/xml"
)

// xmlEscape is encoding/xml's escaper, which also escapes quotes (so the
// result is safe in attribute values) and replaces characters XML cannot
// represent.
func xmlEscape(b *bytes.Buffer, s string) error { return xml.EscapeText(b, []byte(s)) }
