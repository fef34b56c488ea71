package session

import (
	"sync"
	"sync/atomic"
)

// sessionKeys interns the keys of decoded records: an application uses a
// handful of session keys, and decoding would otherwise allocate each of
// them anew on every request. Readers look up an immutable map without a
// lock; a key not seen before is added to a copy, so the table is bounded
// (keys past maxInternedKeys, or longer than maxInternedKey bytes, are
// allocated as before).
var sessionKeys keyTable

const (
	maxInternedKeys = 512
	maxInternedKey  = 64
)

type keyTable struct {
	keys atomic.Pointer[map[string]string]
	mu   sync.Mutex // serializes additions
}

// intern returns b as a string, shared with earlier calls for the same
// bytes when the table holds it.
func (t *keyTable) intern(b []byte) string {
	if p := t.keys.Load(); p != nil {
		if k, ok := (*p)[string(b)]; ok { // a lookup by string(b) does not allocate
			return k
		}
	}
	k := string(b)
	if len(k) <= maxInternedKey {
		t.add(k)
	}
	return k
}

func (t *keyTable) add(k string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	old := t.keys.Load()
	var n map[string]string
	if old != nil {
		if _, ok := (*old)[k]; ok || len(*old) >= maxInternedKeys {
			return
		}
		n = make(map[string]string, len(*old)+1)
		for x := range *old {
			n[x] = x
		}
	} else {
		n = make(map[string]string, 1)
	}
	n[k] = k
	t.keys.Store(&n)
}
