package redisstore

import (
	"context"
	"sync"
	"testing"
)

func (g *gates) size() int {
	n := 0
	for i := range g.shards {
		g.shards[i].mu.Lock()
		n += len(g.shards[i].m)
		g.shards[i].mu.Unlock()
	}
	return n
}

// The gate admits one contender per ID at a time, and its entries vanish
// once nobody holds or waits, cancelled waiters included.
func TestGatesExcludeAndLeaveNothing(t *testing.T) {
	g := newGates()
	const n = 50
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		inside  int
		counter int
	)
	for range n {
		wg.Go(func() {
			e, err := g.enter(context.Background(), "id")
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			inside++
			if inside != 1 {
				t.Errorf("%d contenders inside the gate at once", inside)
			}
			mu.Unlock()
			counter++ // unsynchronised on purpose: the race detector checks the gate
			mu.Lock()
			inside--
			mu.Unlock()
			g.leave("id", e)
		})
	}
	wg.Wait()
	if counter != n {
		t.Fatalf("counter = %d, want %d", counter, n)
	}

	held, err := g.enter(context.Background(), "id")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := g.enter(ctx, "id")
		done <- err
	}()
	cancel()
	if err := <-done; err != context.Canceled {
		t.Fatalf("cancelled enter = %v, want context.Canceled", err)
	}
	g.leave("id", held)
	if s := g.size(); s != 0 {
		t.Fatalf("%d gate entries left after everyone left", s)
	}
}
