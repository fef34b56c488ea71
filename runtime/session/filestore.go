//go:build unix

package session

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
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

// File names in a FileStore directory: <name>.session holds a record,
// <name>.lock is the flock target of that session, and .tmp-* are writes in
// progress. The name is a SHA-256 hash of the session ID (see fileName), not
// the ID itself: whoever can list the directory learns no live session ID,
// and no name can leave the directory.
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
// Files are private to the user (mode 0600, directory 0700 when the store
// creates it) and named by a SHA-256 hash of the session ID, so a listing of
// the directory gives away no session.
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

	// SweepInterval is the time from NewFileStore to the first sweep of
	// expired sessions, and the minimum time between two sweeps (default
	// DefaultSweepInterval). Set it before the store is used.
	SweepInterval time.Duration

	created   int64        // Unix ns; the first sweep is due SweepInterval after it
	nextSweep atomic.Int64 // Unix ns, 0 before the first sweep; claimed with CompareAndSwap, so no lock is shared by requests
	sweeping  sync.WaitGroup
	closeMu   sync.Mutex // orders sweeping.Add against Close's Wait
	closed    atomic.Bool
}

// NewFileStore returns a FileStore keeping its files in dir, which it
// creates with mode 0700 if needed. Files are created with mode 0600 and
// named by a hash of the session ID, so listing the directory reveals no ID;
// a directory that other users can write to (group- or world-writable) is
// refused with an error saying how to fix it.
func NewFileStore(dir string) (*FileStore, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("session: NewFileStore: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("session: NewFileStore: %w", err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("session: NewFileStore: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("session: NewFileStore: %s is not a directory", abs)
	}
	if perm := info.Mode().Perm(); perm&0o022 != 0 {
		return nil, fmt.Errorf("session: NewFileStore: directory %s has mode %v, so other users can add, replace or delete session files in it (planting a session or logging users out); fix: chmod go-w %s (0700 is best), or pass a directory only this user can write", abs, perm, abs)
	}
	s := &FileStore{dir: abs, locals: newIDLocks(), SweepInterval: DefaultSweepInterval, created: time.Now().UnixNano()}
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

func (s *FileStore) path(name, suffix string) string {
	return s.dir + string(os.PathSeparator) + name + suffix
}

// fileNameLength is the length of the names fileName returns.
var fileNameLength = base64.RawURLEncoding.EncodedLen(sha256.Size)

// fileName returns the name of id's files: its SHA-256 hash in unpadded
// base64url. IDs have 192 random bits, so the hash cannot be turned back
// into the ID a cookie needs.
func fileName(id string) string {
	sum := sha256.Sum256([]byte(id))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// validFileName reports whether name has the form fileName produces.
func validFileName(name string) bool {
	if len(name) != fileNameLength {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(name)
	return err == nil
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
	data, _, err := s.read(fileName(id))
	return data, err
}

// read returns the live record of the session whose files are name and whether a record file exists.
func (s *FileStore) read(name string) ([]byte, bool, error) {
	b, err := os.ReadFile(s.path(name, dataSuffix))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("session: FileStore: reading session file: %w", err)
	}
	if len(b) < fileHeader || !bytes.Equal(b[:4], fileMagic) {
		s.logger().Error("session: FileStore: damaged session file treated as absent", "file", name+dataSuffix, "size", len(b))
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
	l, data, _, err := s.lock(ctx, id, true, nil)
	return l, data, err
}

func (s *FileStore) lock(ctx context.Context, id string, wait bool, _ *memLock) (Lock, []byte, bool, error) {
	if err := checkID(id); err != nil {
		return nil, nil, false, err
	}
	return s.lockName(ctx, fileName(id), wait)
}

// lockName locks the session whose files are name.
func (s *FileStore) lockName(ctx context.Context, name string, wait bool) (Lock, []byte, bool, error) {
	local, waited, err := s.locals.acquire(ctx, name, wait)
	if local == nil {
		return nil, nil, waited, err
	}
	f, fwaited, err := s.flock(ctx, name, wait)
	if f == nil {
		s.locals.release(name, local)
		return nil, nil, waited || fwaited, err
	}
	data, exists, err := s.read(name)
	if err != nil {
		f.Close()
		s.locals.release(name, local)
		return nil, nil, true, err
	}
	s.maybeSweep()
	return &fileLock{s: s, name: name, f: f, local: local, exists: exists}, data, waited || fwaited, nil
}

func (s *FileStore) self() Store { return s }

// flock opens name's lock file and locks it exclusively. It returns a nil
// file (and a nil error when !wait) when the lock is busy.
func (s *FileStore) flock(ctx context.Context, name string, wait bool) (*os.File, bool, error) {
	path := s.path(name, lockSuffix)
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
	name   string // of the session's files
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
		err = l.s.write(l.name, data, expiry)
	case !l.exists:
		err = removeIfExists(l.s.path(l.name, lockSuffix))
	}
	l.end()
	return err
}

// Delete removes the record and its lock file, then releases the lock.
func (l *fileLock) Delete(context.Context) error {
	if l.done.Swap(true) {
		return ErrLockReleased
	}
	err := removeIfExists(l.s.path(l.name, dataSuffix))
	if err == nil {
		err = removeIfExists(l.s.path(l.name, lockSuffix))
	}
	l.end()
	return err
}

func (l *fileLock) end() {
	l.f.Close() // closing the only descriptor releases the flock
	l.s.locals.release(l.name, l.local)
}

func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("session: FileStore: %w", err)
	}
	return nil
}

// write replaces name's record atomically: temp file, fsync, rename.
func (s *FileStore) write(name string, data []byte, expiry time.Time) error {
	f, err := os.CreateTemp(s.dir, tmpPrefix+name+"-*")
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
		err = os.Rename(tmp, s.path(name, dataSuffix))
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
	due := next
	if due == 0 {
		// SweepInterval may have been set after NewFileStore: read it now.
		due = s.created + int64(s.SweepInterval)
	}
	if now < due || !s.nextSweep.CompareAndSwap(next, now+int64(s.SweepInterval)) {
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
			key := strings.TrimSuffix(strings.TrimSuffix(name, dataSuffix), lockSuffix)
			if !validFileName(key) {
				continue
			}
			if strings.HasSuffix(name, lockSuffix) {
				if _, err := os.Stat(s.path(key, dataSuffix)); err == nil {
					continue // judged with its record
				}
			}
			if s.sweepOne(ctx, key) {
				removed++
			}
		}
	}
	return removed, nil
}

// sweepOne deletes the files of the session named name if it has no live
// record and nobody holds it.
func (s *FileStore) sweepOne(ctx context.Context, name string) bool {
	if data, exists, err := s.read(name); err != nil || data != nil || (!exists && !fileExists(s.path(name, lockSuffix))) {
		return false
	}
	l, data, _, err := s.lockName(ctx, name, false)
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
