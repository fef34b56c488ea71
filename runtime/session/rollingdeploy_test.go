package session_test

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// newCart is a type that a newer version of the program stores in sessions.
type newCart struct{ Items int }

func init() { gob.RegisterName("sessionlock.test/v2.Cart", newCart{}) }

// A record holding a type this instance has not registered (a newer
// instance stored it, during a rolling deploy) is not corruption: every mode
// fails the request with an error naming the type and the fix, and the
// record stays exactly as it was.
func TestUnknownTypeKeepsRecordAndFailsRequest(t *testing.T) {
	store := session.NewMemoryStore()
	var handled []error
	m := session.NewManager(store, session.WithErrorHandler(func(w http.ResponseWriter, r *http.Request, err error) {
		handled = append(handled, err)
		http.Error(w, "session unavailable", http.StatusInternalServerError)
	}))
	mux := http.NewServeMux()
	mux.Handle("/add", m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		s.Set("cart", newCart{Items: 3})
		s.Set("n", 1)
	})))
	ran := false
	record := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { ran = true })
	mux.Handle("/held", m.Middleware(record))
	mux.Handle("/explicit", m.Explicit(record))
	mux.Handle("/read", m.ReadOnly(record))
	for _, proto := range protocols {
		b := serve(t, proto, mux)
		b.get("/add")
		id := b.cookie(session.DefaultCookieName)
		ctx := context.Background()
		data, err := store.Load(ctx, id)
		if err != nil || data == nil {
			t.Fatalf("Load: %q, %v", data, err)
		}
		// The old instance knows no "v9" type: rename the stored one.
		tampered := bytes.Replace(data, []byte("sessionlock.test/v2.Cart"), []byte("sessionlock.test/v9.Cart"), 1)
		if bytes.Equal(tampered, data) {
			t.Fatal("the record does not name the type; the test cannot rename it")
		}
		l, _, err := store.Lock(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Unlock(ctx, tampered, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/held", "/explicit", "/read"} {
			handled, ran = nil, false
			resp, _ := b.get(path)
			var de *session.DecodeError
			if resp.StatusCode != http.StatusInternalServerError || ran || len(handled) != 1 || !errors.As(handled[0], &de) {
				t.Fatalf("%s %s: status %d, handler ran %v, errors %v; want 500 with a *session.DecodeError and the handler not run", proto, path, resp.StatusCode, ran, handled)
			}
			if msg := de.Error(); de.Type != "sessionlock.test/v9.Cart" || !contains(msg, "gob.Register") || !contains(msg, "v9.Cart") {
				t.Fatalf("%s %s: error %q (type %q) does not name the type and the fix", proto, path, msg, de.Type)
			}
			if got, _ := store.Load(ctx, id); !bytes.Equal(got, tampered) {
				t.Fatalf("%s %s: the record was changed to %q: a value this instance cannot decode must never cost the session", proto, path, got)
			}
		}
	}
}
