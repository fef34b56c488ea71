package redisstore

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/redis/go-redis/v9"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// ErrUnavailable is wrapped by the errors of calls that could not reach
// Redis (refused, reset, timed out, client closed). Nothing was written by
// such a call unless its whole script ran. An application can answer these
// with 503 and Retry-After rather than 500, as the outage is temporary and
// the request safe to retry; it wraps session.ErrStoreUnavailable, so the
// Manager's default error handling does exactly that.
var ErrUnavailable = fmt.Errorf("redisstore: Redis unreachable: %w", session.ErrStoreUnavailable)

// unavailableError is an outage error naming the operation and the cause.
type unavailableError struct {
	op  string
	err error
}

func (e *unavailableError) Error() string {
	return fmt.Sprintf("redisstore: %s: Redis unreachable (%v); check that the server is up and the client's address is right", e.op, e.err)
}

func (e *unavailableError) Unwrap() []error { return []error{ErrUnavailable, e.err} }

// redisErr names the operation and, for a server that cannot be reached,
// marks the error with ErrUnavailable.
func redisErr(op string, err error) error {
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, redis.ErrClosed) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		transient(err) {
		return &unavailableError{op: op, err: err}
	}
	return fmt.Errorf("redisstore: %s: %w", op, err)
}

// transient reports server replies that mean "not now": a restarting server
// still loading its data, a replica during failover, a cluster resharding.
func transient(err error) bool {
	for _, p := range []string{"LOADING", "READONLY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN"} {
		if redis.HasErrorPrefix(err, p) {
			return true
		}
	}
	return false
}
