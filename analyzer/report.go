package analyzer

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"

	"github.com/sessionlock/sessionlock/analyzer/internal/report"
)

// The diagnostic categories.
const (
	CategoryLongCall          = report.LongCall
	CategoryWriteAfterRelease = report.WriteAfterRelease
	CategoryWriteWithoutLock  = report.WriteWithoutLock
	CategoryWriteInGoroutine  = report.WriteInGoroutine
)

// report emits a diagnostic unless a //sessionlock:ignore comment covers
// its line or the same finding was already reported.
func (st *state) report(d analysis.Diagnostic) {
	if st.ignored(d.Pos) || !st.reported.First(d.Pos, d.Category, d.Message) {
		return
	}
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
// analyzer goes through emit, which words it (internal/report).
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
	rf := report.Finding{Category: f.cat, Name: f.name, At: f.at, Trace: f.trace, ReadOnly: f.mode == modeReadOnly}
	if f.cat == CategoryLongCall {
		rf.Hint = st.releaseHint(f.u, f.pos)
	}
	st.report(analysis.Diagnostic{
		Pos:            f.pos,
		End:            f.end,
		Category:       f.cat,
		Message:        report.Message(rf),
		Related:        f.rel,
		SuggestedFixes: f.fixes,
	})
}

// eventFinding is the finding of category cat about event e.
func eventFinding(cat string, e *event) finding {
	return finding{cat: cat, pos: e.pos, name: e.name, trace: e.trace, rel: e.rel}
}
