//go:build unix

package session_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
)

// increments is how many locked increments each process performs.
const increments = 40

// increment adds one to the counter stored under id, holding id's lock.
func increment(s session.Store, id string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l, data, err := s.Lock(ctx, id)
	if err != nil {
		return err
	}
	n := 0
	if data != nil {
		if n, err = strconv.Atoi(string(data)); err != nil {
			l.Unlock(ctx, nil, time.Time{})
			return err
		}
	}
	return l.Unlock(ctx, []byte(strconv.Itoa(n+1)), time.Now().Add(time.Hour))
}

// TestMain doubles as the helper process of TestFileStoreAcrossProcesses:
// run with SESSIONLOCK_HELPER_DIR set, the test binary makes its locked
// increments and exits instead of running tests.
func TestMain(m *testing.M) {
	if dir := os.Getenv("SESSIONLOCK_HELPER_DIR"); dir != "" {
		os.Exit(helper(dir, os.Getenv("SESSIONLOCK_HELPER_ID")))
	}
	os.Exit(m.Run())
}

func helper(dir, id string) int {
	s, err := session.NewFileStore(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for range increments {
		if err := increment(s, id); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}

func TestFileStoreAcrossProcesses(t *testing.T) {
	dir := t.TempDir()
	id := session.NewID()
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 2 {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "SESSIONLOCK_HELPER_DIR="+dir, "SESSIONLOCK_HELPER_ID="+id)
		wg.Go(func() {
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("helper process: %v\n%s", err, out)
			}
		})
	}
	s := newFileStore(t, dir)
	wg.Go(func() {
		for range increments {
			if err := increment(s, id); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got, _ := s.Load(context.Background(), id); string(got) != strconv.Itoa(3*increments) {
		t.Fatalf("three processes made %d locked increments each; the counter is %q", increments, got)
	}
}

// A waiter that obtains the lock on a lock file its previous holder deleted
// must move to the current file, or a third party could lock the new file
// at the same time.
func TestFileStoreDeletedLockFileKeepsExclusion(t *testing.T) {
	dir := t.TempDir()
	a, b, c := newFileStore(t, dir), newFileStore(t, dir), newFileStore(t, dir)
	id := session.NewID()
	if err := increment(a, id); err != nil {
		t.Fatal(err)
	}
	la, _, err := a.Lock(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan session.Lock, 1)
	go func() {
		lb, _, err := b.Lock(context.Background(), id)
		if err != nil {
			t.Error(err)
		}
		got <- lb
	}()
	time.Sleep(20 * time.Millisecond) // let b open the old lock file and wait; the test holds without it, just proves less
	if err := la.Delete(context.Background()); err != nil {
		t.Fatal(err)
	}
	lb := <-got
	if lb == nil {
		t.FailNow()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if lc, _, err := c.Lock(ctx, id); !errors.Is(err, context.DeadlineExceeded) {
		if lc != nil {
			lc.Unlock(context.Background(), nil, time.Time{})
		}
		t.Fatalf("a third store locked the session while b held it (err %v)", err)
	}
	if err := lb.Unlock(context.Background(), nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
}
