package sessionprom_test

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/sessionlock/sessionlock/runtime/session"
	"github.com/sessionlock/sessionlock/runtime/sessionprom"
)

// A Manager whose session locks are exported at /metrics.
func Example() {
	col := sessionprom.New()
	reg := prometheus.NewRegistry()
	reg.MustRegister(col)

	m := session.NewManager(nil, session.WithObserver(col))
	app := http.NewServeMux()
	app.HandleFunc("GET /cart", func(w http.ResponseWriter, r *http.Request) {
		n, _ := session.FromContext(r.Context()).Get("items").(int)
		_ = n
	})

	root := http.NewServeMux()
	root.Handle("/", m.Middleware(app))
	root.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	root.Handle("GET /debug/sessions", m.DebugHandler())
	_ = http.ListenAndServe("127.0.0.1:8080", root)
}
