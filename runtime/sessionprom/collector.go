package sessionprom

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// DefaultBuckets are the upper bounds, in seconds, of the wait and hold
// histograms: the session package's own buckets, from 100µs to a minute.
var DefaultBuckets = func() []float64 {
	b := make([]float64, len(session.BucketBounds))
	for i, d := range session.BucketBounds {
		b[i] = d.Seconds()
	}
	return b
}()

// Unmatched is the route label of requests that matched no ServeMux
// pattern.
const Unmatched = "unmatched"

// OtherRoutes is the route label of the routes past MaxRoutes.
const OtherRoutes = "other"

// An Option configures a Collector.
type Option func(*config)

type config struct {
	namespace   string
	buckets     []float64
	constLabels prometheus.Labels
	maxRoutes   int
}

// Namespace sets the metric name prefix (default "sessionlock").
func Namespace(ns string) Option { return func(c *config) { c.namespace = ns } }

// Buckets sets the upper bounds, in seconds, of the wait and hold
// histograms (default DefaultBuckets).
func Buckets(b []float64) Option { return func(c *config) { c.buckets = b } }

// ConstLabels adds fixed labels to every metric, e.g. to tell apart two
// Managers registered with one registry.
func ConstLabels(l prometheus.Labels) Option { return func(c *config) { c.constLabels = l } }

// MaxRoutes bounds the route label values (default 256): routes past it
// are counted under OtherRoutes. Patterns are few, but a handler that sets
// r.Pattern itself could set anything.
func MaxRoutes(n int) Option { return func(c *config) { c.maxRoutes = n } }

// A Collector records a Manager's session locks as Prometheus metrics:
// pass it to session.WithObserver and register it with a registry. It is
// safe for concurrent use. One Collector may observe several Managers;
// their figures add up.
type Collector struct {
	wait, hold *prometheus.HistogramVec
	events     map[session.Event]*prometheus.CounterVec

	maxRoutes int
	mu        sync.Mutex // guards adding to routes
	routes    sync.Map   // route → *routeMetrics
	nroutes   int
}

// routeMetrics caches a route's children, so that observing is a map
// lookup and an atomic add rather than a label hash per call.
type routeMetrics struct {
	wait, hold prometheus.Observer
	events     map[session.Event]prometheus.Counter
}

var (
	_ session.Observer     = (*Collector)(nil)
	_ prometheus.Collector = (*Collector)(nil)
)

// New returns a Collector with the options applied.
func New(opts ...Option) *Collector {
	c := config{namespace: "sessionlock", buckets: DefaultBuckets, maxRoutes: 256}
	for _, o := range opts {
		o(&c)
	}
	labels := []string{"route"}
	hist := func(name, help string) *prometheus.HistogramVec {
		return prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: c.namespace, Name: name, Help: help,
			Buckets: c.buckets, ConstLabels: c.constLabels,
		}, labels)
	}
	col := &Collector{
		wait:      hist("lock_wait_seconds", "Time requests waited for their session's lock, 0 when it was free, timed-out waits included."),
		hold:      hist("lock_hold_seconds", "Time requests held their session's lock, from taking it to its release."),
		events:    make(map[session.Event]*prometheus.CounterVec),
		maxRoutes: c.maxRoutes,
	}
	for _, e := range session.Events {
		col.events[e] = prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: c.namespace, Name: eventNames[e].name, Help: eventNames[e].help, ConstLabels: c.constLabels,
		}, labels)
	}
	return col
}

var eventNames = map[session.Event]struct{ name, help string }{
	session.EventLockTimeout:        {"lock_timeouts_total", "Requests that gave up waiting for their session's lock (answered 503)."},
	session.EventLockLost:           {"lock_lost_total", "Releases that found the lock's lease lost, so the request's changes were not saved."},
	session.EventStoreError:         {"store_errors_total", "Session store calls that failed, lost locks excepted."},
	session.EventSessionCreated:     {"sessions_created_total", "New sessions saved."},
	session.EventSessionRegenerated: {"sessions_regenerated_total", "Sessions given a new ID by Regenerate."},
}

// route returns the metrics of route, creating them on first use.
func (c *Collector) route(route string) *routeMetrics {
	if route == "" {
		route = Unmatched
	}
	if v, ok := c.routes.Load(route); ok {
		return v.(*routeMetrics)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.routes.Load(route); ok {
		return v.(*routeMetrics)
	}
	if c.nroutes >= c.maxRoutes {
		route = OtherRoutes
		if v, ok := c.routes.Load(route); ok {
			return v.(*routeMetrics)
		}
	}
	rm := &routeMetrics{
		wait:   c.wait.WithLabelValues(route),
		hold:   c.hold.WithLabelValues(route),
		events: make(map[session.Event]prometheus.Counter, len(c.events)),
	}
	for e, v := range c.events {
		rm.events[e] = v.WithLabelValues(route)
	}
	c.routes.Store(route, rm)
	c.nroutes++
	return rm
}

// LockWait implements session.Observer.
func (c *Collector) LockWait(route string, waited time.Duration, _ bool) {
	c.route(route).wait.Observe(waited.Seconds())
}

// LockHold implements session.Observer.
func (c *Collector) LockHold(route string, held time.Duration) {
	c.route(route).hold.Observe(held.Seconds())
}

// Event implements session.Observer.
func (c *Collector) Event(route string, e session.Event) {
	if ctr := c.route(route).events[e]; ctr != nil {
		ctr.Inc()
	}
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	c.wait.Describe(ch)
	c.hold.Describe(ch)
	for _, e := range session.Events {
		c.events[e].Describe(ch)
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	c.wait.Collect(ch)
	c.hold.Collect(ch)
	for _, e := range session.Events {
		c.events[e].Collect(ch)
	}
}
