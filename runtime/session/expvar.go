package session

import "expvar"

// Expvar returns the Manager's Stats as an expvar.Var, whose String is a
// JSON object with the Stats field names (durations in seconds) and, under
// "Routes", each route's lock wait and hold counts, mean, 99th percentile
// and maximum. Publish it to serve it at /debug/vars with the other
// variables:
//
//	expvar.Publish("sessions", m.Expvar())
//
// expvar.Publish panics when the name is taken, so publish each Manager
// once, under its own name.
func (m *Manager) Expvar() expvar.Var {
	return expvar.Func(func() any { return m.expvarValue() })
}

type expvarStats struct {
	Acquisitions uint64
	Waits        uint64
	WaitTime     float64
	Timeouts     uint64
	LongHolds    uint64
	LongestHold  float64
	Waiting      int64
	LockLost     uint64
	StoreErrors  uint64
	Created      uint64
	Regenerated  uint64
	Routes       map[string]expvarRoute
}

type expvarRoute struct {
	Wait, Hold expvarDist
}

type expvarDist struct {
	Count          uint64
	Mean, P99, Max float64
}

func dist(d Distribution) expvarDist {
	return expvarDist{Count: d.Count, Mean: d.Mean().Seconds(), P99: d.Quantile(0.99).Seconds(), Max: d.Max.Seconds()}
}

func (m *Manager) expvarValue() expvarStats {
	st := m.Stats()
	v := expvarStats{
		Acquisitions: st.Acquisitions, Waits: st.Waits, WaitTime: st.WaitTime.Seconds(),
		Timeouts: st.Timeouts, LongHolds: st.LongHolds, LongestHold: st.LongestHold.Seconds(),
		Waiting: st.Waiting, LockLost: st.LockLost, StoreErrors: st.StoreErrors,
		Created: st.Created, Regenerated: st.Regenerated,
		Routes: map[string]expvarRoute{},
	}
	for _, rs := range m.RouteStats() {
		v.Routes[routeName(rs.Route)] = expvarRoute{Wait: dist(rs.Wait), Hold: dist(rs.Hold)}
	}
	return v
}

// routeName shows the route "" (requests that matched no pattern).
func routeName(pattern string) string {
	if pattern == "" {
		return "(no pattern)"
	}
	return pattern
}
