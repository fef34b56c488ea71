package sessionprom_test

import (
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/sessionlock/sessionlock/runtime/session"
	"github.com/sessionlock/sessionlock/runtime/sessionprom"
)

// serve listens on loopback and returns the base URL.
func serve(t *testing.T, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func get(t *testing.T, c *http.Client, url string) int {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// scrape fetches /metrics and parses it with Prometheus's text parser.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("/metrics Content-Type %q, want the text format", ct)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	return fams
}

// byRoute indexes a family's metrics by their route label.
func byRoute(t *testing.T, fams map[string]*dto.MetricFamily, name string) map[string]*dto.Metric {
	t.Helper()
	f := fams[name]
	if f == nil {
		t.Fatalf("/metrics has no %s", name)
	}
	out := map[string]*dto.Metric{}
	for _, m := range f.Metric {
		for _, l := range m.Label {
			if l.GetName() == "route" {
				out[l.GetValue()] = m
			}
		}
	}
	return out
}

func routes(m map[string]*dto.Metric) string {
	return strings.Join(slices.Sorted(maps.Keys(m)), ",")
}

func TestScrapedMetrics(t *testing.T) {
	col := sessionprom.New()
	reg := prometheus.NewRegistry()
	reg.MustRegister(col)
	metricsURL := serve(t, promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))

	m := session.NewManager(nil, session.WithObserver(col), session.WithLockWait(20*time.Millisecond),
		session.WithLogger(slog.New(slog.DiscardHandler)))
	entered, unblock := make(chan struct{}), make(chan struct{})
	var once sync.Once
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		session.FromContext(r.Context()).Set("v", 1)
	})
	mux.HandleFunc("GET /page1", func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(entered) })
		<-unblock
	})
	mux.HandleFunc("GET /page2", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("GET /report/{id}", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		if err := session.FromContext(r.Context()).Regenerate(); err != nil {
			t.Error(err)
		}
	})
	app := serve(t, m.Middleware(mux))
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 20 * time.Second}

	get(t, c, app+"/")
	for i := range 3 {
		get(t, c, fmt.Sprintf("%s/report/%d", app, i))
	}
	get(t, c, app+"/no/such/page")
	resp, err := c.Post(app+"/login", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	done := make(chan int)
	go func() { done <- get(t, c, app+"/page1") }()
	<-entered
	// page1 holds the lock until page2 has timed out.
	if code := get(t, c, app+"/page2"); code != http.StatusServiceUnavailable {
		t.Fatalf("page2 = %d, want 503", code)
	}
	close(unblock)
	<-done

	fams := scrape(t, metricsURL)
	holds := byRoute(t, fams, "sessionlock_lock_hold_seconds")
	if got, want := routes(holds), "GET /page1,GET /page2,GET /report/{id},GET /{$},POST /login,unmatched"; got != want {
		t.Errorf("hold routes = %s, want %s (patterns, never raw paths)", got, want)
	}
	if n := holds["GET /page2"].GetHistogram().GetSampleCount(); n != 0 {
		t.Errorf("GET /page2, which timed out, has %d holds", n)
	}
	if h := holds["GET /report/{id}"].GetHistogram(); h.GetSampleCount() != 3 {
		t.Errorf("GET /report/{id} holds = %d, want 3", h.GetSampleCount())
	}
	waits := byRoute(t, fams, "sessionlock_lock_wait_seconds")
	p2 := waits["GET /page2"].GetHistogram()
	if p2.GetSampleCount() != 1 || p2.GetSampleSum() < 0.02 {
		t.Errorf("GET /page2 wait: %d samples, sum %vs; want one wait of at least the 20ms bound", p2.GetSampleCount(), p2.GetSampleSum())
	}
	if n := len(p2.GetBucket()); n != len(sessionprom.DefaultBuckets)+1 { // +Inf
		t.Errorf("%d buckets, want %d and +Inf", n, len(sessionprom.DefaultBuckets))
	}
	for name, want := range map[string]map[string]float64{
		"sessionlock_lock_timeouts_total":        {"GET /page2": 1},
		"sessionlock_sessions_created_total":     {"GET /{$}": 1},
		"sessionlock_sessions_regenerated_total": {"POST /login": 1},
		"sessionlock_store_errors_total":         {},
		"sessionlock_lock_lost_total":            {},
	} {
		got := map[string]float64{}
		for route, m := range byRoute(t, fams, name) {
			if v := m.GetCounter().GetValue(); v != 0 {
				got[route] = v
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
}

func TestRouteLabelsStayBounded(t *testing.T) {
	col := sessionprom.New(sessionprom.MaxRoutes(2))
	reg := prometheus.NewRegistry()
	reg.MustRegister(col)
	url := serve(t, promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	for i := range 10 {
		col.LockHold(fmt.Sprintf("GET /r%d", i), time.Millisecond)
	}
	holds := byRoute(t, scrape(t, url), "sessionlock_lock_hold_seconds")
	if got := routes(holds); got != "GET /r0,GET /r1,other" {
		t.Fatalf("routes = %s, want the first two and other", got)
	}
	if n := holds["other"].GetHistogram().GetSampleCount(); n != 8 {
		t.Fatalf("other has %d holds, want 8", n)
	}
}
