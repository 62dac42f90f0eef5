package pdf

import (
	"testing"
	"time"
)

// reportCPU adds the CPU time per render (all threads, GC included).
func reportCPU(b *testing.B, start time.Duration) {
	if used := cpuTime() - start; used > 0 && b.N > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkRenderPolicy renders Robert Miles Infant School's Online Safety
// Procedure as `policypack build` composed it (18 pages).
func BenchmarkRenderPolicy(b *testing.B) {
	doc := loadBuilt(b, 0)
	if _, err := Render(doc); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		if _, err := Render(doc); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

// BenchmarkRenderForm renders the one-page parent/carer agreement form.
func BenchmarkRenderForm(b *testing.B) {
	doc := loadBuilt(b, 2)
	if _, err := Render(doc); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		if _, err := Render(doc); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
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
