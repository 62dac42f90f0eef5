// Package layers has no code: its test keeps policypack's import graph
// one-directional (config -> compose -> Markdown AST -> renderers -> build
// -> commands) and the package table in docs/design.md true to it.
package layers
