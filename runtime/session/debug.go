package session

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// DefaultDebugRefresh is how often the DebugHandler page reloads itself.
const DefaultDebugRefresh = 2 * time.Second

// DebugHandler returns a handler for a live page about the Manager's
// session locks; mount it where you would mount net/http/pprof, behind the
// same access control:
//
//	mux.Handle("GET /debug/sessions", m.DebugHandler())
//
// The page lists each session lock held by a request of this process now
// (a short keyed hash of the session, never its ID; the holder's route and
// for how long it has held the lock) with the requests waiting for it
// (route, waiting for how long), a waiter whose holder is in another
// process included. Per route it shows the lock hold and wait time
// distributions as small charts, and it shows the Stats counters. It is
// plain HTML with inline SVG: no script, nothing fetched from the network
// (its Content-Security-Policy forbids both). It reloads itself every
// DefaultDebugRefresh; ?refresh=5 sets another period in seconds, 0 stops
// it.
func (m *Manager) DebugHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		refresh := int(DefaultDebugRefresh / time.Second)
		if v := r.URL.Query().Get("refresh"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 3600 {
				http.Error(w, fmt.Sprintf("400 Bad Request: refresh=%q: want the reload period in whole seconds, 0 to 3600 (0: no reload)", v), http.StatusBadRequest)
				return
			}
			refresh = n
		}
		var buf bytes.Buffer
		if err := debugPage.Execute(&buf, m.debugView(refresh, time.Now())); err != nil {
			http.Error(w, "500 Internal Server Error: rendering the session debug page: "+err.Error(), http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		_, _ = w.Write(buf.Bytes())
	})
}

// debugView is what the page shows, computed under the lock table's
// mutexes, one shard at a time, and rendered after.
type debugView struct {
	Refresh int
	Now     string
	Stats   Stats
	Locks   []lockView
	Routes  []routeView
}

type lockView struct {
	Session string // keyed hash, never the ID
	Holder  string // route; "" when the holder is not in this process
	Held    time.Duration
	Waiters []waiterView
}

type waiterView struct {
	Route   string
	Waiting time.Duration
}

type routeView struct {
	Route      string
	Hold, Wait distView
}

type distView struct {
	Count         uint64
	P50, P99, Max time.Duration
	Chart         template.HTML // inline SVG
}

func (m *Manager) debugView(refresh int, now time.Time) debugView {
	v := debugView{Refresh: refresh, Now: now.UTC().Format(time.RFC3339), Stats: m.Stats()}
	for i := range m.locks.shards {
		sh := &m.locks.shards[i]
		sh.mu.Lock()
		byID := make(map[string]int)
		for id, l := range sh.held {
			byID[id] = len(v.Locks)
			v.Locks = append(v.Locks, lockView{Session: m.hasher.hash(id), Holder: l.who.label(), Held: now.Sub(l.since)})
		}
		for id, ws := range sh.waiting {
			j, ok := byID[id]
			if !ok {
				j = len(v.Locks)
				v.Locks = append(v.Locks, lockView{Session: m.hasher.hash(id)})
			}
			for _, w := range ws {
				v.Locks[j].Waiters = append(v.Locks[j].Waiters, waiterView{Route: w.who.label(), Waiting: now.Sub(w.since)})
			}
		}
		sh.mu.Unlock()
	}
	// Longest holds first: they are the ones making others wait.
	slices.SortFunc(v.Locks, func(a, b lockView) int {
		if c := cmp.Compare(b.Held, a.Held); c != 0 {
			return c
		}
		return cmp.Compare(a.Session, b.Session)
	})
	for i := range v.Locks {
		slices.SortFunc(v.Locks[i].Waiters, func(a, b waiterView) int { return cmp.Compare(b.Waiting, a.Waiting) })
	}
	for _, rs := range m.RouteStats() {
		v.Routes = append(v.Routes, routeView{Route: routeName(rs.Route), Hold: distOf(rs.Hold), Wait: distOf(rs.Wait)})
	}
	return v
}

func distOf(d Distribution) distView {
	return distView{
		Count: d.Count, P50: d.Quantile(0.5), P99: d.Quantile(0.99), Max: d.Max,
		Chart: chart(d),
	}
}

// Chart geometry: one bar per bucket.
const (
	barWidth    = 9
	barGap      = 1
	chartHeight = 36
	labelHeight = 11
)

