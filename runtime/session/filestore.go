//go:build unix

package session

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// File names in a FileStore directory: <id>.session holds a record,
// <id>.lock is the flock target of that ID, and .tmp-* are writes in
// progress. IDs are checked with ValidID, so they never contain a slash or
// a dot and no name can leave the directory.
const (
	dataSuffix = ".session"
	lockSuffix = ".lock"
	tmpPrefix  = ".tmp-"
)

// fileMagic starts every record file; a file without it is not ours or is
// damaged, and is treated as absent.
var fileMagic = []byte("SLF1")

const fileHeader = 4 + 8 // magic, expiry in Unix nanoseconds

// DefaultSweepInterval is how often a FileStore removes expired sessions.
const DefaultSweepInterval = 10 * time.Minute

// A FileStore keeps each session in its own file in a directory, so
// sessions survive restarts and several processes (or several Managers) can
// share the directory.
//
// Writes are atomic: a record is written to a temporary file in the same
// directory, synced, and renamed over the old one, so a crash leaves the
// old record or the new one, never a mix. Locks are flock(2) locks on one
// lock file per session, so they hold across processes and vanish when a
// process dies. A lock file is deleted only by the holder of its lock (when
// the session is deleted or never stored anything); a waiter that then
// obtains the lock on the unlinked file notices, by comparing inodes, and
// locks the current file instead, so two holders can never coexist, and
// lock files do not accumulate.
//
// A damaged record file is treated as absent and logged. Expired sessions
// are swept in the background at most once per SweepInterval, started by
// store activity; Close stops that. FileStore needs a Unix system.
type FileStore struct {
	dir    string
	locals *idLocks

	// Logger receives reports of damaged files and failed sweeps; nil means
	// slog.Default(). Set it before the store is used.
	Logger *slog.Logger

	// SweepInterval is the minimum time between two sweeps of expired
	// sessions (default DefaultSweepInterval). Set it before the store is
	// used.
	SweepInterval time.Duration

	nextSweep atomic.Int64 // Unix ns; claimed with CompareAndSwap, so no lock is shared by requests
	sweeping  sync.WaitGroup
	closeMu   sync.Mutex // orders sweeping.Add against Close's Wait
	closed    atomic.Bool
}

// NewFileStore returns a FileStore keeping its files in dir, which it
// creates (mode 0700: records hold session data) if needed.
func NewFileStore(dir string) (*FileStore, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("session: NewFileStore: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("session: NewFileStore: %w", err)
	}
	s := &FileStore{dir: abs, locals: newIDLocks(), SweepInterval: DefaultSweepInterval}
	s.nextSweep.Store(time.Now().Add(DefaultSweepInterval).UnixNano())
	return s, nil
}

// Close waits for a running sweep to finish and starts no more. The store
// still serves requests afterwards.
func (s *FileStore) Close() error {
	s.closeMu.Lock()
	s.closed.Store(true)
	s.closeMu.Unlock()
	s.sweeping.Wait()
	return nil
}

func (s *FileStore) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func (s *FileStore) path(id, suffix string) string {
	return s.dir + string(os.PathSeparator) + id + suffix
}

func checkID(id string) error {
	if !ValidID(id) {
		return fmt.Errorf("session: FileStore: refusing malformed session ID %q: only IDs made by NewID name files", id)
	}
	return nil
}

// Load returns the record of id, or nil when absent, expired or damaged.
func (s *FileStore) Load(_ context.Context, id string) ([]byte, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	data, _, err := s.read(id)
	return data, err
}

// read returns the live record of id and whether a record file exists.
func (s *FileStore) read(id string) ([]byte, bool, error) {
	b, err := os.ReadFile(s.path(id, dataSuffix))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("session: FileStore: reading session file: %w", err)
	}
	if len(b) < fileHeader || !bytes.Equal(b[:4], fileMagic) {
		s.logger().Error("session: FileStore: damaged session file treated as absent", "file", id[:6]+"…"+dataSuffix, "size", len(b))
		return nil, true, nil
	}
	exp := int64(binary.BigEndian.Uint64(b[4:fileHeader]))
	if time.Now().UnixNano() >= exp {
		return nil, true, nil
	}
	return b[fileHeader:], true, nil
}

// Lock waits for id's lock: first against this process's other requests
// (a channel, so ctx is honoured at once), then against other processes
// (flock, polled without blocking so that ctx is honoured too).
func (s *FileStore) Lock(ctx context.Context, id string) (Lock, []byte, error) {
	l, data, _, err := s.lock(ctx, id, true)
	return l, data, err
}

func (s *FileStore) lock(ctx context.Context, id string, wait bool) (Lock, []byte, bool, error) {
	if err := checkID(id); err != nil {
		return nil, nil, false, err
	}
	local, waited, err := s.locals.acquire(ctx, id, wait)
	if local == nil {
		return nil, nil, waited, err
	}
	f, fwaited, err := s.flock(ctx, id, wait)
	if f == nil {
		s.locals.release(id, local)
		return nil, nil, waited || fwaited, err
	}
	data, exists, err := s.read(id)
	if err != nil {
		f.Close()
		s.locals.release(id, local)
		return nil, nil, true, err
	}
	s.maybeSweep()
	return &fileLock{s: s, id: id, f: f, local: local, exists: exists}, data, waited || fwaited, nil
}

func (s *FileStore) self() Store { return s }

