package session

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// A Holder describes the request that holds a session's lock.
type Holder struct {
	Route string    // the holder's route (its ServeMux pattern, else method and path); "" when unknown
	Since time.Time // when it took the lock
}

// A HolderStore is a Store that keeps, next to each lock, which request
// holds it, so that a request waiting in one process can name a holder in
// another (the Manager knows the holders of its own process by itself).
// The Redis store of the runtime/redisstore module is one.
type HolderStore interface {
	Store

	// LockAs is Lock that records route, and the time the lock is taken,
	// with the lock for as long as it is held.
	LockAs(ctx context.Context, id, route string) (Lock, []byte, error)

	// Holder returns the holder of id's lock; held is false when the lock
	// is free. A lock taken with Lock rather than LockAs is held with a
	// zero Holder.
	Holder(ctx context.Context, id string) (h Holder, held bool, err error)
}

// holderLookupTimeout bounds asking a HolderStore for a holder, which only
// serves a log line.
const holderLookupTimeout = time.Second

// sessionHasher turns session IDs into short keyed hashes for logs and the
// debug page: the same ID gives the same hash for the Manager's life, so
// lines about one session can be correlated, but the hash reveals nothing
// of the ID to someone who reads it.
type sessionHasher struct{ key [32]byte }

func newSessionHasher() sessionHasher {
	var h sessionHasher
	_, _ = rand.Read(h.key[:]) // never fails (crypto/rand docs)
	return h
}

// hash returns 10 hex digits of HMAC-SHA256(key, id).
func (h *sessionHasher) hash(id string) string {
	mac := hmac.New(sha256.New, h.key[:])
	mac.Write([]byte(id))
	return hex.EncodeToString(mac.Sum(nil)[:5])
}
