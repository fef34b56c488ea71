package pgstore_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sessionlock/sessionlock/internal/apptest"
	"github.com/sessionlock/sessionlock/runtime/pgstore"
	"github.com/sessionlock/sessionlock/runtime/pgstore/pgtest"
	"github.com/sessionlock/sessionlock/runtime/session"
)

// PostgreSQL is stopped (as a crash: pg_ctl stop -m immediate) while a
// request holds its session and others arrive: they get 503 with a clear
// error and nothing is half-written; once it is back on the same port the
// same app serves again, with every increment that succeeded and no other.
func TestPostgresRestartMidRequest(t *testing.T) {
	srv := pgtest.Start(t)
	pool := newPool(t, srv.DSN, 4)
	table := freshTable(t, pool)
	a := apptest.Start(t, newStore(t, pool, pgstore.Table(table), pgstore.LockTTL(500*time.Millisecond)))
	apptest.OutageMidRun(t, a, srv.Stop, srv.Restart, pgstore.ErrUnavailable)
}

// The listener's connection is killed (pg_terminate_backend) while a
// request waits, and the holder releases before the listener is back: the
// NOTIFY is lost, yet the waiter gets the lock and the saved record once
// the listener reconnects. RetryInterval is an hour, so no retry timer can
// stand in for the wake-up.
func TestListenerKilledWhileWaiting(t *testing.T) {
	dsn := sharedDSN(t)
	pool := newPool(t, dsn, 4)
	table := freshTable(t, pool)
	holder := newStore(t, newPool(t, dsn, 4), pgstore.Table(table))
	waiter := newStore(t, pool, pgstore.Table(table), pgstore.RetryInterval(time.Hour))
	redial, reconnect := make(chan struct{}), make(chan struct{})
	dials := 0
	pgstore.SetBeforeDial(waiter, func() {
		if dials++; dials > 1 {
			redial <- struct{}{}
			<-reconnect
		}
	})
	id := session.NewID()
	l, _ := mustLock(t, holder, id)
	got := make(chan string, 1)
	go func() {
		l, data, err := waiter.Lock(ctxT(t), id)
		if err != nil {
			t.Error(err)
			got <- ""
			return
		}
		got <- string(data)
		_ = l.Unlock(context.Background(), nil, time.Time{})
	}()
	expired := outOfPatience()
	for !allWaiting(t, pool, table, 1) || terminateListeners(t, pool) == 0 {
		if expired() {
			t.Fatal("the waiter never listened")
		}
		time.Sleep(5 * time.Millisecond)
	}
	<-redial // the listener saw its connection die
	if err := l.Unlock(ctxT(t), []byte("saved"), future()); err != nil {
		t.Fatal(err)
	}
	close(reconnect)
	if data := <-got; data != "saved" {
		t.Fatalf("waiter read %q, want the holder's save", data)
	}
}

// terminateListeners kills the listener connections of the server and
// returns how many there were.
func terminateListeners(t *testing.T, pool *pgxpool.Pool) int {
	var n int
	err := pool.QueryRow(ctxT(t), "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1",
		pgstore.ListenerApplicationName).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Statements that run past statement_timeout (here blocked by another
// transaction holding the session's row) end in a clear error that wraps
// ErrUnavailable and names the timeout, write nothing, and leave the
// session usable once the blocker is gone.
func TestStatementTimeout(t *testing.T) {
	dsn := sharedDSN(t)
	pool := newPool(t, dsn, 4, "statement_timeout", "300")
	table := freshTable(t, pool)
	s := newStore(t, pool, pgstore.Table(table))
	id := session.NewID()
	l, _ := mustLock(t, s, id)
	if err := l.Unlock(ctxT(t), []byte("v1"), future()); err != nil {
		t.Fatal(err)
	}
	check := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, pgstore.ErrUnavailable) || !errors.Is(err, session.ErrStoreUnavailable) ||
			!strings.Contains(err.Error(), "statement_timeout") {
			t.Fatalf("%s past statement_timeout = %v, want ErrUnavailable naming statement_timeout", what, err)
		}
	}

	end := blockRow(t, dsn, table, id)
	_, _, err := s.Lock(ctxT(t), id)
	check("Lock", err)
	end()
	l, data := mustLock(t, s, id)
	if string(data) != "v1" {
		t.Fatalf("record = %q, want v1", data)
	}

	end = blockRow(t, dsn, table, id)
	check("Unlock", l.Unlock(ctxT(t), []byte("v2"), future()))
	end()
	l, data = mustLock(t, s, id)
	if string(data) != "v1" {
		t.Fatalf("record after a timed-out save = %q, want v1: nothing written", data)
	}
	if err := l.Unlock(ctxT(t), []byte("v3"), future()); err != nil {
		t.Fatal(err)
	}
	if data, err := s.Load(ctxT(t), id); err != nil || string(data) != "v3" {
		t.Fatalf("Load = %q, %v; want v3", data, err)
	}
}

