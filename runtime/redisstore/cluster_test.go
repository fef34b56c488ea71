package redisstore_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessionlock/sessionlock/internal/apptest"
	"github.com/sessionlock/sessionlock/runtime/redisstore"
	"github.com/sessionlock/sessionlock/runtime/redisstore/redistest"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// One 3-master Redis Cluster for the cluster tests of the binary.
var (
	clusterOnce sync.Once
	clusterSrv  *redistest.Cluster
	clusterErr  error
)

func sharedCluster(t *testing.T) *redistest.Cluster {
	t.Helper()
	clusterOnce.Do(func() {
		dir, err := mkTemp()
		if err == nil {
			clusterSrv, err = redistest.NewCluster(dir, 3)
		}
		clusterErr = err
	})
	if clusterErr != nil {
		t.Fatal(clusterErr)
	}
	return clusterSrv
}

func newClusterClient(t *testing.T) *redis.ClusterClient {
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: sharedCluster(t).Addrs})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// Two app servers, each with its own ClusterClient of a 3-master cluster:
// concurrent increments of one session end exact, as on one node.
func TestClusterTwoServersConcurrentIncrements(t *testing.T) {
	prefix := freshPrefix()
	a := startApp(t, newClusterClient(t), prefix)
	b := startApp(t, newClusterClient(t), prefix)
	apptest.ConcurrentIncrements(t, a, b, 100)
}

// Every key a session uses (record, lock, waiters set, wake list, release
// marker) lives in one slot, so the scripts can touch them together, while
// different sessions spread over the masters.
func TestClusterSessionKeysShareOneSlot(t *testing.T) {
	c := newClusterClient(t)
	prefix := freshPrefix()
	s := redisstore.New(c, redisstore.Prefix(prefix), redisstore.LockTTL(time.Hour))
	ctx := ctxT(t)
	const sessions = 30
	for range sessions {
		id := session.NewID()
		// Waiters make the waiters set and the wake list exist too: a
		// waiter that takes the lock leaves the set, and a release
		// signals when the set still has a waiter of another process,
		// which the test parks there (it never pops its wake-up).
		l, _ := mustLock(t, s, id)
		if err := c.SAdd(ctx, prefix+"{"+id+"}:waiters", "parked-waiter").Err(); err != nil {
			t.Fatal(err)
		}
		other := redisstore.New(c, redisstore.Prefix(prefix))
		got := make(chan error, 1)
		go func() {
			l2, _, err := other.Lock(ctx, id)
			if err == nil {
				err = l2.Unlock(ctx, []byte("b"), future())
			}
			got <- err
		}()
		for c.SCard(ctx, prefix+"{"+id+"}:waiters").Val() < 2 {
			if ctx.Err() != nil {
				t.Fatal("waiter never registered")
			}
			time.Sleep(time.Millisecond)
		}
		if err := l.Unlock(ctx, []byte("a"), future()); err != nil {
			t.Fatal(err)
		}
		if err := <-got; err != nil {
			t.Fatal(err)
		}
	}

	// Which master holds each key, and in which slot.
	type place struct {
		node string
		slot int64
	}
	var mu sync.Mutex
	bySession := map[string][]place{}
	suffixes := map[string]bool{}
	err := c.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
		keys, err := node.Keys(ctx, prefix+"*").Result()
		if err != nil {
			return err
		}
		for _, k := range keys {
			slot, err := node.ClusterKeySlot(ctx, k).Result()
			if err != nil {
				return err
			}
			id, suffix, _ := strings.Cut(strings.TrimPrefix(k, prefix+"{"), "}")
			mu.Lock()
			bySession[id] = append(bySession[id], place{node.Options().Addr, slot})
			suffixes[suffix] = true
			mu.Unlock()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(bySession) != sessions {
		t.Fatalf("found keys of %d sessions, want %d", len(bySession), sessions)
	}
	for _, suf := range []string{"", ":waiters", ":wake", ":released"} {
		if !suffixes[suf] {
			t.Errorf("no key with suffix %q was seen; the test does not cover it", suf)
		}
	}
	nodes := map[string]bool{}
	for id, ps := range bySession {
		for _, p := range ps[1:] {
			if p != ps[0] {
				t.Fatalf("session %s has keys in different slots or nodes: %v", id, ps)
			}
		}
		nodes[ps[0].node] = true
	}
	if len(nodes) < 2 {
		t.Fatalf("%d sessions all landed on one master (%v): sessions do not spread over the cluster", sessions, nodes)
	}
}
