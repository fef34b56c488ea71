package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessionlock/sessionlock/runtime/redisstore"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// exampleAddr is the Redis the runnable examples use: the test binary's own
// throwaway server. An application would use its server's address, such as
// "localhost:6379".
func exampleAddr() string {
	addr, err := shared()
	if err != nil {
		log.Fatal(err)
	}
	return addr
}

// Wiring the store into the session middleware. Every app server that
// points at the same Redis shares sessions and their locks.
func ExampleNew() {
	client := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
	defer client.Close()
	store := redisstore.New(client,
		redisstore.Prefix("shop:"),         // keep apart from other apps on this Redis
		redisstore.LockTTL(15*time.Second), // how long a crashed server blocks a session
	)
	m := session.NewManager(store)

	mux := http.NewServeMux()
	mux.HandleFunc("/cart/add", func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		n, _ := s.Get("items").(int)
		s.Set("items", n+1) // no other request of this user runs meanwhile
	})
	log.Fatal(http.ListenAndServe(":8080", m.Middleware(mux)))
}

// The Store on its own: Lock returns the record, Unlock saves the new one
// and releases the lock in one round trip each.
func ExampleStore_Lock() {
	client := redis.NewClient(&redis.Options{Addr: exampleAddr()})
	defer client.Close()
	store := redisstore.New(client, redisstore.Prefix("example:"))
	ctx := context.Background()
	id := session.NewID()

	l, data, err := store.Lock(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("first lock: %q\n", data)
	if err := l.Unlock(ctx, []byte("hello"), time.Now().Add(time.Hour)); err != nil {
		log.Fatal(err)
	}

	l, data, err = store.Lock(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("second lock: %q\n", data)
	if err := l.Delete(ctx); err != nil {
		log.Fatal(err)
	}
	err = l.Unlock(ctx, nil, time.Time{})
	fmt.Println(errors.Is(err, session.ErrLockReleased))
	// Output:
	// first lock: ""
	// second lock: "hello"
	// true
}

// A Redis outage is temporary: the store's errors wrap
// session.ErrStoreUnavailable, so the Manager answers 503 with Retry-After
// (not 500) and logs the cause.
func ExampleErrUnavailable() {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	down := ln.Addr().String()
	ln.Close() // nothing listens here: Redis is "down"
	client := redis.NewClient(&redis.Options{Addr: down, MaxRetries: -1})
	defer client.Close()

	m := session.NewManager(redisstore.New(client), session.WithLogger(slog.New(slog.DiscardHandler)))
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))

	req := httptest.NewRequest("GET", "/", nil)
	req.AddCookie(&http.Cookie{Name: session.DefaultCookieName, Value: session.NewID()})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("Retry-After"))
	// Output: 503 1
}
