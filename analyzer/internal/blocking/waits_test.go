package blocking

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"sync"
	"testing"
)

// waitsSrc uses each kind of wait the package recognises, and lookalikes
// that it must not: a Wait of another type, a method named After, a
// channel that is not a timer's, a struct with a field C.
const waitsSrc = `package p

import (
	"sync"
	"time"
)

type Group struct{}

func (*Group) Wait() error { return nil }

type Pool struct{}

func (Pool) Wait() {}

type clock struct{ C chan int }

func (clock) After(time.Duration) <-chan time.Time { return nil }

func f(wg *sync.WaitGroup, c *sync.Cond, g *Group, p Pool, t *time.Timer, tk time.Ticker, ck clock, ch chan int) {
	wg.Wait()
	c.Wait()
	g.Wait()
	p.Wait()
	<-time.After(1)
	<-time.Tick(1)
	<-t.C
	<-tk.C
	<-ck.C
	<-ck.After(1)
	<-ch
	time.Sleep(1)
	time.NewTimer(1)
	time.NewTicker(1)
	time.AfterFunc(1, nil)
	t.Stop()

	select {
	case <-ch:
	case v := <-time.After(1):
		_ = v
	}
	select {
	case <-ch:
	case x := <-ck.C:
		_ = x
	default:
		<-time.After(1) // in a case body: not a case of the select
	}
}
`

// checkWaits type-checks waitsSrc, once for all tests.
func checkWaits(t *testing.T) (*ast.File, *types.Info) {
	t.Helper()
	c := checkedWaits()
	if c.err != nil {
		t.Fatal(c.err)
	}
	return c.f, c.info
}

type checked struct {
	f    *ast.File
	info *types.Info
	err  error
}

var checkedWaits = sync.OnceValue(func() checked {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", waitsSrc, 0)
	if err != nil {
		return checked{err: err}
	}
	info := &types.Info{
		Types:      make(map[ast.Expr]types.TypeAndValue),
		Uses:       make(map[*ast.Ident]types.Object),
		Selections: make(map[*ast.SelectorExpr]*types.Selection),
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	_, err = conf.Check("p", fset, []*ast.File{f}, info)
	return checked{f, info, err}
})

// calledFuncs maps each called function's FullName to it.
func calledFuncs(f *ast.File, info *types.Info) map[string]*types.Func {
	fns := make(map[string]*types.Func)
	ast.Inspect(f, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
				if fn, ok := info.Uses[sel.Sel].(*types.Func); ok {
					fns[FullName(fn)] = fn
				}
			}
		}
		return true
	})
	return fns
}

func TestFuncPredicates(t *testing.T) {
	f, info := checkWaits(t)
	fns := calledFuncs(f, info)
	preds := []struct {
		name string
		is   func(*types.Func) bool
		yes  []string
	}{
		{"IsSyncWait", IsSyncWait, []string{"(*sync.WaitGroup).Wait", "(*sync.Cond).Wait"}},
		{"IsJoin", IsJoin, []string{"(*sync.WaitGroup).Wait", "(*p.Group).Wait"}},
		{"IsTimerChan", IsTimerChan, []string{"time.After", "time.Tick"}},
		{"IsTimerFunc", IsTimerFunc, []string{"time.After", "time.Tick", "time.NewTimer", "time.NewTicker", "time.AfterFunc"}},
		{"IsAfterFunc", IsAfterFunc, []string{"time.AfterFunc"}},
		{"IsModel", IsModel, []string{"time.Sleep"}},
	}
	for _, p := range preds {
		yes := make(map[string]bool)
		for _, name := range p.yes {
			if fns[name] == nil {
				t.Fatalf("the source calls no %s", name)
			}
			yes[name] = true
		}
		for name, fn := range fns {
			if got := p.is(fn); got != yes[name] {
				t.Errorf("%s(%s) = %v, want %v", p.name, name, got, yes[name])
			}
		}
	}
	if len(fns) != 12 {
		t.Errorf("found %d called functions, want the source's 12: %v", len(fns), fns)
	}
}

func TestTimerRecv(t *testing.T) {
	f, info := checkWaits(t)
	var got []string
	ast.Inspect(f, func(n ast.Node) bool {
		if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.ARROW {
			got = append(got, TimerRecv(info, u.X))
		}
		return true
	})
	want := []string{
		"<-time.After", "<-time.Tick", "<-(*time.Timer).C", "<-(*time.Ticker).C", "", "", "", // statements
		"", "<-time.After", // first select
		"", "", "<-time.After", // second select, the last in its default case
	}
	if len(got) != len(want) {
		t.Fatalf("TimerRecv over the receives = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("receive %d: TimerRecv = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestHasTimerCase(t *testing.T) {
	f, info := checkWaits(t)
	var got []bool
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectStmt); ok {
			got = append(got, HasTimerCase(info, sel))
		}
		return true
	})
	if len(got) != 2 || !got[0] || got[1] {
		t.Fatalf("HasTimerCase of the two selects = %v, want [true false]", got)
	}
}
