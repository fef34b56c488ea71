package analyzer

import (
	"go/types"
	"strings"
)

// stdBlocking lists, per standard package, the functions and methods that
// block by default. Methods are keyed "Type.Method" (receiver without star).
var stdBlocking = map[string]map[string]bool{
	"time": set("Sleep"),
	"net/http": set(
		"Get", "Head", "Post", "PostForm",
		"Client.Do", "Client.Get", "Client.Head", "Client.Post", "Client.PostForm"),
	"database/sql": sqlBlocking(),
	"os/exec":      set("Cmd.Run", "Cmd.Output", "Cmd.CombinedOutput", "Cmd.Wait"),
	"sync":         set("WaitGroup.Wait", "Cond.Wait"),
}

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// sqlBlocking is every round trip to the database on DB, Conn, Tx and Stmt.
func sqlBlocking() map[string]bool {
	m := make(map[string]bool)
	for _, t := range []string{"DB", "Conn", "Tx", "Stmt"} {
		for _, meth := range []string{
			"Query", "QueryContext", "QueryRow", "QueryRowContext",
			"Exec", "ExecContext", "Ping", "PingContext",
			"Begin", "BeginTx", "Commit",
		} {
			m[t+"."+meth] = true
		}
	}
	return m
}

// isStdBlocking reports whether fn is in the default blocking set.
func isStdBlocking(fn *types.Func) bool {
	pkg := fn.Pkg()
	if pkg == nil {
		return false
	}
	path := pkg.Path()
	recv := recvName(fn)
	if path == "net" {
		switch recv {
		case "":
			return strings.HasPrefix(fn.Name(), "Dial") || strings.HasPrefix(fn.Name(), "Lookup")
		case "Dialer":
			return strings.HasPrefix(fn.Name(), "Dial")
		case "Resolver":
			return strings.HasPrefix(fn.Name(), "Lookup")
		}
		return false
	}
	names := stdBlocking[path]
	if names == nil {
		return false
	}
	if recv != "" {
		return names[recv+"."+fn.Name()]
	}
	return names[fn.Name()]
}

// isTimerChan reports whether fn is time.After or time.Tick, whose channel
// blocks the receiver.
func isTimerChan(fn *types.Func) bool {
	return fn.Pkg() != nil && fn.Pkg().Path() == "time" && recvName(fn) == "" &&
		(fn.Name() == "After" || fn.Name() == "Tick")
}

// recvName is the name of fn's receiver type without pointer, or "".
func recvName(fn *types.Func) string {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return ""
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// ptrRecv reports whether fn's receiver is a pointer.
func ptrRecv(fn *types.Func) bool {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return false
	}
	_, ok = sig.Recv().Type().(*types.Pointer)
	return ok
}

// funcKey is the normalised -long key of fn: "pkg/path.Func" or
// "pkg/path.Type.Method".
func funcKey(fn *types.Func) string {
	if fn.Pkg() == nil {
		return ""
	}
	if r := recvName(fn); r != "" {
		return fn.Pkg().Path() + "." + r + "." + fn.Name()
	}
	return fn.Pkg().Path() + "." + fn.Name()
}

// fullName is fn in -long syntax: "net/http.Get", "(*database/sql.DB).Query".
func fullName(fn *types.Func) string {
	if fn.Pkg() == nil {
		return fn.Name()
	}
	if r := recvName(fn); r != "" {
		star := ""
		if ptrRecv(fn) {
			star = "*"
		}
		return "(" + star + fn.Pkg().Path() + "." + r + ")." + fn.Name()
	}
	return fn.Pkg().Path() + "." + fn.Name()
}

// shortName is fn as written from package from: "fetchRates", "T.Get",
// "reports.Build", "store.DB.Load".
func shortName(fn *types.Func, from *types.Package) string {
	name := fn.Name()
	if r := recvName(fn); r != "" {
		name = r + "." + name
	}
	if fn.Pkg() != nil && fn.Pkg() != from {
		name = fn.Pkg().Name() + "." + name
	}
	return name
}
