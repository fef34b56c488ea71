package lease

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// patience bounds waits that must end; not a speed requirement.
const patience = 10 * time.Second

func waitLost(t *testing.T, l *Lease) {
	t.Helper()
	lost := make(chan struct{})
	l.OnLost(func() { close(lost) })
	select {
	case <-lost:
	case <-time.After(patience):
		t.Fatal("OnLost was not called")
	}
}

// A renewal that finds another holder loses the lease at once: OnLost is
// called and Finish reports the lock taken.
func TestTakenByAnother(t *testing.T) {
	var l Lease
	l.Start(30*time.Millisecond, time.Now().Add(time.Hour), func(context.Context) (bool, error) { return false, nil })
	waitLost(t, &l)
	if ok, taken := l.Finish(); !ok || !taken {
		t.Fatalf("Finish = %v, %v; want true, true", ok, taken)
	}
}

// Renewals that fail keep the lease until it has run out, then lose it,
// without saying it was taken; OnLost registered after the loss runs too.
func TestUnreachableUntilExpiry(t *testing.T) {
	var l Lease
	var calls atomic.Int64
	start := time.Now()
	l.Start(30*time.Millisecond, start.Add(30*time.Millisecond), func(context.Context) (bool, error) {
		calls.Add(1)
		return false, errors.New("unreachable")
	})
	waitLost(t, &l)
	if time.Since(start) < 30*time.Millisecond {
		t.Fatal("lease lost before it ran out")
	}
	waitLost(t, &l) // registered after the loss: called at once
	if ok, taken := l.Finish(); !ok || taken {
		t.Fatalf("Finish = %v, %v; want true, false", ok, taken)
	}
}

// Successful renewals keep the lease; Finish stops them, and a second
// Finish reports the lease finished already.
func TestRenewedUntilFinish(t *testing.T) {
	var l Lease
	var calls atomic.Int64
	l.Start(30*time.Millisecond, time.Now().Add(30*time.Millisecond), func(context.Context) (bool, error) {
		calls.Add(1)
		return true, nil
	})
	l.OnLost(func() { t.Error("a renewed lease was lost") })
	for end := time.Now().Add(patience); calls.Load() < 5; time.Sleep(time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("the lease was not renewed")
		}
	}
	if ok, _ := l.Finish(); !ok {
		t.Fatal("Finish of a held lease = false")
	}
	if ok, _ := l.Finish(); ok {
		t.Fatal("second Finish = true")
	}
	n := calls.Load()
	l.RenewNow() // after Finish: does nothing
	if calls.Load() != n {
		t.Fatal("renewed after Finish")
	}
}
