package analyzer

import (
	"fmt"
	"strings"

	"github.com/sessionlock/sessionlock/analyzer/internal/directive"
	"github.com/sessionlock/sessionlock/analyzer/internal/report"
)

// role is what a //sessionlock: directive says a function does. A function
// with a role is taken at its word: its body is not analysed.
type role = directive.Role

// The roles, one per directive.
const (
	roleSource        = directive.Source        // returns the request's session
	roleAcquire       = directive.Acquire       // takes the lock
	roleRelease       = directive.Release       // saves and drops the lock
	roleWrite         = directive.Write         // changes session data
	roleServeHeld     = directive.ServeHeld     // handler runs with the lock held
	roleServeExplicit = directive.ServeExplicit // handler runs unlocked until it acquires
	roleServeReadOnly = directive.ServeReadOnly // handler never holds the lock
	roleLong          = directive.Long          // blocks
	roleServe         = directive.ServeAny
)

// funcFact is the object fact the analyzer attaches to a function that
// matters to session locking: one carrying a directive, or one that blocks,
// writes the session, releases or acquires its lock (directly or through
// calls). Importing packages judge calls to the function from it.
//
// Traces are callee names as seen from the function's own package, ending at
// the blocking call or the write: a function Build whose fact has Blocks
// [fetchRates net/http.Get] calls fetchRates, which calls net/http.Get.
type funcFact struct {
	Role role // directives on the function; when set, nothing else is inferred

	Blocks     []string // a blocking call reached from entry before any release or acquire
	BlocksWait bool     // Blocks ends at a wait for goroutines (WaitGroup.Wait), not at I/O
	Writes     []string // a session write reached from entry before any release or acquire

	Releases bool // some path returns with the lock released by this function
	Acquires bool // some path returns with the lock (re)taken by this function
	Always   bool // no path returns with the lock state it was called in

	AcquireFirst bool // an acquire is reached from entry before any release (explicit mode)
	Handler      bool // checked as a handler in held mode in its own package
	Obtains      bool // gets the request's session, from a source or through helpers

	Serve    uint8     // a wrapper derived from a //sessionlock:serve one: the mode it serves in
	ServeArg uint8     // the parameter it serves
	Result   *funcFact // the handlers it returns, as a handler's fact (traces start at the handler)

	Registers    *funcFact // the handlers it registers on a router parameter, as Result
	RegistersArg uint8     // that parameter's index plus one

	// Sites lists every blocking call a handler makes from entry, for a
	// handler judged where another package registers it (one that never
	// touches the session): that package reports one finding per site.
	Sites []site
}

// site is a blocking call inside a handler, for a report made elsewhere.
type site struct {
	At    string   // dir/file.go:line of the call
	Trace []string // the call, then its own trace
}

// AFact marks funcFact as an analysis.Fact.
func (*funcFact) AFact() {}

// String is the fact in the form used by analysistest fact expectations,
// for example "blocks(fetchRates → net/http.Get) releases".
func (f *funcFact) String() string {
	var parts []string
	if f.Role != 0 {
		parts = append(parts, "role("+f.Role.String()+")")
	}
	if len(f.Blocks) > 0 {
		parts = append(parts, fmt.Sprintf("blocks(%s)", trace(f.Blocks)))
	}
	if len(f.Writes) > 0 {
		parts = append(parts, fmt.Sprintf("writes(%s)", trace(f.Writes)))
	}
	for _, b := range []struct {
		on   bool
		name string
	}{
		{f.Releases, "releases"},
		{f.Acquires, "acquires"},
		{f.Always, "always"},
		{f.AcquireFirst, "acquire-first"},
		{f.Handler, "handler"},
		{f.Obtains, "obtains"},
	} {
		if b.on {
			parts = append(parts, b.name)
		}
	}
	if f.Serve != 0 {
		parts = append(parts, fmt.Sprintf("serves(%s, arg %d)", mode(f.Serve), f.ServeArg))
	}
	if f.Result != nil {
		parts = append(parts, "returns("+f.Result.String()+")")
	}
	if f.Registers != nil {
		parts = append(parts, fmt.Sprintf("registers(arg %d: %s)", f.RegistersArg-1, f.Registers))
	}
	if len(f.Sites) > 1 {
		parts = append(parts, fmt.Sprintf("sites(%d)", len(f.Sites)))
	}
	return strings.Join(parts, " ")
}

// empty reports whether the fact says nothing a caller could use.
func (f *funcFact) empty() bool {
	return f.Role == 0 && len(f.Blocks) == 0 && len(f.Writes) == 0 && !f.Releases && !f.Acquires &&
		!f.Obtains && f.Serve == 0 && f.Result == nil && f.Registers == nil
}

// trace joins call names with arrows.
func trace(names []string) string { return report.Trace(names) }
