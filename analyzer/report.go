package analyzer

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"
)

// The diagnostic categories.
const (
	CategoryLongCall          = "long-call-under-lock"
	CategoryWriteAfterRelease = "write-after-release"
	CategoryWriteWithoutLock  = "write-without-lock"
	CategoryWriteInGoroutine  = "write-in-goroutine"
)

type diagKey struct {
	pos token.Pos
	cat string
	msg string // one registration may report several calls of its handler
}

// report emits a diagnostic unless a //sessionlock:ignore comment covers
// its line or the same finding was already reported (a handler served in
// several modes is checked once per mode).
func (st *state) report(d analysis.Diagnostic) {
	k := diagKey{d.Pos, d.Category, d.Message}
	if st.reported[k] || st.ignored(d.Pos) {
		return
	}
	if st.reported == nil {
		st.reported = make(map[diagKey]bool)
	}
	st.reported[k] = true
	st.pass.Report(d)
}

func (st *state) ignored(pos token.Pos) bool {
	tf := st.pass.Fset.File(pos)
	if tf == nil {
		return false
	}
	if st.ignore == nil {
		st.ignore = make(map[*token.File]map[int]bool)
	}
	lines, ok := st.ignore[tf]
	if !ok {
		for _, f := range st.pass.Files {
			if f.FileStart <= pos && pos <= f.FileEnd {
				lines = ignoreLines(st.pass, f)
				break
			}
		}
		st.ignore[tf] = lines
	}
	return lines[tf.Line(pos)]
}

// releaseHint tells how to release the lock, naming the session variable in
// scope when there is one.
func (st *state) releaseHint(u *unit, pos token.Pos) string {
	if u != nil {
		if v := st.sessionVarAt(u, pos); v != nil {
			return fmt.Sprintf("release it with %s.%s() first", v.v.Name(), v.release)
		}
	}
	return "release the session lock before the call, or serve the handler read-only if it does not write the session"
}

// finding is one diagnostic before it is worded: every finding of the
// analyzer goes through emit, which words it by category.
type finding struct {
	cat      string
	pos, end token.Pos
	name     string   // the call, or "handler pkg.F", the finding is about
	at       string   // where in another package the blocking call is (dir/file.go:line), if elsewhere
	trace    []string // the calls from name to the blocking call or write
	rel      []analysis.RelatedInformation
	mode     mode  // write-without-lock: modeExplicit or modeReadOnly
	u        *unit // long calls: the unit, for the release hint
	fixes    []analysis.SuggestedFix
}

// emit words f and reports it.
func (st *state) emit(f finding) {
	var msg string
	switch f.cat {
	case CategoryLongCall:
		via := ""
		if len(f.trace) > 1 {
			via = " (" + trace(f.trace) + ")"
		}
		where := ""
		if f.at != "" {
			where = " at " + f.at
		}
		msg = fmt.Sprintf("%s blocks%s while the session lock is held%s: other requests of this session wait (%s)", f.name, where, via, st.releaseHint(f.u, f.pos))
	case CategoryWriteAfterRelease:
		msg = fmt.Sprintf("%s after its lock was released: the change is not saved (write before releasing, or re-acquire the lock with AcquireLock first)", writesWhat(f.name, f.trace))
	case CategoryWriteWithoutLock:
		msg = fmt.Sprintf("%s before its lock is taken (explicit mode): the change is not saved (call AcquireLock first)", writesWhat(f.name, f.trace))
		if f.mode == modeReadOnly {
			msg = fmt.Sprintf("%s in a read-only handler: the change is not saved (serve the handler with a locking wrapper, or drop the write)", writesWhat(f.name, f.trace))
		}
	case CategoryWriteInGoroutine:
		msg = fmt.Sprintf("%s in a goroutine started by the handler: it runs after the session lock is gone and the change is lost (write before starting the goroutine)", writesWhat(f.name, f.trace))
	}
	st.report(analysis.Diagnostic{
		Pos:            f.pos,
		End:            f.end,
		Category:       f.cat,
		Message:        msg,
		Related:        f.rel,
		SuggestedFixes: f.fixes,
	})
}

// eventFinding is the finding of category cat about event e.
func eventFinding(cat string, e *event) finding {
	return finding{cat: cat, pos: e.pos, name: e.name, trace: e.trace, rel: e.rel}
}

// writesWhat opens a write finding's message: the call, and the trace to
// the write when it goes through helpers.
func writesWhat(name string, tr []string) string {
	if len(tr) > 1 {
		return fmt.Sprintf("%s writes the session (%s)", name, trace(tr))
	}
	return name + " writes the session"
}
