//go:build unix

package session_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sessionlock/sessionlock/runtime/session"
	"github.com/sessionlock/sessionlock/runtime/session/storetest"
)

func newFileStore(t *testing.T, dir string) *session.FileStore {
	t.Helper()
	s, err := session.NewFileStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestFileStoreConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) session.Store { return newFileStore(t, t.TempDir()) })
}

// Two FileStores on one directory stand for two processes: each has its own
// in-process lock table, so only flock keeps them apart.
func TestFileStoreConformanceAcrossStores(t *testing.T) {
	storetest.Run(t, func(t *testing.T) session.Store {
		dir := t.TempDir()
		return &splitStore{a: newFileStore(t, dir), b: newFileStore(t, dir)}
	})
}

// splitStore alternates its calls between two stores sharing a directory.
type splitStore struct {
	a, b *session.FileStore
	n    atomic.Uint64
}

func (s *splitStore) pick() session.Store {
	if s.n.Add(1)%2 == 0 {
		return s.a
	}
	return s.b
}

func (s *splitStore) Load(ctx context.Context, id string) ([]byte, error) {
	return s.pick().Load(ctx, id)
}

func (s *splitStore) Lock(ctx context.Context, id string) (session.Lock, []byte, error) {
	return s.pick().Lock(ctx, id)
}

func TestConcurrentCounterFile(t *testing.T) {
	testConcurrentCounter(t, session.NewManager(newFileStore(t, t.TempDir())))
}

func TestConcurrentCounterFileTwoManagers(t *testing.T) {
	dir := t.TempDir()
	testConcurrentCounter(t,
		session.NewManager(newFileStore(t, dir)),
		session.NewManager(newFileStore(t, dir)))
}

func TestFileStoreValuesKeepTheirTypes(t *testing.T) {
	testValuesKeepTypes(t, session.NewManager(newFileStore(t, t.TempDir())))
}

func TestFileStoreRefusesPathsOutsideDir(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "store")
	s := newFileStore(t, dir)
	for _, id := range []string{"../escape", "../../../../tmp/x", "a/b", "", strings.Repeat("a", session.IDLength-3) + "/.."} {
		if _, err := s.Load(context.Background(), id); err == nil {
			t.Errorf("Load(%q) succeeded", id)
		}
		if l, _, err := s.Lock(context.Background(), id); err == nil {
			l.Unlock(context.Background(), nil, time.Time{})
			t.Errorf("Lock(%q) succeeded", id)
		}
	}
	assertOnlyInside(t, root, dir)
}

// assertOnlyInside fails if root holds any file outside dir.
func assertOnlyInside(t *testing.T, root, dir string) {
	t.Helper()
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(path, dir+string(os.PathSeparator)) {
			t.Errorf("file %s created outside the store directory", path)
		}
		return nil
	})
}

func TestFileStoreDamagedFileIsAbsent(t *testing.T) {
	dir := t.TempDir()
	fs := newFileStore(t, dir)
	fs.Logger = discard
	m := session.NewManager(fs, session.WithLogger(discard))
	h := m.Middleware(counterHandler)
	id := sessionCookie(t, do(h, "", "/"))
	for _, junk := range []string{"", "SLF", "garbage that is not a record", "SLF1\x7f\xff\xff\xff\xff\xff\xff\xff\x01\x02"} {
		if err := os.WriteFile(filepath.Join(dir, id+".session"), []byte(junk), 0o600); err != nil {
			t.Fatal(err)
		}
		w := do(h, id, "/")
		if w.Code != http.StatusOK || w.Body.String() != "1" {
			t.Fatalf("damaged file %q: status %d body %q, want a fresh session", junk, w.Code, w.Body)
		}
	}
}

func TestFileStoreLeavesNoLockFilesForUnusedIDs(t *testing.T) {
	dir := t.TempDir()
	m := session.NewManager(newFileStore(t, dir))
	for range 20 {
		do(m.Middleware(readHandler), session.NewID(), "/")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("requests with unknown IDs left %d files, e.g. %s", len(entries), entries[0].Name())
	}
}

func TestFileStoreSweep(t *testing.T) {
	dir := t.TempDir()
	s := newFileStore(t, dir)
	live, dead := session.NewID(), session.NewID()
	for id, exp := range map[string]time.Time{live: time.Now().Add(time.Hour), dead: time.Now().Add(-time.Second)} {
		l, _, err := s.Lock(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Unlock(context.Background(), []byte("x"), exp); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.Sweep(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("Sweep = %d, %v; want 1 session removed", n, err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), dead) {
			t.Errorf("expired session file %s survived the sweep", e.Name())
		}
	}
	if got, _ := s.Load(context.Background(), live); string(got) != "x" {
		t.Fatalf("live session lost by the sweep: %q", got)
	}
}
