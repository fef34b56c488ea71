package session

import (
	"cmp"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// reqInfo names the request a Session serves, for logs, the debug page and
// the per-route figures. It is filled once per request and never changes.
type reqInfo struct {
	pattern string // ServeMux pattern; "" when unknown
	method  string
	path    string
	rs      *routeStats // looked up on first use
}

// newReqInfo names r. Middleware usually wraps a whole ServeMux, which sets
// r.Pattern only when it dispatches, after the lock is taken: the pattern
// is then asked of the mux, so that the holder of a lock can be named by
// its route while it holds it. The inner mux's pattern wins over one an
// outer mux set (such as "/" for everything under the middleware).
func newReqInfo(r *http.Request, next http.Handler) reqInfo {
	who := reqInfo{pattern: r.Pattern, method: r.Method}
	if r.URL != nil {
		who.path = r.URL.Path
	}
	if mux, ok := next.(*http.ServeMux); ok {
		if _, p := mux.Handler(r); p != "" {
			who.pattern = p
		}
	}
	return who
}

// label is the request's route for people: its pattern, or its method and
// path when it has none.
func (who *reqInfo) label() string {
	if who.pattern != "" {
		return who.pattern
	}
	return who.method + " " + who.path
}

func (who *reqInfo) stats(m *Manager) *routeStats {
	if who.rs == nil {
		who.rs = m.routes.get(who.pattern)
	}
	return who.rs
}

// maxRoutes bounds the per-route table. Patterns are few, but a handler
// that sets r.Pattern itself could set anything; routes past the bound are
// counted under otherRoutes.
const maxRoutes = 256

// otherRoutes is the table entry of the routes past maxRoutes.
const otherRoutes = "(other routes)"

// routeTable holds the lock figures of each route pattern.
type routeTable struct {
	m  sync.Map // pattern → *routeStats
	mu sync.Mutex
	n  int // entries, guarded by mu
}

// routeStats are the lock wait and hold distributions of one route.
type routeStats struct {
	route string
	wait  histogram
	hold  histogram
}

func (t *routeTable) get(pattern string) *routeStats {
	if v, ok := t.m.Load(pattern); ok {
		return v.(*routeStats)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if v, ok := t.m.Load(pattern); ok {
		return v.(*routeStats)
	}
	if t.n >= maxRoutes {
		pattern = otherRoutes
		if v, ok := t.m.Load(pattern); ok {
			return v.(*routeStats)
		}
	}
	rs := &routeStats{route: pattern}
	t.m.Store(pattern, rs)
	t.n++
	return rs
}

// all returns every route's figures, sorted by route.
func (t *routeTable) all() []*routeStats {
	var out []*routeStats
	t.m.Range(func(_, v any) bool {
		out = append(out, v.(*routeStats))
		return true
	})
	slices.SortFunc(out, func(a, b *routeStats) int { return cmp.Compare(a.route, b.route) })
	return out
}

// BucketBounds are the upper bounds of the buckets of the Manager's
// per-route wait and hold distributions (RouteStats), from 100µs to a
// minute; a last bucket takes everything longer.
var BucketBounds = []time.Duration{
	100 * time.Microsecond, 250 * time.Microsecond, 500 * time.Microsecond,
	time.Millisecond, 2500 * time.Microsecond, 5 * time.Millisecond,
	10 * time.Millisecond, 25 * time.Millisecond, 50 * time.Millisecond,
	100 * time.Millisecond, 250 * time.Millisecond, 500 * time.Millisecond,
	time.Second, 2500 * time.Millisecond, 5 * time.Second,
	10 * time.Second, 25 * time.Second, time.Minute,
}

const numBuckets = 19 // len(BucketBounds) + 1

// histogram counts durations in the BucketBounds buckets with atomics, so
// requests of one route never wait on each other to record.
type histogram struct {
	buckets [numBuckets]atomic.Uint64
	sum     atomic.Int64
	max     atomic.Int64
}

func (h *histogram) add(d time.Duration) {
	i, _ := slices.BinarySearch(BucketBounds, d)
	h.buckets[i].Add(1)
	h.sum.Add(int64(d))
	for {
		cur := h.max.Load()
		if int64(d) <= cur || h.max.CompareAndSwap(cur, int64(d)) {
			return
		}
	}
}

// A Distribution is a snapshot of durations counted in the BucketBounds
// buckets.
type Distribution struct {
	Buckets [numBuckets]uint64 // Buckets[i] counts durations ≤ BucketBounds[i] (and > the bound before); the last counts the rest
	Count   uint64
	Sum     time.Duration
	Max     time.Duration
}

func (h *histogram) snapshot() Distribution {
	var d Distribution
	for i := range h.buckets {
		d.Buckets[i] = h.buckets[i].Load()
		d.Count += d.Buckets[i]
	}
	d.Sum = time.Duration(h.sum.Load())
	d.Max = time.Duration(h.max.Load())
	return d
}

// Quantile returns the upper bound of the bucket holding the q-quantile
// (0 < q ≤ 1) of the durations, or Max when that is the last bucket or
// smaller; 0 when there are none.
func (d Distribution) Quantile(q float64) time.Duration {
	if d.Count == 0 {
		return 0
	}
	rank := uint64(q*float64(d.Count) + 0.5)
	rank = max(rank, 1)
	var seen uint64
	for i, n := range d.Buckets {
		seen += n
		if seen >= rank {
			if i < len(BucketBounds) && BucketBounds[i] < d.Max {
				return BucketBounds[i]
			}
			return d.Max
		}
	}
	return d.Max
}

// Mean returns the average duration, or 0 when there are none.
func (d Distribution) Mean() time.Duration {
	if d.Count == 0 {
		return 0
	}
	return d.Sum / time.Duration(d.Count)
}

// RouteStats are the lock figures of one route since the Manager was
// created.
type RouteStats struct {
	Route string       // ServeMux pattern; "" for requests that matched none
	Wait  Distribution // lock waits, 0 included (one per lock taken or timed out)
	Hold  Distribution // lock holds
}

// RouteStats returns the lock wait and hold distributions of every route
// that took a session lock, sorted by route.
func (m *Manager) RouteStats() []RouteStats {
	var out []RouteStats
	for _, rs := range m.routes.all() {
		out = append(out, RouteStats{Route: rs.route, Wait: rs.wait.snapshot(), Hold: rs.hold.snapshot()})
	}
	return out
}
