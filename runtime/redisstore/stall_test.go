package redisstore_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sessionlock/sessionlock/internal/apptest"
	"github.com/sessionlock/sessionlock/runtime/redisstore"
	"github.com/sessionlock/sessionlock/runtime/redisstore/redistest"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// A paused redis-server (SIGSTOP) answers nothing and resets nothing. The
// clients here wait a minute per read, so only the caller's context can
// end a call before the test's patience runs out: a Lock that returns
// while the server is still paused ended on the caller's time, not the
// client's.
func stalledClient(t *testing.T, addr string, ctxTimeouts bool) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: addr, ReadTimeout: time.Minute, WriteTimeout: time.Minute,
		ContextTimeoutEnabled: ctxTimeouts})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestLockEndsWithCallerWhileRedisStalls(t *testing.T) {
	for _, ctxTimeouts := range []bool{false, true} {
		for _, how := range []string{"deadline", "cancel"} {
			name := how
			if ctxTimeouts {
				name += "/ContextTimeoutEnabled"
			}
			t.Run(name, func(t *testing.T) {
				srv := redistest.Start(t)
				// A lease longer than the test: a lock left behind would
				// block the check at the end.
				c := stalledClient(t, srv.Addr, ctxTimeouts)
				s := redisstore.New(c, redisstore.LockTTL(time.Hour))
				id := session.NewID()
				l, _ := mustLock(t, s, id) // loads the scripts, connects
				if err := l.Unlock(ctxT(t), []byte("v1"), future()); err != nil {
					t.Fatal(err)
				}
				if err := srv.Pause(); err != nil {
					t.Fatal(err)
				}
				sent := make(chan struct{}, 1)
				c.AddHook(sendHook(sent))
				ctx, cancel := context.WithCancel(context.Background())
				if how == "deadline" {
					ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
				}
				defer cancel()
				got := make(chan error, 1)
				go func() {
					l, _, err := s.Lock(ctx, id)
					if err == nil {
						_ = l.Unlock(context.Background(), nil, time.Time{})
					}
					got <- err
				}()
				if how == "cancel" {
					<-sent   // the lock script is on its way to the paused server
					cancel() // and the client goes away
				}
				select {
				case err := <-got:
					if !errors.Is(err, ctx.Err()) {
						t.Fatalf("Lock on a paused server = %v, want the context's %v", err, ctx.Err())
					}
				case <-time.After(patience):
					t.Fatal("Lock on a paused server did not return when its context ended")
				}
				if err := srv.Resume(); err != nil {
					t.Fatal(err)
				}
				// The attempt that was in flight may have taken the lock once
				// the server resumed; the clean-up must give it back.
				l, data, err := s.Lock(ctxT(t), id)
				if err != nil {
					t.Fatalf("Lock after the stall: %v (the abandoned attempt kept the lock)", err)
				}
				if string(data) != "v1" {
					t.Fatalf("record = %q, want v1", data)
				}
				if err := l.Unlock(ctxT(t), nil, time.Time{}); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// Over HTTP: with Redis paused, WithLockWait bounds the request: it gets a
// 503 with Retry-After while the server is still paused.
func TestManagerLockWaitBoundsStalledRedis(t *testing.T) {
	srv := redistest.Start(t)
	a := startAppWith(t, stalledClient(t, srv.Addr, false), freshPrefix(),
		[]session.Option{session.WithLockWait(100 * time.Millisecond)}, redisstore.LockTTL(time.Hour))
	cookie := apptest.NewSession(t, a)
	if err := srv.Pause(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Resume() }()
	req, _ := http.NewRequest("GET", a.URL+"/inc", nil)
	req.Header.Set("Cookie", cookie)
	resp, err := httpClient.Do(req) // the client's Timeout is the patience
	if err != nil {
		t.Fatalf("request while Redis is paused: %v; want a 503 within the lock-wait bound", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("request while Redis is paused = %d (Retry-After %q), want 503 with Retry-After",
			resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

// sendHook signals on ch (without blocking) before each command or
// pipeline is sent.
type sendHook chan struct{}

func (h sendHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h sendHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		select {
		case h <- struct{}{}:
		default:
		}
		return next(ctx, cmd)
	}
}

func (h sendHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		select {
		case h <- struct{}{}:
		default:
		}
		return next(ctx, cmds)
	}
}
