package pdf

import "testing"

// BenchmarkRenderPolicy renders Robert Miles Infant School's Online Safety
// Procedure as `policypack build` composed it (18 pages).
func BenchmarkRenderPolicy(b *testing.B) {
	doc := loadBuilt(b, 0)
	if _, err := Render(doc); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Render(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderForm renders the one-page parent/carer agreement form.
func BenchmarkRenderForm(b *testing.B) {
	doc := loadBuilt(b, 2)
	if _, err := Render(doc); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Render(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderPolicyParallel renders the policy from every CPU at once,
// as the build does for many documents.
func BenchmarkRenderPolicyParallel(b *testing.B) {
	doc := loadBuilt(b, 0)
	if _, err := Render(doc); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := Render(doc); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
