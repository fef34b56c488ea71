// Package longflag checks the -long flag (set to longdep.Charge and
// (*longdep.Pool).Exec by the test).
package longflag

import (
	"net/http"

	"longdep"
	"sessionlib"
)

func pay(w http.ResponseWriter, r *http.Request, p *longdep.Pool) {
	s := sessionlib.FromContext(r.Context())
	_ = s.Get("user")
	longdep.Charge(10) // want `longdep.Charge blocks while the session lock is held: other requests of this session wait \(release it with s.ReleaseLock\(\) first\)`
	p.Exec("update")   // want `\(\*longdep.Pool\).Exec blocks while the session lock is held`
	longdep.Fast()
	charge() // want `charge blocks while the session lock is held \(charge → longdep.Charge\)`
}

func charge() { longdep.Charge(1) }
