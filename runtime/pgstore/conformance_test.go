package pgstore_test

import (
	"testing"

	"github.com/sessionlock/sessionlock/runtime/pgstore"
	"github.com/sessionlock/sessionlock/runtime/session"
	"github.com/sessionlock/sessionlock/runtime/session/storetest"
)

// The storetest suite, HTTP/1.1 and HTTP/2 included, on one table: its
// session IDs are random, so subtests cannot collide.
func TestConformance(t *testing.T) {
	pool := newPool(t, sharedDSN(t), 10)
	table := freshTable(t, pool)
	storetest.Run(t, func(t *testing.T) session.Store { return newStore(t, pool, pgstore.Table(table)) })
}
