package pgstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// ErrUnavailable is wrapped by the errors of calls that could not get an
// answer from PostgreSQL: the server is down or restarting, the connection
// was killed, or a statement ran past statement_timeout or lock_timeout.
// Such a call wrote nothing (each store statement is its own transaction).
// It wraps session.ErrStoreUnavailable, so the Manager answers 503 with
// Retry-After.
var ErrUnavailable = fmt.Errorf("pgstore: PostgreSQL unavailable: %w", session.ErrStoreUnavailable)

// unavailableError is an outage error naming the operation and the cause.
type unavailableError struct {
	op  string
	err error
}

func (e *unavailableError) Error() string {
	return fmt.Sprintf("pgstore: %s: PostgreSQL did not answer (%v); %s", e.op, e.err, hint(e.err))
}

func (e *unavailableError) Unwrap() []error { return []error{ErrUnavailable, e.err} }

// hint says what to check for an outage error.
func hint(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "57014":
			return "a statement ran past statement_timeout: look for long transactions holding session rows, or raise the timeout"
		case "55P03":
			return "a row lock was not granted within lock_timeout: look for long transactions holding session rows"
		}
	}
	return "check that the server is up and the pool's connection string is right"
}

// pgErr names the operation and marks the errors of a server that did not
// answer with ErrUnavailable. A call given up because ctx ended returns
// ctx's error, as session.Store asks.
func pgErr(ctx context.Context, op string, err error) error {
	if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err)) {
		return fmt.Errorf("pgstore: %s: gave up: %w", op, ctx.Err())
	}
	if unavailable(err) {
		return &unavailableError{op: op, err: err}
	}
	return fmt.Errorf("pgstore: %s: %w", op, err)
}

// unavailable reports errors that mean "not now": the network, a closed
// or killed connection, a server shutting down or starting, a statement
// or lock timeout, too many connections.
func unavailable(err error) bool {
	var (
		netErr  net.Error
		connErr *pgconn.ConnectError
		pe      *pgconn.PgError
	)
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57") ||
			pe.Code == "53300" || pe.Code == "55P03" || pe.Code == "40001" || pe.Code == "40P01"
	}
	return errors.As(err, &netErr) || errors.As(err, &connErr) || pgconn.Timeout(err) || pgconn.SafeToRetry(err) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) ||
		strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "closed pool")
}
