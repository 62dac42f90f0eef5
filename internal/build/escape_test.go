package build

import (
	"reflect"
	"strings"
	"testing"

	"github.com/policypack/policypack/internal/compose"
	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/html"
	"github.com/policypack/policypack/internal/markdown"
	"github.com/policypack/policypack/internal/policies"
)

// payload tries every way a value could turn into markup: raw HTML, an
// entity, emphasis, a link, an image, a heading, a heading attribute, a table
// cell break, a list marker and a line break.
const payload = "<script>alert(1)</script> &amp; *em* __strong__ [link](https://evil.example) ![img](x.png) # hash {#evil} cell|break\n- item `code`"

// poison sets every free-text string in v (strings without an enum or
// pattern, and list items) to payload.
func poison(v reflect.Value, f *config.Field) {
	for _, c := range f.Fields {
		fv := v.FieldByIndex(fieldIndex(v.Type(), c.Key))
		switch c.Kind {
		case config.KindString:
			if len(c.Enum) == 0 && c.Pattern == nil {
				fv.SetString(payload)
			}
		case config.KindStrings:
			// confirm names keys, printed nowhere; its keys' values are
			// poisoned with the rest, and print marked.
			if len(c.Enum) == 0 && c.Ref == "" && fv.Len() > 0 && c.Key != "confirm" {
				for i := 0; i < fv.Len(); i++ {
					fv.Index(i).SetString(payload)
				}
			}
		case config.KindTable:
			poison(fv, c)
		case config.KindMap:
			for _, k := range fv.MapKeys() {
				e := reflect.New(fv.Type().Elem()).Elem()
				e.Set(fv.MapIndex(k))
				poison(e, c.Elem)
				fv.SetMapIndex(k, e)
			}
		case config.KindTables:
			for i := 0; i < fv.Len(); i++ {
				poison(fv.Index(i), c.Elem)
			}
		}
	}
}

func fieldIndex(t reflect.Type, key string) []int {
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("toml") == key {
			return t.Field(i).Index
		}
	}
	panic("no field " + key)
}

func TestConfigTextIsNeverMarkup(t *testing.T) {
	cat, err := policies.Open("")
	if err != nil {
		t.Fatal(err)
	}
	set, err := config.LoadPolicies("../../schools", cat.Facts())
	if err != nil {
		t.Fatal(err)
	}
	comp, err := compose.New(cat, config.NewDate(2024, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range set.Schools {
		t.Run(s.ID, func(t *testing.T) {
			poison(reflect.ValueOf(s).Elem(), config.Schema())
			// Section replacements are Markdown by design; drop them here.
			for id, p := range s.Policies {
				p.Sections = nil
				s.Policies[id] = p
			}
			outs, err := comp.School(s)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range outs {
				doc := markdown.Parse(o.Markdown, o.Meta)
				page, err := html.Render(doc)
				if err != nil {
					t.Fatal(err)
				}
				got := string(page)
				if !strings.Contains(got, "&lt;script&gt;alert(1)&lt;/script&gt;") {
					t.Errorf("%s: payload text not shown as text", o.Path)
				}
				for _, bad := range []string{"<script", `href="https://evil.example"`, `src="x.png"`, "<em>em</em>", "<strong>strong</strong>", `id="evil"`, "<code>code</code>", "<li>item"} {
					if strings.Contains(got, bad) {
						t.Errorf("%s: config text became markup: found %q", o.Path, bad)
					}
				}
				if strings.Contains(string(o.Markdown), "\n- item `code`") {
					t.Errorf("%s: a line break in config text started a new block", o.Path)
				}
				// Every literal pipe of the payload must survive as text, so no
				// table cell was split.
				if strings.Contains(got, "cell</td>") || strings.Contains(got, "cell</th>") || strings.Count(got, "cell|break") < strings.Count(string(o.Markdown), `cell\|break`) {
					t.Errorf("%s: a | in config text split a table cell", o.Path)
				}
			}
		})
	}
}