// blockRow locks id's row in another transaction until end is called.
func blockRow(t *testing.T, dsn, table, id string) (end func()) {
	t.Helper()
	c, err := pgx.Connect(ctxT(t), dsn)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := c.Begin(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	var n int
	err = tx.QueryRow(ctxT(t), "SELECT count(*) FROM (SELECT 1 FROM "+table+
		" WHERE id_hash = sha256(convert_to($1, 'UTF8')) FOR UPDATE) r", id).Scan(&n)
	if err != nil || n != 1 {
		t.Fatalf("lock the row: %d rows, %v", n, err)
	}
	return func() {
		_ = tx.Rollback(context.Background())
		_ = c.Close(context.Background())
	}
}

// The frozen holder is another process, an app server of its own (this
// test binary run again with childEnv set), stopped with SIGSTOP while
// its request holds a session: it cannot renew its lease, so another
// server's request takes the lock once the lease runs out, and when the
// frozen process resumes, its save is refused (500, ErrLockLost) and the
// newer value survives.
func TestFrozenHolderProcess(t *testing.T) {
	dsn := sharedDSN(t)
	pool := newPool(t, dsn, 4)
	table := freshTable(t, pool)
	b := apptest.Start(t, newStore(t, pool, pgstore.Table(table), pgstore.LockTTL(300*time.Millisecond)))
	cookie := apptest.NewSession(t, b)

	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), childEnv+"="+dsn, childTableEnv+"="+table)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = child.Process.Signal(syscall.SIGCONT)
		_ = child.Process.Kill()
		_ = child.Wait()
	})
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	url := strings.TrimPrefix(<-lines, "addr ")

	frozen := make(chan int, 1)
	go func() { code, _ := apptest.Do(t, url+"/hold", cookie); frozen <- code }()
	if line := <-lines; line != "held" {
		t.Fatalf("child said %q, want held", line)
	}
	if err := child.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	// B waits for the frozen holder's lease to run out, then writes.
	if code, body := apptest.Do(t, b.URL+"/set?v=100", cookie); code != 200 {
		t.Fatalf("/set on B while the holder is frozen = %d %s", code, body)
	}
	if err := child.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	if code := <-frozen; code != http.StatusInternalServerError {
		t.Fatalf("frozen holder's request = %d, want 500 from its refused save", code)
	}
	if line := <-lines; !strings.HasPrefix(line, "error ") || !strings.Contains(line, session.ErrLockLost.Error()) {
		t.Fatalf("frozen holder's error = %q, want ErrLockLost", line)
	}
	if got := apptest.Get(t, b, cookie); got != "100" {
		t.Fatalf("n = %s, want 100 from the request that ran while the holder was frozen", got)
	}
}

const (
	childEnv      = "PGSTORE_TEST_CHILD_DSN"
	childTableEnv = "PGSTORE_TEST_CHILD_TABLE"
)

// runChildApp is the frozen holder's process: an app server whose /hold
// handler says "held" on stdout once it holds the session's lock, then
// after a moment adds one to n. It prints its address first, and "error
// <err>" for each error its Manager logs.
func runChildApp() int {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv(childEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	store := pgstore.New(pool, pgstore.Table(os.Getenv(childTableEnv)), pgstore.LockTTL(300*time.Millisecond))
	errs := make(chan error, 16)
	m := session.NewManager(store, session.WithLogger(slog.New(apptest.ErrorRecorder(errs))))
	var mu sync.Mutex // one writer of stdout at a time
	say := func(s string) { mu.Lock(); fmt.Println(s); mu.Unlock() }
	go func() {
		for err := range errs {
			say("error " + err.Error())
		}
	}()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	say("addr http://" + ln.Addr().String())
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session.FromContext(r.Context())
		n, _ := s.Get("n").(int)
		say("held")
		// The parent stops this process about now; the sleep ends only
		// after it resumes.
		time.Sleep(50 * time.Millisecond) //sessionlock:ignore holding the lock is the point: it is the lock that gets lost
		s.Set("n", n+1)
	}))
	_ = http.Serve(ln, h)
	return 0
}
