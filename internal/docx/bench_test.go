package docx

import "testing"

// BenchmarkRenderDOCX renders Robert Miles Infant School's Online Safety
// Procedure as `policypack build` composed it, as internal/pdf's
// BenchmarkRenderPolicy does for the PDF.
func BenchmarkRenderDOCX(b *testing.B) {
	doc := loadBuilt(b, 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderDOCXForm renders the one-page parent/carer agreement.
func BenchmarkRenderDOCXForm(b *testing.B) {
	doc := loadBuilt(b, 2)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(doc); err != nil {
			b.Fatal(err)
		}
	}
}
