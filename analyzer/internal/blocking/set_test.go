package blocking

import (
	"go/types"
	"strconv"
	"strings"
	"testing"
)

// TestSetMatch checks the matcher on functions, methods and interface
// methods built with go/types, for each form of entry.
func TestSetMatch(t *testing.T) {
	pkg := types.NewPackage("example.com/app/store", "store")
	other := types.NewPackage("example.com/app/db", "db")
	fn := func(p *types.Package, name string) *types.Func {
		return types.NewFunc(0, p, name, types.NewSignatureType(nil, nil, nil, nil, nil, false))
	}
	method := func(p *types.Package, typ, name string, ptr, iface bool) *types.Func {
		var under types.Type = types.NewStruct(nil, nil)
		if iface {
			under = types.NewInterfaceType(nil, nil)
		}
		n := types.NewNamed(types.NewTypeName(0, p, typ, nil), under, nil)
		var rt types.Type = n
		if ptr {
			rt = types.NewPointer(n)
		}
		recv := types.NewVar(0, p, "x", rt)
		return types.NewFunc(0, p, name, types.NewSignatureType(recv, nil, nil, nil, nil, false))
	}
	load := fn(pkg, "Load")
	dbQuery := method(other, "DB", "QueryRow", true, false)
	dbClose := method(other, "DB", "Close", true, false)
	find := method(pkg, "UserStore", "Find", false, true)
	open := fn(other, "Open")
	for _, tc := range []struct {
		entry string
		yes   []*types.Func
		no    []*types.Func
	}{
		{"example.com/app/store.*", []*types.Func{load, find}, []*types.Func{dbQuery, open}},
		{"example.com/app/store.Load", []*types.Func{load}, []*types.Func{find}},
		{"(*example.com/app/db.DB).Query*", []*types.Func{dbQuery}, []*types.Func{dbClose, open}},
		{"(example.com/app/db.DB).*", []*types.Func{dbQuery, dbClose}, []*types.Func{open}},
		{"(example.com/app/store.UserStore).Find", []*types.Func{find}, []*types.Func{load}},
		{"example.com/app/db.Op*", []*types.Func{open}, []*types.Func{dbQuery}},
	} {
		var ls Set
		if err := ls.Add(tc.entry); err != nil {
			t.Fatalf("add(%q): %v", tc.entry, err)
		}
		for _, f := range tc.yes {
			if !ls.Match(f) {
				t.Errorf("%s does not match %s", tc.entry, FullName(f))
			}
		}
		for _, f := range tc.no {
			if ls.Match(f) {
				t.Errorf("%s matches %s", tc.entry, FullName(f))
			}
		}
	}
}

// TestSetAddRejects checks that a malformed entry gives an error naming it
// and the syntax, and leaves the set as it was.
func TestSetAddRejects(t *testing.T) {
	for _, bad := range []string{
		"Sleep", "time.", ".Sleep", "(*time.Timer", "(*Timer).Stop", "(*time.Timer).",
		"time.Sleep extra", "(*time.Timer).Stop.x", "pkg/.F", "time.(Sleep)", "../time.Sleep",
		"example.com/app.Fo*o", "(*example.com/app.T).*x", "example.com//app.*", "(*example.com/app.*).M", "*.Sleep",
	} {
		var s Set
		err := s.Add(bad)
		if err == nil {
			t.Errorf("Add(%q) = nil, want an error", bad)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, strconv.Quote(bad)) || !strings.Contains(msg, Syntax) {
			t.Errorf("Add(%q) error %q does not name the entry and the syntax", bad, msg)
		}
		if s.n != 0 || len(s.byPath) != 0 {
			t.Errorf("Add(%q) failed but added %d entries", bad, s.n)
		}
	}
}

// TestFullNameMatches checks that FullName writes an entry that names the
// function, and only it.
func TestFullNameMatches(t *testing.T) {
	pkg := types.NewPackage("example.com/app/db", "db")
	sig := func(recv *types.Var) *types.Signature {
		return types.NewSignatureType(recv, nil, nil, nil, nil, false)
	}
	pool := types.NewNamed(types.NewTypeName(0, pkg, "Pool", nil), types.NewStruct(nil, nil), nil)
	open := types.NewFunc(0, pkg, "Open", sig(nil))
	exec := types.NewFunc(0, pkg, "Exec", sig(types.NewVar(0, pkg, "p", types.NewPointer(pool))))
	stats := types.NewFunc(0, pkg, "Stats", sig(types.NewVar(0, pkg, "p", pool)))
	for fn, want := range map[*types.Func]string{
		open:  "example.com/app/db.Open",
		exec:  "(*example.com/app/db.Pool).Exec",
		stats: "(example.com/app/db.Pool).Stats",
	} {
		if got := FullName(fn); got != want {
			t.Errorf("FullName(%s) = %q, want %q", fn, got, want)
		}
		var s Set
		if err := s.Add(FullName(fn)); err != nil {
			t.Fatal(err)
		}
		for _, other := range []*types.Func{open, exec, stats} {
			if got := s.Match(other); got != (other == fn) {
				t.Errorf("entry %s: Match(%s) = %v", FullName(fn), other, got)
			}
		}
	}
	// error's Error method belongs to no package: its name is all there is.
	errorMethod := types.Universe.Lookup("error").Type().Underlying().(*types.Interface).Method(0)
	if got := FullName(errorMethod); got != "Error" {
		t.Errorf("FullName(error.Error) = %q, want Error", got)
	}
	var all Set
	if err := all.Add("example.com/app/db.*"); err != nil {
		t.Fatal(err)
	}
	if all.Match(errorMethod) {
		t.Error("a method of no package matched example.com/app/db.*")
	}
}
