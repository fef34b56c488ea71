// Command gin is the seed app (see examples/seed) on gin, through the
// runtime/ginsession adapter: page1 simulates a long operation while its
// session is locked, so page2 of the same user waits for it; page1-fixed
// releases the lock first, so page2 answers at once.
//
//	go run . [-addr 127.0.0.1:8080] [-sleep 20s] [-lock-wait 10s]   (in examples/gin)
//
// Open / once (it stores a visit count, which gives you a session), then
// /page1 in one tab and /page2 in another: page2 loads only when page1 is
// done. Repeat with /page1-fixed: page2 loads immediately. /debug/sessions
// shows page1 holding the session's lock and page2 waiting for it.
package main
