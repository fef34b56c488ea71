package session

import "net/http"

// responseWriter adds the session cookie just before the response header is
// sent: only then is it known whether the session stored anything (no
// cookie otherwise). It also encodes a changed session at that point, so a
// value gob cannot encode still turns the response into a 500 instead of a
// 200 that silently lost the change.
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

// Flush lets handlers that assert http.Flusher keep streaming through the
// middleware.
func (w *responseWriter) Flush() {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !w.failed {
		_ = http.NewResponseController(w.ResponseWriter).Flush()
	}
}

// Unwrap gives http.ResponseController access to the underlying writer's
// other features (deadlines, hijacking, full-duplex).
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
