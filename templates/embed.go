// Package templates embeds policypack's built-in policies: their metadata
// (policy.toml), section, form and partial templates, and the statutory
// requirements catalogue (standards/). A trust's --templates folder is laid
// over this file system, file by file.
package templates

import "embed"

// FS holds the built-in templates, rooted at this folder.
//
//go:embed *
var FS embed.FS
