// Package report words the analyzer's findings and reports each once. It
// knows nothing of how a finding was found: a finding is a category, what
// it is about, the trace to the blocking call or write, and what the user
// can do.
package report

import (
	"fmt"
	"strings"
)

// The diagnostic categories.
const (
	LongCall          = "long-call-under-lock"
	WriteAfterRelease = "write-after-release"
	WriteWithoutLock  = "write-without-lock"
	WriteInGoroutine  = "write-in-goroutine"
)

// Finding is one finding before it is worded.
type Finding struct {
	Category string
	Name     string   // the call, or "handler pkg.F", the finding is about
	At       string   // where in another package the blocking call is (dir/file.go:line), if elsewhere
	Trace    []string // the calls from Name to the blocking call or write
	ReadOnly bool     // write-without-lock: in a read-only handler (else explicit, before acquiring)
	Hint     string   // long calls: how to release the lock here
}

// Message words f: what happened, then what to do.
func Message(f Finding) string {
	switch f.Category {
	case LongCall:
		where, via := "", ""
		if f.At != "" {
			where = " at " + f.At
		}
		if len(f.Trace) > 1 {
			via = " (" + Trace(f.Trace) + ")"
		}
		return fmt.Sprintf("%s blocks%s while the session lock is held%s: other requests of this session wait (%s)", f.Name, where, via, f.Hint)
	case WriteAfterRelease:
		return fmt.Sprintf("%s after its lock was released: the change is not saved (write before releasing, or re-acquire the lock with AcquireLock first)", writes(f))
	case WriteWithoutLock:
		if f.ReadOnly {
			return fmt.Sprintf("%s in a read-only handler: the change is not saved (serve the handler with a locking wrapper, or drop the write)", writes(f))
		}
		return fmt.Sprintf("%s before its lock is taken (explicit mode): the change is not saved (call AcquireLock first)", writes(f))
	case WriteInGoroutine:
		return fmt.Sprintf("%s in a goroutine started by the handler: it runs after the session lock is gone and the change is lost (write before starting the goroutine)", writes(f))
	}
	return f.Name
}

// writes opens a write finding's message: the call, and the trace to the
// write when it goes through helpers.
func writes(f Finding) string {
	if len(f.Trace) > 1 {
		return fmt.Sprintf("%s writes the session (%s)", f.Name, Trace(f.Trace))
	}
	return f.Name + " writes the session"
}

// Trace joins call names with arrows.
func Trace(names []string) string { return strings.Join(names, " → ") }

// Once remembers the findings reported, so that each is reported once: a
// handler served in several modes is checked once per mode, and one
// registration may report several calls of its handler (different
// messages at one place).
type Once[P comparable] struct {
	seen map[key[P]]bool
}

type key[P comparable] struct {
	pos           P
	category, msg string
}

// First reports whether the finding at pos with this category and message
// is new, and remembers it.
func (o *Once[P]) First(pos P, category, msg string) bool {
	k := key[P]{pos, category, msg}
	if o.seen[k] {
		return false
	}
	if o.seen == nil {
		o.seen = make(map[key[P]]bool)
	}
	o.seen[k] = true
	return true
}