// flock opens id's lock file and locks it exclusively. It returns a nil
// file (and a nil error when !wait) when the lock is busy.
func (s *FileStore) flock(ctx context.Context, id string, wait bool) (*os.File, bool, error) {
	path := s.path(id, lockSuffix)
	backoff := time.Millisecond
	waited := false
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, waited, fmt.Errorf("session: FileStore: opening lock file: %w", err)
		}
		for {
			err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
			if err == nil {
				break
			}
			if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
				f.Close()
				return nil, waited, fmt.Errorf("session: FileStore: flock: %w", err)
			}
			if !wait {
				f.Close()
				return nil, true, nil
			}
			waited = true
			t := time.NewTimer(backoff)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				f.Close()
				return nil, true, ctx.Err()
			}
			backoff = min(backoff*2, 25*time.Millisecond)
		}
		// The holder we waited for may have deleted the lock file (with its
		// session) before unlocking: then we hold a lock nobody else will
		// ever look at, and must lock the file now at the path instead.
		if sameFile(f, path) {
			return f, waited, nil
		}
		f.Close()
	}
}

func sameFile(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	return err == nil && os.SameFile(a, b)
}

type fileLock struct {
	s      *FileStore
	id     string
	f      *os.File
	local  *idLock
	exists bool // a record file existed when locked
	done   atomic.Bool
}

// Unlock writes data (when non-nil) atomically, then releases the lock. A
// session that has no record keeps no lock file either.
func (l *fileLock) Unlock(_ context.Context, data []byte, expiry time.Time) error {
	if l.done.Swap(true) {
		return ErrLockReleased
	}
	var err error
	switch {
	case data != nil:
		err = l.s.write(l.id, data, expiry)
	case !l.exists:
		err = removeIfExists(l.s.path(l.id, lockSuffix))
	}
	l.end()
	return err
}

// Delete removes the record and its lock file, then releases the lock.
func (l *fileLock) Delete(context.Context) error {
	if l.done.Swap(true) {
		return ErrLockReleased
	}
	err := removeIfExists(l.s.path(l.id, dataSuffix))
	if err == nil {
		err = removeIfExists(l.s.path(l.id, lockSuffix))
	}
	l.end()
	return err
}

func (l *fileLock) end() {
	l.f.Close() // closing the only descriptor releases the flock
	l.s.locals.release(l.id, l.local)
}

func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("session: FileStore: %w", err)
	}
	return nil
}

// write replaces id's record atomically: temp file, fsync, rename.
func (s *FileStore) write(id string, data []byte, expiry time.Time) error {
	f, err := os.CreateTemp(s.dir, tmpPrefix+id+"-*")
	if err != nil {
		return fmt.Errorf("session: FileStore: %w", err)
	}
	tmp := f.Name()
	var hdr [fileHeader]byte
	copy(hdr[:], fileMagic)
	binary.BigEndian.PutUint64(hdr[4:], uint64(expiry.UnixNano()))
	_, err = f.Write(hdr[:])
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, s.path(id, dataSuffix))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("session: FileStore: saving session: %w", err)
	}
	return nil
}

func (s *FileStore) maybeSweep() {
	now := time.Now().UnixNano()
	next := s.nextSweep.Load()
	if now < next || !s.nextSweep.CompareAndSwap(next, now+int64(s.SweepInterval)) {
		return
	}
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closed.Load() {
		return
	}
	s.sweeping.Add(1)
	go func() {
		defer s.sweeping.Done()
		if _, err := s.Sweep(context.Background()); err != nil {
			s.logger().Error("session: FileStore: sweep failed", "err", err)
		}
	}()
}

// Sweep removes the files of expired sessions, lock files of sessions
// without a record, and temporary files abandoned by crashed writers over an
// hour old. Files locked by a request are skipped. It returns how many
// sessions it removed. The store calls it on its own; call it yourself to
// sweep on a schedule of your choosing.
func (s *FileStore) Sweep(ctx context.Context) (int, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return 0, fmt.Errorf("session: FileStore: sweep: %w", err)
	}
	removed := 0
	for _, e := range entries {
		if ctx.Err() != nil {
			return removed, ctx.Err()
		}
		name := e.Name()
		switch {
		case strings.HasPrefix(name, tmpPrefix):
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
				os.Remove(filepath.Join(s.dir, name))
			}
		case strings.HasSuffix(name, dataSuffix), strings.HasSuffix(name, lockSuffix):
			id := strings.TrimSuffix(strings.TrimSuffix(name, dataSuffix), lockSuffix)
			if !ValidID(id) {
				continue
			}
			if strings.HasSuffix(name, lockSuffix) {
				if _, err := os.Stat(s.path(id, dataSuffix)); err == nil {
					continue // judged with its record
				}
			}
			if s.sweepOne(ctx, id) {
				removed++
			}
		}
	}
	return removed, nil
}

// sweepOne deletes id's files if it has no live record and nobody holds it.
func (s *FileStore) sweepOne(ctx context.Context, id string) bool {
	if data, exists, err := s.read(id); err != nil || data != nil || (!exists && !fileExists(s.path(id, lockSuffix))) {
		return false
	}
	l, data, _, err := s.lock(ctx, id, false)
	if err != nil || l == nil {
		return false
	}
	if data != nil { // renewed meanwhile
		_ = l.Unlock(ctx, nil, time.Time{})
		return false
	}
	return l.Delete(ctx) == nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
