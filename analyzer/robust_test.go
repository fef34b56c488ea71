package analyzer_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/sessionlock/sessionlock/analyzer"
)

// lib is an in-package session library, so the sources below need no
// imports and can be type-checked without the go command.
const lib = `
type Request struct{}
type Session struct{}

//sessionlock:source
func From(r *Request) *Session { return nil }

//sessionlock:write
func (s *Session) Set(k string, v any) {}

//sessionlock:release
func (s *Session) ReleaseLock() error { return nil }

//sessionlock:long
func Slow() {}

//sessionlock:serve held
func Wrap(h func(w any, r *Request)) func(w any, r *Request) { return h }
`

// runOn type-checks src (errors allowed) and runs the analyzer on whatever
// the checker produced, as drivers do for analyzers that run despite
// errors. It returns the messages reported.
func runOn(t *testing.T, src string) []string {
	t.Helper()
	var msgs []string
	for _, d := range runDiags(t, src) {
		msgs = append(msgs, d.Category+": "+d.Message)
	}
	return msgs
}

func runDiags(t *testing.T, src string) []analysis.Diagnostic {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", "package p\n"+lib+src, parser.ParseComments|parser.AllErrors)
	if f == nil {
		t.Fatalf("parse: %v", err)
	}
	info := &types.Info{
		Types:      make(map[ast.Expr]types.TypeAndValue),
		Defs:       make(map[*ast.Ident]types.Object),
		Uses:       make(map[*ast.Ident]types.Object),
		Selections: make(map[*ast.SelectorExpr]*types.Selection),
		Scopes:     make(map[ast.Node]*types.Scope),
		Instances:  make(map[*ast.Ident]types.Instance),
	}
	conf := types.Config{Error: func(error) {}}
	pkg, _ := conf.Check("p", fset, []*ast.File{f}, info)
	var diags []analysis.Diagnostic
	pass := &analysis.Pass{
		Analyzer:          analyzer.Analyzer,
		Fset:              fset,
		Files:             []*ast.File{f},
		Pkg:               pkg,
		TypesInfo:         info,
		TypesSizes:        types.SizesFor("gc", "amd64"),
		ResultOf:          map[*analysis.Analyzer]any{},
		Report:            func(d analysis.Diagnostic) { diags = append(diags, d) },
		ImportObjectFact:  func(types.Object, analysis.Fact) bool { return false },
		ExportObjectFact:  func(types.Object, analysis.Fact) {},
		ImportPackageFact: func(*types.Package, analysis.Fact) bool { return false },
		ExportPackageFact: func(analysis.Fact) {},
		AllObjectFacts:    func() []analysis.ObjectFact { return nil },
		AllPackageFacts:   func() []analysis.PackageFact { return nil },
	}
	if _, err := analyzer.Analyzer.Run(pass); err != nil {
		t.Fatalf("run: %v", err)
	}
	return diags
}

func TestRobustOnBrokenCode(t *testing.T) {
	for name, src := range map[string]string{
		"undefined callee": `func h(w any, r *Request) { s := From(r); undefinedCall(s); s.Nope(); Slow() }`,
		"wrong arity":      `func h(w any, r *Request) { s := From(r, 1, 2); s.Set(); s.ReleaseLock(1); Slow(2) }`,
		"missing body":     `func h(w any, r *Request)` + "\n" + `func g() { h(nil, nil) }`,
		"bad generics":     `type G[T any] struct{}; func (g *G[T]) M() { Slow() }; func h(w any, r *Request) { var g G[undefinedType]; g.M(); _ = From(r) }`,
		"syntax garbage":   `func h(w any, r *Request) { s := From(r); if { s.Set("k", 1) }; for range { Slow() } }`,
		"bad registration": `var x = Wrap(undefinedHandler); var y = Wrap(func(w any) {}); var z = Wrap()`,
		"goto and labels":  `func h(w any, r *Request) { s := From(r); L: s.ReleaseLock(); goto L; s.Set("k", 1) }`,
		"select and defer": `func h(w any, r *Request) { s := From(r); defer func() { recover() }(); select {}; s.Set("k", 1) }`,
		"method on nil":    `func (*Missing) M() { Slow() }; func h(w any, r *Request) { var m *Missing; m.M() }`,
	} {
		t.Run(name, func(t *testing.T) {
			runOn(t, src) // must not panic
		})
	}
}

// The same harness on valid code finds what analysistest finds, so the
// test above exercises the real paths.
func TestRobustHarnessReports(t *testing.T) {
	msgs := runOn(t, `
func h(w any, r *Request) {
	s := From(r)
	Slow()
	s.ReleaseLock()
	s.Set("k", 1)
}
func page(w any, r *Request) { Slow() }
var served = Wrap(page)
`)
	want := []string{
		"long-call-under-lock: Slow blocks while the session lock is held",
		"write-after-release: s.Set writes the session after its lock was released",
		"long-call-under-lock: Slow blocks while the session lock is held: other requests of this session wait (release the session lock",
	}
	if len(msgs) != len(want) {
		t.Fatalf("got %d findings %q, want %d", len(msgs), msgs, len(want))
	}
	for _, w := range want {
		found := false
		for _, m := range msgs {
			found = found || strings.HasPrefix(m, w)
		}
		if !found {
			t.Errorf("no finding starts with %q in %q", w, msgs)
		}
	}
}

// A finding through helpers names the trace and points at each call on it.
func TestRelatedTrace(t *testing.T) {
	src := `
func h(w any, r *Request) {
	_ = From(r)
	build()
}
func build() { fetch() }
func fetch() { Slow() }
`
	ds := runDiags(t, src)
	if len(ds) != 1 {
		t.Fatalf("got %d findings, want 1: %v", len(ds), ds)
	}
	d := ds[0]
	if !strings.Contains(d.Message, "(build → fetch → Slow)") {
		t.Errorf("message %q lacks the trace", d.Message)
	}
	var rel []string
	for _, r := range d.Related {
		rel = append(rel, r.Message)
	}
	if want := []string{"build calls fetch here", "fetch calls Slow here"}; strings.Join(rel, "|") != strings.Join(want, "|") {
		t.Errorf("related = %q, want %q", rel, want)
	}
}
