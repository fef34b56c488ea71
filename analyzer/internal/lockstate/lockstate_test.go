package lockstate

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"

	"golang.org/x/tools/go/cfg"
)

func TestTransfers(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want Set
	}{
		{"release", Release(Held | Entry), Released},
		{"acquire", Acquire(Released), Held},
		{"release unreachable", Release(0), 0},
		{"acquire unreachable", Acquire(0), 0},
		{"helper that may release", Call(Held, true, false, false), Held | Released},
		{"helper that always releases", Call(Held, true, false, true), Released},
		{"helper that may acquire", Call(Released, false, true, false), Released | Held},
		{"helper that does nothing to the lock", Call(Entry, false, false, false), Entry},
		{"helper, unreachable", Call(0, true, true, false), 0},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %04b, want %04b", c.name, c.got, c.want)
		}
	}
}

// build returns the CFG of the body of f in src, and for each block
// whether it calls release() or acquire() (in order).
func build(t *testing.T, src string) (*cfg.CFG, [][]string) {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", "package x\n"+src, 0)
	if err != nil {
		t.Fatal(err)
	}
	body := f.Decls[0].(*ast.FuncDecl).Body
	g := cfg.New(body, func(c *ast.CallExpr) bool { return callName(c) != "panic" })
	calls := make([][]string, len(g.Blocks))
	for i, b := range g.Blocks {
		for _, n := range b.Nodes {
			ast.Inspect(n, func(x ast.Node) bool {
				if c, ok := x.(*ast.CallExpr); ok {
					if n := callName(c); n == "release" || n == "acquire" {
						calls[i] = append(calls[i], n)
					}
				}
				return true
			})
		}
	}
	return g, calls
}

func apply(calls [][]string) func(int32, Set) Set {
	return func(i int32, s Set) Set {
		for _, c := range calls[i] {
			if c == "release" {
				s = Release(s)
			} else {
				s = Acquire(s)
			}
		}
		return s
	}
}

func TestFlowAndExit(t *testing.T) {
	for _, c := range []struct {
		src  string
		exit Set
	}{
		{"func f() { work() }", Held},
		{"func f() { release() }", Released},
		{"func f(b bool) { if b { release() } }", Held | Released},
		{"func f(b bool) { if b { release(); acquire() } }", Held},
		{"func f(n int) { for i := 0; i < n; i++ { if i > 1 { release() } else { acquire() } } }", Held | Released},
		{"func f(b bool) { if b { release(); panic(1) } }", Held},
	} {
		g, calls := build(t, c.src)
		ap := apply(calls)
		in := Flow(g, Held, ap)
		skip := func(b *cfg.Block) bool {
			if len(b.Nodes) == 0 {
				return false
			}
			es, ok := b.Nodes[len(b.Nodes)-1].(*ast.ExprStmt)
			if !ok {
				return false
			}
			call, ok := es.X.(*ast.CallExpr)
			return ok && callName(call) == "panic"
		}
		if got := Exit(g, in, ap, skip); got != c.exit {
			t.Errorf("%s: exit %04b, want %04b", c.src, got, c.exit)
		}
	}
}

func callName(call *ast.CallExpr) string {
	if id, ok := call.Fun.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

func TestFlowEmpty(t *testing.T) {
	if in := Flow(&cfg.CFG{}, Held, nil); len(in) != 0 {
		t.Fatalf("Flow of an empty graph = %v, want nothing", in)
	}
}