// chart draws d's buckets as bars whose height grows with the logarithm of
// the count, so that a few slow requests stay visible next to thousands of
// fast ones. Each bar has a tooltip with its bucket and count.
func chart(d Distribution) template.HTML {
	var peak uint64
	for _, n := range d.Buckets {
		peak = max(peak, n)
	}
	width := numBuckets * (barWidth + barGap)
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img">`,
		width, chartHeight+labelHeight, width, chartHeight+labelHeight)
	fmt.Fprintf(&b, `<line x1="0" y1="%d" x2="%d" y2="%d" stroke="#999" stroke-width="1"/>`, chartHeight, width, chartHeight)
	for i, n := range d.Buckets {
		h := 0
		if n > 0 {
			h = max(1, int(math.Round(chartHeight*math.Log1p(float64(n))/math.Log1p(float64(peak)))))
		}
		x := i * (barWidth + barGap)
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s: %d</title></rect>`,
			x, chartHeight-h, barWidth, h, barColor(i), template.HTMLEscapeString(bucketName(i)), n)
	}
	fmt.Fprintf(&b, `<text x="0" y="%d" font-size="9" fill="#555">0.1ms</text>`, chartHeight+labelHeight-1)
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="9" fill="#555" text-anchor="middle">1s</text>`,
		12*(barWidth+barGap)+barWidth/2, chartHeight+labelHeight-1)
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="9" fill="#555" text-anchor="end">1m+</text>`, width, chartHeight+labelHeight-1)
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // built from numbers and escaped bucket names only
}

// barColor marks buckets past a second, where users notice.
func barColor(i int) string {
	if i >= 13 {
		return "#c0392b"
	}
	return "#2e86c1"
}

// bucketName describes bucket i, e.g. "≤ 250ms" or "> 1m0s".
func bucketName(i int) string {
	if i < len(BucketBounds) {
		return "≤ " + BucketBounds[i].String()
	}
	return "> " + BucketBounds[len(BucketBounds)-1].String()
}

var debugPage = template.Must(template.New("debug").Funcs(template.FuncMap{
	"dur": func(d time.Duration) string { return roundDuration(d).String() },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
{{if .Refresh}}<meta http-equiv="refresh" content="{{.Refresh}}">{{end}}
<title>sessionlock: session locks</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; margin-top: 1.5em; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 3px 10px; border-bottom: 1px solid #ddd; vertical-align: middle; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.waiter td { color: #8a4b08; }
tr.waiter td.route::before { content: "↳ "; }
code { font-size: 0.95em; }
.note { color: #666; }
</style>
</head>
<body>
<h1>Session locks</h1>
<p class="note">As of {{.Now}}.{{if .Refresh}} This page reloads every {{.Refresh}}s (<code>?refresh=0</code> stops it).{{end}}
Sessions are shown as a keyed hash, never by ID.</p>

<p id="stats">
locks taken <b>{{.Stats.Acquisitions}}</b> ·
waits <b>{{.Stats.Waits}}</b> ·
waiting now <b>{{.Stats.Waiting}}</b> ·
timeouts <b>{{.Stats.Timeouts}}</b> ·
long holds <b>{{.Stats.LongHolds}}</b> ·
longest hold <b>{{dur .Stats.LongestHold}}</b> ·
leases lost <b>{{.Stats.LockLost}}</b> ·
store errors <b>{{.Stats.StoreErrors}}</b> ·
sessions created <b>{{.Stats.Created}}</b> ·
regenerated <b>{{.Stats.Regenerated}}</b>
</p>

<h2>Held now</h2>
{{if .Locks}}
<table id="locks">
<thead><tr><th>session</th><th>request</th><th>route</th><th class="num">for</th></tr></thead>
<tbody>
{{range .Locks}}
{{if .Holder}}<tr class="holder" data-session="{{.Session}}"><td><code>{{.Session}}</code></td><td>holds</td><td class="route">{{.Holder}}</td><td class="num">{{dur .Held}}</td></tr>
{{else}}<tr class="holder elsewhere" data-session="{{.Session}}"><td><code>{{.Session}}</code></td><td>held</td><td class="route">not by a request of this process</td><td class="num"></td></tr>
{{end}}
{{range .Waiters}}<tr class="waiter"><td></td><td>waits</td><td class="route">{{.Route}}</td><td class="num">{{dur .Waiting}}</td></tr>
{{end}}
{{end}}
</tbody>
</table>
{{else}}
<p id="locks" class="note">No session lock is held by a request of this process right now.</p>
{{end}}

<h2>Per route</h2>
{{if .Routes}}
<table id="routes">
<thead><tr><th>route</th><th class="num">holds</th><th class="num">p50</th><th class="num">p99</th><th class="num">max</th><th>hold time</th><th class="num">p50</th><th class="num">p99</th><th class="num">max</th><th>wait time</th></tr></thead>
<tbody>
{{range .Routes}}
<tr class="route-stats"><td class="route">{{.Route}}</td>
<td class="num">{{.Hold.Count}}</td><td class="num">{{dur .Hold.P50}}</td><td class="num">{{dur .Hold.P99}}</td><td class="num">{{dur .Hold.Max}}</td><td>{{.Hold.Chart}}</td>
<td class="num">{{dur .Wait.P50}}</td><td class="num">{{dur .Wait.P99}}</td><td class="num">{{dur .Wait.Max}}</td><td>{{.Wait.Chart}}</td></tr>
{{end}}
</tbody>
</table>
<p class="note">Bars: requests per time bucket, 0.1ms to over a minute, on a log scale of the count; red is over a second. Hover a bar for its count.</p>
{{else}}
<p id="routes" class="note">No request has taken a session lock yet.</p>
{{end}}
</body>
</html>
`))
