package session

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"
)

type point struct{ X, Y int }

func init() { gob.Register(point{}) }

func sampleRecords() []*record {
	now := time.Unix(1_800_000_000, 5)
	return []*record{
		{created: now, lastAccess: now},
		{created: now, lastAccess: now.Add(time.Second), values: valuesOf(map[string]any{
			"s": "x", "i": 42, "i64": int64(-1), "b": false, "f": 0.5, "raw": []byte("r"),
			"t": now.UTC(),
		})},
		{created: now, lastAccess: now, values: valuesOf(map[string]any{"p": point{1, 2}, "n": 3, "u": uint(9)})},
		manyValues(now),
	}
}

// manyValues returns a record of 130 values, 30 of them gob-encoded: the
// count of hand-encoded ones (100) takes a byte less than the count of all.
func manyValues(now time.Time) *record {
	rec := &record{created: now, lastAccess: now}
	for i := range 130 {
		k := fmt.Sprint("k", i)
		if i < 100 {
			rec.values.set(k, i)
		} else {
			rec.values.set(k, point{i, -i})
		}
	}
	return rec
}

// valuesOf returns m's pairs as values.
func valuesOf(m map[string]any) values {
	var vs values
	for k, v := range m {
		vs.set(k, v)
	}
	return vs
}

// asMap returns the pairs of vs as a map, to compare them.
func asMap(vs values) map[string]any {
	m := make(map[string]any)
	for k, v := range vs.all {
		m[k] = v
	}
	return m
}

func TestCodecRoundTrip(t *testing.T) {
	for _, rec := range sampleRecords() {
		b, err := encodeRecord(nil, rec)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeRecord(b)
		if err != nil {
			t.Fatalf("decode(encode(%v)): %v", asMap(rec.values), err)
		}
		if !got.created.Equal(rec.created) || !got.lastAccess.Equal(rec.lastAccess) || !reflect.DeepEqual(asMap(got.values), asMap(rec.values)) {
			t.Fatalf("round trip changed %#v into %#v", rec, got)
		}
	}
}

// FuzzDecode feeds corrupted records to the decoder and, through a store, to
// the middleware: neither may panic, and the middleware must answer with a
// fresh session, or fail the request and keep the record when the damage
// looks like a type this program does not know.
func FuzzDecode(f *testing.F) {
	for _, rec := range sampleRecords() {
		b, _ := encodeRecord(nil, rec)
		f.Add(b)
		f.Add(b[:len(b)/2])
		flipped := bytes.Clone(b)
		flipped[len(flipped)/2] ^= 0xff
		f.Add(flipped)
	}
	f.Add([]byte{})
	f.Add([]byte{codecVersion, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Add([]byte{codecVersion, 0, 0, 1, 1, 'k', tagTime, 200})
	f.Add([]byte{codecVersion, 0, 0, 0, tagGob, 1, 2, 3})
	store := NewMemoryStore()
	m := NewManager(store, WithLogger(slog.New(slog.DiscardHandler)), WithAbsoluteTimeout(1<<62), WithIdleTimeout(0))
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := FromContext(r.Context())
		_ = s.Get("k")
		s.Set("seen", true)
	}))
	f.Fuzz(func(t *testing.T, data []byte) {
		if rec, err := decodeRecord(data); err == nil {
			if _, err := encodeRecord(nil, rec); err != nil {
				t.Fatalf("a decoded record does not encode again: %v", err)
			}
		}
		id := NewID()
		l, _, err := store.Lock(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		_ = l.Unlock(context.Background(), data, time.Now().Add(time.Hour))
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Cookie", DefaultCookieName+"="+id)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		_, err = decodeRecord(data)
		var de *DecodeError
		switch {
		case errors.As(err, &de):
			// Intact framing around a gob type this program does not know:
			// the request fails and the record stays.
			if w.Code != http.StatusInternalServerError {
				t.Fatalf("stored bytes %q with an unknown type (%v): status %d, want 500", data, err, w.Code)
			}
			if got, _ := store.Load(context.Background(), id); !bytes.Equal(got, data) {
				t.Fatalf("stored bytes %q with an unknown type were changed to %q", data, got)
			}
		case w.Code != http.StatusOK:
			t.Fatalf("stored bytes %q: status %d %s", data, w.Code, w.Body)
		}
	})
}
