package pdf

// Page geometry in millimetres (fpdf's unit here) and type sizes in points.
const (
	ptMM = 25.4 / 72 // millimetres per point

	pageW         = 210.0
	pageH         = 297.0
	marginL       = 20.0
	marginR       = 20.0
	contentW      = pageW - marginL - marginR
	contentTop    = 22.0
	contentBottom = pageH - 22.0
	headerBase    = 13.0 // baseline of the running header
	footerBase    = pageH - 12.0

	bodySize = 10.5
	leading  = 1.38 // line height as a multiple of the type size
)

type rgb struct{ r, g, b uint8 }

var (
	colText    = rgb{25, 25, 25}
	colHeading = rgb{23, 54, 93}
	colMuted   = rgb{105, 105, 105}
	colLink    = rgb{0, 84, 166}
	colRule    = rgb{165, 165, 165}
	colTHFill  = rgb{226, 233, 242}
	colBorder  = rgb{150, 150, 150}
	colAlert   = rgb{160, 20, 20}
	colCodeBg  = rgb{242, 242, 242}
)
