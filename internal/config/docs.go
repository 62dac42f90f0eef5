package config

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/policypack/policypack/internal/ident"
)

// JSONSchema returns the JSON Schema (draft 2020-12) of a school config, for
// editors such as Taplo / Even Better TOML to complete keys and flag typos.
// Each policy given gets its own entry under policies, whose facts table
// lists the facts it declares.
func JSONSchema(policies ...PolicyFacts) []byte {
	root := schemaOf(Schema())
	if len(policies) > 0 {
		pol := root["properties"].(map[string]any)["policies"].(map[string]any)
		props := map[string]any{}
		for _, p := range policies {
			elem := schemaOf(Schema().Child("policies").Elem)
			elemProps := elem["properties"].(map[string]any)
			facts := schemaOf(factsField(p))
			// A required fact may be set in _defaults.toml or the
			// organisation file, so no one file must have it.
			delete(facts, "required")
			elemProps["facts"] = facts
			if p.Title != "" {
				elem["description"] = p.Title
			}
			props[p.ID] = elem
		}
		pol["properties"] = props
	}
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = "https://policypack.invalid/school.schema.json"
	root["title"] = "policypack school config"
	root["description"] = "One school's (or federation's) settings: schools/<id>.toml. Values cascade: built-in defaults < schools/_defaults.toml < the organisation file named by extends < this file."
	b, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		panic(err) // the schema is built from our own types
	}
	return append(b, '\n')
}

// schemaOf returns an ordered-by-key JSON object (encoding/json sorts map
// keys, so the output is stable).
func schemaOf(f *Field) map[string]any {
	s := map[string]any{}
	if f.Doc != "" {
		s["description"] = f.Doc
	}
	switch f.Kind {
	case KindString:
		s["type"] = "string"
		if len(f.Enum) > 0 {
			s["enum"] = f.Enum
		}
		if f.NonEmpty {
			s["pattern"] = `\S` // what the loader checks: not blank
		}
		if f.Pattern != nil {
			s["pattern"] = f.Pattern.String()
		}
	case KindBool:
		s["type"] = "boolean"
	case KindInt:
		s["type"] = "integer"
		s["minimum"] = 0
		if f.Min != nil {
			s["minimum"] = *f.Min
		}
		if f.Max != nil {
			s["maximum"] = *f.Max
		}
	case KindDate:
		s["type"] = "string"
		s["format"] = "date"
	case KindStrings:
		items := map[string]any{"type": "string"}
		if len(f.Enum) > 0 {
			items["enum"] = f.Enum
		}
		s["type"] = "array"
		s["items"] = items
	case KindTable:
		props := map[string]any{}
		var req []string
		for _, c := range f.Fields {
			props[c.Key] = schemaOf(c)
			if c.Required {
				req = append(req, c.Key)
			}
		}
		s["type"] = "object"
		s["properties"] = props
		s["additionalProperties"] = false
		if len(req) > 0 && f != Schema() {
			// Top-level required keys may come from a defaults file, so only
			// nested tables (agencies, history entries) list them.
			s["required"] = req
		}
	case KindMap:
		s["type"] = "object"
		s["propertyNames"] = map[string]any{"pattern": ident.Pattern}
		s["additionalProperties"] = schemaOf(f.Elem)
	case KindTables:
		s["type"] = "array"
		s["items"] = schemaOf(f.Elem)
	case KindStringMap:
		s["type"] = "object"
		s["additionalProperties"] = map[string]any{"type": "string"}
	case KindFacts:
		s["type"] = "object"
	}
	if f.Example != "" && f.Kind != KindTable {
		s["examples"] = []string{f.Example}
	}
	return s
}

// Scaffold returns a new school config with every key present and
// commented, except the schema's required ones. The extra keys given (the
// keys a policy requires, e.g. "filtering.approvers") stay commented with a
// note: no example is a safe default for them, so `check` fails until the
// school sets each one (or lists it in confirm).
func Scaffold(id, name string, required ...string) []byte {
	return ScaffoldPolicies(id, name, nil, required...)
}

