package compose

import (
	"fmt"
	"reflect"
	"text/template"
	"text/template/parse"

	"github.com/policypack/policypack/internal/markdown"
)

// Markdown is text that is already Markdown and must not be escaped again:
// the result of link, field, xref and the other markup-building functions.
type Markdown string

// escapeFunc is the name of the function every {{ pipeline }} is routed
// through, as html/template routes pipelines through its escapers.
const escapeFunc = "_md"

// EscapeMarkdown makes s render as exactly its own text (markdown.Escape:
// the markdown package owns the dialect and writes the contents list).
func EscapeMarkdown(s string) string { return markdown.Escape(s) }

// escapeValue is the function behind escapeFunc.
func escapeValue(v any) (Markdown, error) {
	switch t := v.(type) {
	case Markdown:
		return t, nil
	case nil:
		return "", fmt.Errorf("a value is missing (nil)")
	case string:
		return Markdown(EscapeMarkdown(t)), nil
	case fmt.Stringer:
		return Markdown(EscapeMarkdown(t.String())), nil
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.Struct, reflect.Pointer:
		return "", fmt.Errorf("cannot print a %T directly: use andList for a list, or name the field to print", v)
	}
	return Markdown(EscapeMarkdown(fmt.Sprint(v))), nil
}

// addEscapers rewrites every action that prints ({{ x }}, not {{ $v := x }})
// to end in the escape function, in every template of the set.
func addEscapers(set *template.Template) {
	for _, t := range set.Templates() {
		if t.Tree != nil {
			escapeList(t.Tree, t.Tree.Root)
		}
	}
}

func escapeList(tree *parse.Tree, l *parse.ListNode) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			if len(n.Pipe.Decl) == 0 {
				id := parse.NewIdentifier(escapeFunc).SetTree(tree).SetPos(n.Pos)
				n.Pipe.Cmds = append(n.Pipe.Cmds, &parse.CommandNode{NodeType: parse.NodeCommand, Pos: n.Pos, Args: []parse.Node{id}})
			}
		case *parse.IfNode:
			escapeList(tree, n.List)
			escapeList(tree, n.ElseList)
		case *parse.RangeNode:
			escapeList(tree, n.List)
			escapeList(tree, n.ElseList)
		case *parse.WithNode:
			escapeList(tree, n.List)
			escapeList(tree, n.ElseList)
		case *parse.ListNode:
			escapeList(tree, n)
		}
	}
}
