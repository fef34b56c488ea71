// Package storetest is a conformance suite for session.Store
// implementations. A store passes when Run succeeds against it:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) session.Store { return mystore.New(t) })
//	}
//
// The suite checks what the Manager relies on: records round-trip through
// Lock/Unlock and Load, Unlock(nil) keeps the record, Delete removes it,
// expiry hides a record, a lock excludes other holders, a waiting Lock gives
// up when its context ends and leaves nothing behind, and a released Lock
// reports ErrLockReleased. It also serves a Manager over the store on real
// HTTP/1.1 and HTTP/2 servers, checking end to end that a session's cookie
// reaches the browser only once its ID is locked.
package storetest
