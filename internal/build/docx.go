package build

import (
	"errors"
	"io/fs"

	"github.com/policypack/policypack/internal/docx"
	"github.com/policypack/policypack/internal/policies"
)

// ReferenceDOCX is the file in the templates folder whose styles every
// Word document takes: a trust restyles its Word output (fonts, sizes,
// colours, spacing) by saving one document, as pandoc's --reference-doc
// does. There is no built-in one; without it the built-in styles apply.
const ReferenceDOCX = "reference.docx"

// DOCXOptions reads the trust's reference document from the policy set, if
// it has one, and checks it defines every style the Word output uses.
func DOCXOptions(cat *policies.Set) (docx.Options, error) {
	data, err := cat.FS.ReadFile(ReferenceDOCX)
	if errors.Is(err, fs.ErrNotExist) {
		return docx.Options{}, nil
	}
	if err != nil {
		return docx.Options{}, err
	}
	styles, err := docx.StylesFromReference(cat.Name(ReferenceDOCX), data)
	if err != nil {
		return docx.Options{}, err
	}
	return docx.Options{Styles: styles}, nil
}

// DOCX returns the options Word documents are rendered with: the trust's
// reference styles, if any.
func (sess *Session) DOCX() docx.Options { return sess.docx }
