package forms

import (
	"context"
	"runtime"

	"github.com/policypack/policypack/internal/pdf"
	"github.com/policypack/policypack/internal/roster"
)

// eachPrepared runs prepare on the pupils on every core and hands the
// results to use one at a time, in roster order. At most a few documents per
// core are prepared ahead of use, so memory does not grow with the roster.
// The first error from use (or cancellation) stops the run.
func eachPrepared(ctx context.Context, pupils []roster.Pupil,
	prepare func(roster.Pupil) (*pdf.Prepared, error),
	use func(roster.Pupil, *pdf.Prepared, error) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		p   *pdf.Prepared
		err error
	}
	window := 2 * runtime.GOMAXPROCS(0)
	slots := make(chan struct{}, window)
	futures := make(chan chan result, window)
	go func() {
		defer close(futures)
		for _, pu := range pupils {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			ch := make(chan result, 1)
			go func() {
				p, err := prepare(pu)
				ch <- result{p, err}
			}()
			select {
			case futures <- ch:
			case <-ctx.Done():
				return
			}
		}
	}()
	i := 0
	for ch := range futures {
		if err := ctx.Err(); err != nil {
			return errInterrupted
		}
		r := <-ch
		<-slots
		if err := use(pupils[i], r.p, r.err); err != nil {
			return err
		}
		i++
	}
	if i < len(pupils) {
		return errInterrupted
	}
	return nil
}
