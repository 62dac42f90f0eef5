package forms

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/policypack/policypack/internal/config"
	"github.com/policypack/policypack/internal/pdf"
	"github.com/policypack/policypack/internal/roster"
)

func pupils(n int) []roster.Pupil {
	ps := make([]roster.Pupil, n)
	for i := range ps {
		ps[i] = roster.Pupil{Line: i + 2}
	}
	return ps
}

// TestEachPreparedOrder: pupils are prepared in parallel, finishing in any
// order, but used one at a time in roster order.
func TestEachPreparedOrder(t *testing.T) {
	ps := pupils(40)
	var got []int
	err := eachPrepared(t.Context(), ps, func(pu roster.Pupil) (*pdf.Prepared, error) {
		time.Sleep(time.Duration((pu.Line*7)%5) * time.Millisecond)
		return nil, nil
	}, func(pu roster.Pupil, _ *pdf.Prepared, err error) error {
		got = append(got, pu.Line)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := make([]int, len(ps))
	for i := range want {
		want[i] = i + 2
	}
	if !slices.Equal(got, want) {
		t.Errorf("used in order %v", got)
	}
}

// TestEachPreparedStops: the first error from use, or cancellation, ends
// the run.
func TestEachPreparedStops(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := eachPrepared(t.Context(), pupils(100), func(roster.Pupil) (*pdf.Prepared, error) { return nil, nil },
		func(pu roster.Pupil, _ *pdf.Prepared, _ error) error {
			if n++; n == 3 {
				return stop
			}
			return nil
		})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("err %v after %d uses, want stop after 3", err, n)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err = eachPrepared(ctx, pupils(100), func(roster.Pupil) (*pdf.Prepared, error) { return nil, nil },
		func(roster.Pupil, *pdf.Prepared, error) error { return nil })
	if !errors.Is(err, errInterrupted) {
		t.Errorf("cancelled: err %v", err)
	}
}

// TestPrintOptionErrors: asking for a form that does not exist, or one with
// nothing to fill in from a roster, is an OptionError (a usage error to the
// command line) and writes nothing.
func TestPrintOptionErrors(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "pupils.csv")
	if err := os.WriteFile(csv, []byte("Forename,Surname,Year,Class\nAda,Lovelace,3,Oak\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	asOf, _ := config.ParseDate("2026-11-26")
	for form, want := range map[string]string{
		"no-such-form":          `no form "no-such-form"`,
		"staff-code-of-conduct": "has no pupil fields",
	} {
		_, err := Print(t.Context(), Options{SchoolsDir: "../../schools", School: "hevingham-marsham", Form: form,
			Roster: csv, Out: filepath.Join(dir, "out.pdf"), AsOf: asOf})
		var oe *OptionError
		if !errors.As(err, &oe) || !strings.Contains(err.Error(), want) {
			t.Errorf("--form %s: err %v, want an OptionError saying %q", form, err, want)
		}
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("folder holds %d entries, want only the roster", len(es))
	}
}

// A roster that is a FIFO is refused at once rather than read for ever.
func TestRosterMustBeRegular(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pupils.csv")
	if err := mkfifo(p); err != nil {
		if errors.Is(err, errors.ErrUnsupported) {
			t.Skip("no named pipes here")
		}
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := readRoster(p, false, roster.Options{}); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "pupils.csv: --roster: is not a regular file") {
			t.Errorf("err = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("reading a FIFO roster hung")
	}
}
