//go:build unix

package session_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
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

// fileOf returns the name of a FileStore's files for id: its SHA-256 hash
// in unpadded base64url.
func fileOf(id string) string {
	sum := sha256.Sum256([]byte(id))
	return base64.RawURLEncoding.EncodeToString(sum[:])
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
		if err := os.WriteFile(filepath.Join(dir, fileOf(id)+".session"), []byte(junk), 0o600); err != nil {
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
		if strings.HasPrefix(e.Name(), fileOf(dead)) {
			t.Errorf("expired session file %s survived the sweep", e.Name())
		}
	}
	if got, _ := s.Load(context.Background(), live); string(got) != "x" {
		t.Fatalf("live session lost by the sweep: %q", got)
	}
}

// The first sweep is due SweepInterval after NewFileStore, whatever the
// default: an interval set on a new store is the interval.
func TestFileStoreFirstSweepFollowsInterval(t *testing.T) {
	dir := t.TempDir()
	s := newFileStore(t, dir)
	s.SweepInterval = time.Nanosecond // every store operation may start a sweep
	dead := session.NewID()
	l, _, err := s.Lock(context.Background(), dead)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Unlock(context.Background(), []byte("x"), time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	// The sweep that locking dead may have started skipped it, as it was
	// locked: one more operation starts another.
	l, _, err = s.Lock(context.Background(), session.NewID())
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Unlock(context.Background(), nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	s.Close() // waits for the running sweep
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("the expired session's file %s is still there: no sweep ran although SweepInterval had passed", entries[0].Name())
	}
}

// Listing the directory reveals no session ID: files are named by a hash
// of it. A directory other users can write to is refused, and a new one is
// made private.
func TestFileStoreDirectoryPermissions(t *testing.T) {
	dir := t.TempDir()
	m := session.NewManager(newFileStore(t, dir))
	id := sessionCookie(t, do(m.Middleware(counterHandler), "", "/"))
	entries, _ := os.ReadDir(dir)
	if len(entries) == 0 {
		t.Fatal("the session left no file")
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), id) {
			t.Fatalf("file name %s shows the live session ID to whoever can list the directory", e.Name())
		}
		if info, _ := e.Info(); info.Mode().Perm()&0o077 != 0 {
			t.Fatalf("file %s has mode %v, want 0600", e.Name(), info.Mode().Perm())
		}
	}

	open := filepath.Join(t.TempDir(), "open")
	if err := os.Mkdir(open, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []os.FileMode{0o777, 0o770, 0o733 | os.ModeSticky} {
		if err := os.Chmod(open, mode); err != nil {
			t.Fatal(err)
		}
		_, err := session.NewFileStore(open)
		if err == nil || !strings.Contains(err.Error(), "chmod go-w") || !strings.Contains(err.Error(), open) {
			t.Fatalf("NewFileStore on a directory of mode %v = %v; want an error naming the directory and chmod go-w", mode, err)
		}
	}
	if err := os.Chmod(open, 0o755); err != nil {
		t.Fatal(err)
	}
	newFileStore(t, open)

	fresh := filepath.Join(t.TempDir(), "a", "b")
	newFileStore(t, fresh)
	info, err := os.Stat(fresh)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		t.Fatalf("NewFileStore created its directory with mode %v, want 0700", perm)
	}
}

// A record is replaced by renaming a complete, synced temporary file over
// it, never written in place: a reader (or a crash) mid-write would
// otherwise see a torn record. Renaming gives the record file a new inode.
func TestFileStoreReplacesRecordsByRename(t *testing.T) {
	dir := t.TempDir()
	s := newFileStore(t, dir)
	id := session.NewID()
	save := func(data string) os.FileInfo {
		t.Helper()
		l, _, err := s.Lock(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Unlock(context.Background(), []byte(data), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(filepath.Join(dir, fileOf(id)+".session"))
		if err != nil {
			t.Fatal(err)
		}
		return info
	}
	first := save("first version")
	f, err := os.Open(filepath.Join(dir, fileOf(id)+".session"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	second := save("second")
	if os.SameFile(first, second) {
		t.Fatal("saving rewrote the record file in place; it must write a temporary file and rename it over the record")
	}
	old, err := io.ReadAll(f)
	if err != nil || !strings.HasSuffix(string(old), "first version") {
		t.Fatalf("a reader that opened the record before a save read %q, %v; want the complete old record", old, err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			t.Fatalf("temporary file %s left behind after a save", e.Name())
		}
	}
}
