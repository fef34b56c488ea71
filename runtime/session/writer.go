package session

import (
	"bufio"
	"io"
	"net"
	"net/http"
)

// responseWriter adds the session cookie just before the response header is
// sent: only then is it known whether the session stored anything (no
// cookie otherwise). It also encodes a changed session at that point, so a
// value gob cannot encode still turns the response into a 500 instead of a
// 200 that silently lost the change.
//
// It has only the methods every ResponseWriter has; the handler gets it
// wrapped in one of the types below, which add exactly the optional
// interfaces (http.Flusher, http.Hijacker, io.ReaderFrom, http.Pusher) that
// the underlying writer has, so that libraries asserting them (websocket
// upgraders, sendfile) work, and code testing for one it lacks does not
// take a path that fails.
type responseWriter struct {
	http.ResponseWriter
	s           *Session
	wroteHeader bool // written under s.mu, since ReleaseLock may read it from another goroutine
	failed      bool // the response was replaced by the Manager's error answer
}

func (w *responseWriter) WriteHeader(code int) {
	if w.wroteHeader || (code >= 100 && code < 200 && code != http.StatusSwitchingProtocols) {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	if err := w.s.beforeHeader(w.ResponseWriter.Header()); err != nil {
		w.failed = true
		w.s.m.fail(w.ResponseWriter, w.s.req, err)
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *responseWriter) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.failed {
		return 0, w.s.err
	}
	return w.ResponseWriter.Write(p)
}

// FlushError lets http.ResponseController flush through the middleware
// (sending the header, with the cookie, first) whatever the underlying
// writer offers; it returns http.ErrNotSupported when that cannot flush.
func (w *responseWriter) FlushError() error {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.failed {
		return w.s.err
	}
	return http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap gives http.ResponseController access to the underlying writer's
// other features (deadlines, full-duplex).
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *responseWriter) flush() { _ = w.FlushError() }

// hijack hands the connection over, then saves and releases the session as
// ReleaseLock does: the connection (a websocket) may live for hours, and
// must not keep the user's other requests waiting that long. No header
// can carry a cookie any more, so a new session is not saved.
func (w *responseWriter) hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := w.ResponseWriter.(http.Hijacker).Hijack()
	if err != nil {
		return nil, nil, err
	}
	w.s.hijack()
	return conn, rw, nil
}

func (w *responseWriter) readFrom(src io.Reader) (int64, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.failed {
		return 0, w.s.err
	}
	return w.ResponseWriter.(io.ReaderFrom).ReadFrom(src)
}

func (w *responseWriter) push(target string, opts *http.PushOptions) error {
	return w.ResponseWriter.(http.Pusher).Push(target, opts)
}

// The writer types for each set of optional interfaces: F(lusher),
// H(ijacker), R(eaderFrom), P(usher). Each embeds the type for its set
// minus its last interface and adds that one, and all are one pointer
// wide, so wrapping the writer allocates nothing.
type (
	rwF    struct{ *responseWriter }
	rwH    struct{ *responseWriter }
	rwFH   struct{ rwF }
	rwR    struct{ *responseWriter }
	rwFR   struct{ rwF }
	rwHR   struct{ rwH }
	rwFHR  struct{ rwFH }
	rwP    struct{ *responseWriter }
	rwFP   struct{ rwF }
	rwHP   struct{ rwH }
	rwFHP  struct{ rwFH }
	rwRP   struct{ rwR }
	rwFRP  struct{ rwFR }
	rwHRP  struct{ rwHR }
	rwFHRP struct{ rwFHR }
)

func (w rwF) Flush() { w.flush() }

func (w rwH) Hijack() (net.Conn, *bufio.ReadWriter, error)  { return w.hijack() }
func (w rwFH) Hijack() (net.Conn, *bufio.ReadWriter, error) { return w.hijack() }

func (w rwR) ReadFrom(src io.Reader) (int64, error)   { return w.readFrom(src) }
func (w rwFR) ReadFrom(src io.Reader) (int64, error)  { return w.readFrom(src) }
func (w rwHR) ReadFrom(src io.Reader) (int64, error)  { return w.readFrom(src) }
func (w rwFHR) ReadFrom(src io.Reader) (int64, error) { return w.readFrom(src) }

func (w rwP) Push(target string, opts *http.PushOptions) error    { return w.push(target, opts) }
func (w rwFP) Push(target string, opts *http.PushOptions) error   { return w.push(target, opts) }
func (w rwHP) Push(target string, opts *http.PushOptions) error   { return w.push(target, opts) }
func (w rwFHP) Push(target string, opts *http.PushOptions) error  { return w.push(target, opts) }
func (w rwRP) Push(target string, opts *http.PushOptions) error   { return w.push(target, opts) }
func (w rwFRP) Push(target string, opts *http.PushOptions) error  { return w.push(target, opts) }
func (w rwHRP) Push(target string, opts *http.PushOptions) error  { return w.push(target, opts) }
func (w rwFHRP) Push(target string, opts *http.PushOptions) error { return w.push(target, opts) }

// wrap returns w as the handler sees it: with exactly the optional
// interfaces of the underlying writer.
func (w *responseWriter) wrap() http.ResponseWriter {
	var set uint8
	if _, ok := w.ResponseWriter.(http.Flusher); ok {
		set |= 1
	}
	if _, ok := w.ResponseWriter.(http.Hijacker); ok {
		set |= 2
	}
	if _, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		set |= 4
	}
	if _, ok := w.ResponseWriter.(http.Pusher); ok {
		set |= 8
	}
	f, h, r, p := rwF{w}, rwH{w}, rwR{w}, rwP{w}
	switch set {
	case 1:
		return f
	case 2:
		return h
	case 3:
		return rwFH{f}
	case 4:
		return r
	case 5:
		return rwFR{f}
	case 6:
		return rwHR{h}
	case 7:
		return rwFHR{rwFH{f}}
	case 8:
		return p
	case 9:
		return rwFP{f}
	case 10:
		return rwHP{h}
	case 11:
		return rwFHP{rwFH{f}}
	case 12:
		return rwRP{r}
	case 13:
		return rwFRP{rwFR{f}}
	case 14:
		return rwHRP{rwHR{h}}
	case 15:
		return rwFHRP{rwFHR{rwFH{f}}}
	}
	return w
}
