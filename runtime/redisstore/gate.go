package redisstore

import (
	"context"
	"hash/maphash"
	"sync"
)

// gates queue the goroutines of one process that want the same session, so
// that only the first of them contends in Redis and the rest wait on a
// channel. Without it, N concurrent requests of one session would be N
// clients polling or blocked in Redis, each holding a pooled connection;
// with it, a contended session costs one waiter per process.
//
// The table is sharded so that requests of different sessions rarely meet
// on a mutex, and entries live only while someone holds or waits for them.
type gates struct {
	seed   maphash.Seed
	shards [64]gateShard
}

type gateShard struct {
	mu sync.Mutex
	m  map[string]*gate
}

// A gate is a one-slot semaphore; refs counts holders and waiters, so the
// entry is dropped exactly when the last one leaves.
type gate struct {
	ch   chan struct{}
	refs int
}

var gatePool = sync.Pool{New: func() any { return &gate{ch: make(chan struct{}, 1)} }}

func newGates() *gates {
	g := &gates{seed: maphash.MakeSeed()}
	for i := range g.shards {
		g.shards[i].m = make(map[string]*gate)
	}
	return g
}

func (g *gates) shard(id string) *gateShard {
	return &g.shards[maphash.String(g.seed, id)&uint64(len(g.shards)-1)]
}

// enter waits until the caller is the process's only contender for id, or
// ctx is done. The returned gate must be passed to leave exactly once.
func (g *gates) enter(ctx context.Context, id string) (*gate, error) {
	sh := g.shard(id)
	sh.mu.Lock()
	e := sh.m[id]
	if e == nil {
		e = gatePool.Get().(*gate)
		sh.m[id] = e
	}
	e.refs++
	sh.mu.Unlock()

	select {
	case e.ch <- struct{}{}:
		return e, nil
	default:
	}
	select {
	case e.ch <- struct{}{}:
		return e, nil
	case <-ctx.Done():
		g.drop(sh, id, e)
		return nil, ctx.Err()
	}
}

// leave lets the next local contender of id go.
func (g *gates) leave(id string, e *gate) {
	<-e.ch
	g.drop(g.shard(id), id, e)
}

func (g *gates) drop(sh *gateShard, id string, e *gate) {
	sh.mu.Lock()
	e.refs--
	if e.refs == 0 {
		delete(sh.m, id)
		gatePool.Put(e)
	}
	sh.mu.Unlock()
}
