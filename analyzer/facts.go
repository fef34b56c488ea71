package analyzer

import (
	"fmt"
	"strings"
)

// Role is what a //sessionlock: directive says a function does. A function
// with a role is taken at its word: its body is not analysed.
type Role uint16

// The roles, one per directive.
const (
	RoleSource        Role = 1 << iota // //sessionlock:source: returns the request's session
	RoleAcquire                        // //sessionlock:acquire: takes the lock
	RoleRelease                        // //sessionlock:release: saves and drops the lock
	RoleWrite                          // //sessionlock:write: changes session data
	RoleServeHeld                      // //sessionlock:serve held: handler runs with the lock held
	RoleServeExplicit                  // //sessionlock:serve explicit: handler runs unlocked until it acquires
	RoleServeReadOnly                  // //sessionlock:serve readonly: handler never holds the lock
	RoleLong                           // //sessionlock:long: blocks
)

const roleServe = RoleServeHeld | RoleServeExplicit | RoleServeReadOnly

var roleNames = []struct {
	r    Role
	name string
}{
	{RoleSource, "source"},
	{RoleAcquire, "acquire"},
	{RoleRelease, "release"},
	{RoleWrite, "write"},
	{RoleServeHeld, "serve=held"},
	{RoleServeExplicit, "serve=explicit"},
	{RoleServeReadOnly, "serve=readonly"},
	{RoleLong, "long"},
}

// String lists the role's names, space-separated.
func (r Role) String() string {
	var parts []string
	for _, rn := range roleNames {
		if r&rn.r != 0 {
			parts = append(parts, rn.name)
		}
	}
	return strings.Join(parts, " ")
}

// FuncFact is the object fact the analyzer attaches to a function that
// matters to session locking: one carrying a directive, or one that blocks,
// writes the session, releases or acquires its lock (directly or through
// calls). Importing packages judge calls to the function from it.
//
// Traces are callee names as seen from the function's own package, ending at
// the blocking call or the write: a function Build whose fact has Blocks
// [fetchRates net/http.Get] calls fetchRates, which calls net/http.Get.
type FuncFact struct {
	Role Role // directives on the function; when set, nothing else is inferred

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
	Result   *FuncFact // the handlers it returns, as a handler's fact (traces start at the handler)

	Registers    *FuncFact // the handlers it registers on a router parameter, as Result
	RegistersArg uint8     // that parameter's index plus one
}

// AFact marks FuncFact as an analysis.Fact.
func (*FuncFact) AFact() {}

// String is the fact in the form used by analysistest fact expectations,
// for example "blocks(fetchRates → net/http.Get) releases".
func (f *FuncFact) String() string {
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
	return strings.Join(parts, " ")
}

// empty reports whether the fact says nothing a caller could use.
func (f *FuncFact) empty() bool {
	return f.Role == 0 && len(f.Blocks) == 0 && len(f.Writes) == 0 && !f.Releases && !f.Acquires &&
		!f.Obtains && f.Serve == 0 && f.Result == nil && f.Registers == nil
}

// trace joins call names with arrows.
func trace(names []string) string { return strings.Join(names, " → ") }
