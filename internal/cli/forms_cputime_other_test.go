//go:build !unix

package cli

import "time"

// formsCPUTime is not measured here; the benchmark reports 0.
func formsCPUTime() time.Duration { return 0 }
