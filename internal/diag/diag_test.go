package diag

import (
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/BurntSushi/toml"
)

func TestErrorPrints(t *testing.T) {
	for _, tc := range []struct {
		e    *Error
		want string
	}{
		{&Error{File: "a.toml", Line: 3, Key: "roles.dsl", Msg: "unknown key", Hint: `did you mean "roles.dsl"?`},
			"a.toml:3: roles.dsl: unknown key\n\thint: did you mean \"roles.dsl\"?"},
		{&Error{File: "a.toml", Msg: "no such school config"}, "a.toml: no such school config"},
		{&Error{File: "p.tmpl", Line: 4, Col: 7, Msg: "bad"}, "p.tmpl:4:7: bad"},
		// A column without a line means nothing to a reader.
		{&Error{File: "p.tmpl", Col: 7, Msg: "bad"}, "p.tmpl: bad"},
		{&Error{Msg: `unknown form "x"`, Hint: "forms: a, b"}, "unknown form \"x\"\n\thint: forms: a, b"},
		{&Error{File: "out", Err: fs.ErrExist, Hint: "use --force"}, "out: file already exists\n\thint: use --force"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
}

func TestErrorUnwraps(t *testing.T) {
	e := &Error{File: "out", Msg: "cannot write", Err: fs.ErrPermission}
	if !errors.Is(e, fs.ErrPermission) {
		t.Error("errors.Is does not reach the cause")
	}
	var l error = List{{File: "a"}, e}
	var got *Error
	if !errors.As(l, &got) || !errors.Is(l, fs.ErrPermission) {
		t.Error("errors.As/Is do not reach into a List")
	}
}

func TestListSortsAndDropsDuplicates(t *testing.T) {
	l := List{
		{File: "b.toml", Line: 1, Msg: "x"},
		{File: "a.toml", Line: 10, Msg: "y"},
		{File: "a.toml", Line: 2, Key: "k", Msg: "z"},
		{File: "a.toml", Line: 2, Key: "k", Msg: "z"},
		{File: "a.toml", Line: 2, Col: 1, Msg: "w", Err: List{}}, // an uncomparable cause must not panic
		{File: "a.toml", Line: 2, Col: 1, Msg: "w", Err: List{}},
	}
	got := l.Sort().Error()
	want := "a.toml:2: k: z\na.toml:2:1: w\na.toml:10: y\nb.toml:1: x"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if (List{}).Err() != nil {
		t.Error("an empty list is not an error")
	}
}

func TestTOML(t *testing.T) {
	var v struct {
		Source struct {
			InForce any `toml:"in_force"`
		} `toml:"source"`
	}
	_, err := toml.Decode("[source]\nin_force = 2024-13-01\n", &v)
	e := TOML("a.toml", err)
	if got := e.Error(); !strings.HasPrefix(got, "a.toml:2: source.in_force: invalid TOML: ") || !strings.Contains(got, "\n\thint: dates are written YYYY-MM-DD") {
		t.Errorf("bad date: got %q", got)
	}
	var pe toml.ParseError
	if !errors.As(e, &pe) {
		t.Error("the ParseError is not reachable")
	}

	var typed struct {
		S struct {
			D time.Time `toml:"d"`
		} `toml:"s"`
	}
	_, err = toml.Decode("[s]\n\nd = \"2026-09-01\"\n", &typed)
	if got := TOML("b.toml", err).Error(); !strings.HasPrefix(got, "b.toml:3: s.d: not a date\n\thint: ") {
		t.Errorf("quoted date: got %q", got)
	}

	if got := TOML("c.toml", errors.New("boom")).Error(); got != "c.toml: boom" {
		t.Errorf("other error: got %q", got)
	}
}

func TestTemplate(t *testing.T) {
	parse := func(src string) error {
		_, err := template.New("sections/aims.md.tmpl").Parse(src)
		return err
	}
	e, ok := Template(parse("a\n{{ if }}"))
	if !ok || e.File != "sections/aims.md.tmpl" || e.Line != 2 || e.Col != 0 || e.Msg != "missing value for if" {
		t.Errorf("parse error: %+v, %v", e, ok)
	}

	tm := template.Must(template.New("forms/f.md.tmpl").Option("missingkey=error").Parse("x\n\n{{ .Nmae }}"))
	err := tm.Execute(io.Discard, map[string]string{})
	e, ok = Template(err)
	if !ok || e.Line != 3 || e.Col != 3 || !strings.HasPrefix(e.Msg, `executing "forms/f.md.tmpl" at <.Nmae>`) {
		t.Errorf("execution error: %+v, %v", e, ok)
	}
	var ee template.ExecError
	if !errors.As(e, &ee) {
		t.Error("the template's error is not reachable")
	}
	e.File = "templates/online-safety/forms/f.md.tmpl (built-in)"
	if got := e.Error(); !strings.HasPrefix(got, "templates/online-safety/forms/f.md.tmpl (built-in):3:3: executing") {
		t.Errorf("printed: %q", got)
	}

	if _, ok := Template(errors.New("boom")); ok {
		t.Error("an error without a position was adapted")
	}
}

func TestUnknownKeys(t *testing.T) {
	type item struct {
		ID    string `toml:"id"`
		Title string `toml:"title"`
		Skip  string `toml:"-"`
	}
	var v struct {
		Name  string `toml:"name"`
		Items []item `toml:"items"`
	}
	text := "name = \"x\"\nnmae = \"y\"\n\n[extra]\na = 1\nb = 2\n\n[[items]]\nid = \"a\"\ntitel = \"A\"\n\n[[items]]\nid = \"b\"\ntitel = \"B\"\n"
	md, err := toml.Decode(text, &v)
	if err != nil {
		t.Fatal(err)
	}
	allowed := func(parent toml.Key) []string {
		switch parent.String() {
		case "":
			return []string{"name", "items"}
		case "items":
			return TOMLKeys[item]()
		}
		return nil
	}
	got := UnknownKeys("f.toml", md, ScanTOML([]byte(text)), allowed).Sort().Error()
	// The unknown table is reported once, not once per key in it; a key
	// misspelt in two elements is reported at both.
	want := "f.toml:2: nmae: unknown key\n\thint: did you mean \"name\"?\n" +
		"f.toml:4: extra: unknown key\n\thint: known keys: name, items\n" +
		"f.toml:10: items.titel: unknown key\n\thint: did you mean \"title\"?\n" +
		"f.toml:14: items.titel: unknown key\n\thint: did you mean \"title\"?"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TOMLDepth finds nesting past the bound however it is written, ignoring
// brackets and dots inside strings and comments, and passes real files.
func TestTOMLDepth(t *testing.T) {
	deep := strings.Repeat("{a=", 40) + "1" + strings.Repeat("}", 40)
	for _, tt := range []struct {
		src  string
		line int
	}{
		{"a = 1\nb = " + deep + "\n", 2},
		{"\n\n[" + strings.Repeat("a.", 40) + "a]\n", 3},
		{"x = [" + strings.Repeat("[", 40) + strings.Repeat("]", 41) + "\n", 1},
		{strings.Repeat("a.", 40) + "a = 1\n", 1},
		{`s = "` + strings.Repeat("[{.", 100) + `"` + "\n# " + strings.Repeat("[", 100) + "\nt = '''\n" + strings.Repeat("{", 100) + "\n'''\nf = [" + strings.Repeat("1.5, ", 100) + "]\n", 0},
		{"[a.b.c]\nd.e = { f = [1, 2, { g = 3 }] }\n", 0},
	} {
		e := TOMLDepth("f.toml", []byte(tt.src))
		got := 0
		if e != nil {
			got = e.Line
		}
		if got != tt.line {
			t.Errorf("%.40q: line %d, want %d (%v)", tt.src, got, tt.line, e)
		}
	}
}
