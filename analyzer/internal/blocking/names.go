package blocking

import "go/types"

// RecvName is the name of fn's receiver type without pointer, as entries
// name it ("DB" for (*database/sql.DB).Query), or "" for a function.
func RecvName(fn *types.Func) string {
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

// FullName is fn in the syntax of an entry: "net/http.Get",
// "(*database/sql.DB).Query". An entry of that text matches fn.
func FullName(fn *types.Func) string {
	if fn.Pkg() == nil {
		return fn.Name()
	}
	if r := RecvName(fn); r != "" {
		star := ""
		if ptrRecv(fn) {
			star = "*"
		}
		return "(" + star + fn.Pkg().Path() + "." + r + ")." + fn.Name()
	}
	return fn.Pkg().Path() + "." + fn.Name()
}