// ScaffoldPolicies is Scaffold with a [policies.<id>.facts] table for each
// policy that declares facts, every one commented at its example; a
// required one carries the same note as a policy's required keys, since an
// example is never a school's fact until the school says so.
func ScaffoldPolicies(id, name string, policies []PolicyFacts, required ...string) []byte {
	need := map[string]bool{}
	for _, k := range required {
		need[k] = true
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# schools/%s.toml: policypack school config.\n", id)
	b.WriteString("# Every key is listed; uncomment what applies. Values left out come from\n")
	b.WriteString("# schools/_defaults.toml, the file named by extends, or the built-in defaults.\n")
	b.WriteString("# Reference: `policypack schema`, or docs/config.md in the policypack repository.\n\n")
	root := Schema()
	var tables []*Field
	for _, f := range root.Fields {
		switch f.Kind {
		case KindTable, KindMap, KindTables:
			tables = append(tables, f)
			continue
		}
		value := f.Example
		if f.Key == "name" && name != "" {
			value = fmt.Sprintf("%q", name)
		}
		writeKey(&b, f, value, !f.Required, "", need[f.Key])
	}
	for _, t := range tables {
		b.WriteString("\n")
		switch t.Kind {
		case KindTable:
			fmt.Fprintf(&b, "# %s\n[%s]\n", t.Doc, t.Key)
			for _, c := range t.Fields {
				writeKey(&b, c, c.Example, !c.Required, "", need[t.Key+"."+c.Key])
			}
		case KindMap:
			id := "example"
			if t.Key == "policies" {
				id = "online-safety"
			}
			fmt.Fprintf(&b, "# %s\n# [%s.%s]\n", t.Doc, t.Key, id)
			for _, c := range t.Elem.Fields {
				switch c.Kind {
				case KindTables:
					fmt.Fprintf(&b, "# [[%s.%s.%s]]  %s\n", t.Key, id, c.Key, c.Doc)
					for _, cc := range c.Elem.Fields {
						writeKey(&b, cc, cc.Example, true, "  ", false)
					}
				case KindMap:
					fmt.Fprintf(&b, "# [%s.%s.%s.<section-id>]  %s\n", t.Key, id, c.Key, c.Doc)
					for _, cc := range c.Elem.Fields {
						writeKey(&b, cc, cc.Example, true, "  ", false)
					}
				case KindFacts:
					// Written per policy below, with the policy's declarations.
				default:
					writeKey(&b, c, c.Example, true, "", false)
				}
			}
		}
	}
	for _, p := range policies {
		if len(p.Facts) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n# Facts of the %s (declared in its policy.toml)\n[policies.%s.facts]\n", cmp.Or(p.Title, p.ID), p.ID)
		for _, f := range p.Facts {
			fd := f.Field()
			fd.Required = false // noted as a policy's requirement instead
			writeKey(&b, fd, f.Example, true, "", f.Required)
		}
	}
	return b.Bytes()
}

func writeKey(b *bytes.Buffer, f *Field, value string, commented bool, indent string, confirm bool) {
	doc := f.Doc
	if len(f.Enum) > 0 {
		doc += " (" + strings.Join(f.Enum, " | ") + ")"
	}
	switch {
	case f.Required:
		doc += " [required]"
	case confirm:
		// An example is not a safe default for these, so they are left
		// unset and `check` fails until the school sets each one.
		doc += " [required by a policy, no safe default: set it, or list it in confirm until the school has decided]"
	}
	fmt.Fprintf(b, "%s# %s\n", indent, doc)
	prefix := ""
	if commented {
		prefix = "# "
	}
	if value == "" {
		value = `""`
	}
	fmt.Fprintf(b, "%s%s%s = %s\n", indent, prefix, f.Key, value)
}

// Reference returns the config reference as Markdown tables, one row per key
// with its type, whether it is required, its description and an example. The
// README embeds it between markers and a test keeps the two in step.
func Reference(policies ...PolicyFacts) string {
	var b strings.Builder
	b.WriteString("| key | type | required | description | example |\n|---|---|---|---|---|\n")
	Schema().Walk(func(path string, f *Field) {
		req := ""
		if f.Required {
			req = "yes"
		}
		doc := f.Doc
		if len(f.Enum) > 0 {
			doc += " One of: " + strings.Join(f.Enum, ", ") + "."
		}
		ex := ""
		if f.Example != "" {
			ex = "`" + f.Example + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", path, f.TypeName(), req, strings.ReplaceAll(doc, "|", "\\|"), strings.ReplaceAll(ex, "|", "\\|"))
	})
	for _, p := range policies {
		for _, f := range p.Facts {
			req := ""
			if f.Required {
				req = "yes"
			}
			doc := f.Doc
			if len(f.Values) > 0 {
				doc += " One of: " + strings.Join(f.Values, ", ") + "."
			}
			if f.Default != nil {
				doc += fmt.Sprintf(" Default: `%v`.", f.Default)
			}
			ex := ""
			if f.Example != "" {
				ex = "`" + f.Example + "`"
			}
			fmt.Fprintf(&b, "| `policies.%s.facts.%s` | %s | %s | %s | %s |\n", p.ID, f.Name, f.Field().TypeName(), req, strings.ReplaceAll(doc, "|", "\\|"), strings.ReplaceAll(ex, "|", "\\|"))
		}
	}
	return b.String()
}
