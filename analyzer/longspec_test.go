package analyzer

import (
	"go/types"
	"testing"
)

// TestLongSetMatch checks the matcher on functions, methods and interface
// methods built with go/types, for each form of entry.
func TestLongSetMatch(t *testing.T) {
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
		var ls longSet
		if err := ls.add(tc.entry); err != nil {
			t.Fatalf("add(%q): %v", tc.entry, err)
		}
		for _, f := range tc.yes {
			if !ls.match(f) {
				t.Errorf("%s does not match %s", tc.entry, fullName(f))
			}
		}
		for _, f := range tc.no {
			if ls.match(f) {
				t.Errorf("%s matches %s", tc.entry, fullName(f))
			}
		}
	}
}

func TestRepoRoot(t *testing.T) {
	for path, want := range map[string]string{
		"github.com/acme/app/handlers": "github.com/acme/app",
		"github.com/acme/app":          "github.com/acme/app",
		"wiring/handlers":              "wiring",
		"sessionlib":                   "sessionlib",
		"example.com/x":                "example.com",
	} {
		if got := repoRoot(path); got != want {
			t.Errorf("repoRoot(%q) = %q, want %q", path, got, want)
		}
	}
}
