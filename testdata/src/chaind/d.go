// Package chaind is deep enough for the fact to drop the middle of the
// trace: it keeps the first call and the blocking one.
package chaind

import (
	"net/http"

	"chainc"
	"sessionlib"
)

func D() { chainc.C() } // want D:`blocks\(chainc.C → … → time.Sleep\)`

func handler(w http.ResponseWriter, r *http.Request) {
	_ = sessionlib.FromContext(r.Context())
	D() // want `D blocks while the session lock is held \(D → chainc.C → … → time.Sleep\)`
}
