package session

import (
	"context"
	"errors"
	"time"
)

// A Store keeps session records and owns their locks. The Manager drives it:
// it never locks a session itself, so a store whose lock spans processes (the
// file store) or machines (a Redis store) makes the whole middleware do so.
//
// Records are opaque bytes; the Manager encodes and decodes them. A store
// must copy what it keeps: the caller may reuse a slice after a call returns.
//
// IDs reach a store only after the Manager has checked their form, but a store
// that maps IDs to names (files, keys) must still refuse one that could escape
// its namespace.
type Store interface {
	// Load returns the record of id without locking it. It returns nil data
	// and a nil error when there is no record or it has expired.
	Load(ctx context.Context, id string) ([]byte, error)

	// Lock waits until it holds the exclusive lock of id and returns the lock
	// with the record as it is at that moment (nil when absent or expired).
	// It gives up with ctx's error when ctx is done, leaving nothing behind.
	Lock(ctx context.Context, id string) (Lock, []byte, error)
}

// A Lock is one held session lock, returned by Store.Lock. Exactly one of
// Unlock and Delete ends it; calls after that return ErrLockReleased.
type Lock interface {
	// Unlock releases the lock. When data is non-nil it is saved first, to
	// expire at expiry, atomically with the release: no other holder can see
	// the lock free and the old record. If the store finds the lock was lost
	// meanwhile (a lease that expired and was taken by another holder), it
	// writes nothing and returns an error that wraps ErrLockLost.
	Unlock(ctx context.Context, data []byte, expiry time.Time) error

	// Delete removes the record and releases the lock, with the same
	// lock-lost check as Unlock.
	Delete(ctx context.Context) error
}

var (
	// ErrLockLost reports that a store lock expired or was taken by another
	// holder before it was released; the holder's changes were not saved so
	// that nothing newer is overwritten.
	ErrLockLost = errors.New("session: store lock lost before release; changes not saved")

	// ErrLockReleased reports a call on a Lock that was already released.
	ErrLockReleased = errors.New("session: store lock already released")

	// ErrStoreUnavailable is wrapped by a store's errors when it cannot be
	// reached right now (a Redis server down or failing over). The outage is
	// temporary and the request safe to retry, so the Manager answers it with
	// 503 and Retry-After rather than 500.
	ErrStoreUnavailable = errors.New("session: store unavailable")
)
