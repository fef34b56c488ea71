package fix

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"testing"

	"golang.org/x/tools/go/cfg"
)

// body parses the body of a function and turns its calls into items, as
// the analyzer turns its events: write() and release() mutate, block("a")
// is candidate a. Deferred calls are not items (they run at the exits);
// DeferMutates says write() does and release() does not.
func body(t *testing.T, src string) (Body, []string) {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", "package x\nfunc f() {\n"+src+"\n}", 0)
	if err != nil {
		t.Fatal(err)
	}
	syntax := f.Decls[0].(*ast.FuncDecl).Body
	g := cfg.New(syntax, func(*ast.CallExpr) bool { return true })
	b := Body{
		Syntax: syntax,
		Blocks: g.Blocks,
		Items:  make([][]Item, len(g.Blocks)),
		DeferMutates: func(d *ast.DeferStmt) bool {
			return name(d.Call) == "write"
		},
	}
	var labels []string
	for i, blk := range g.Blocks {
		for _, n := range blk.Nodes {
			if _, ok := n.(*ast.DeferStmt); ok {
				continue
			}
			ast.Inspect(n, func(x ast.Node) bool {
				if _, ok := x.(*ast.FuncLit); ok {
					return false // a unit of its own
				}
				c, ok := x.(*ast.CallExpr)
				if !ok {
					return true
				}
				switch name(c) {
				case "write", "release":
					b.Items[i] = append(b.Items[i], Item{Node: n, Mutates: true})
				case "block":
					label, _ := strconv.Unquote(c.Args[0].(*ast.BasicLit).Value)
					labels = append(labels, label)
					b.Items[i] = append(b.Items[i], Item{Node: n, Candidate: true})
				default:
					b.Items[i] = append(b.Items[i], Item{Node: n}) // neither: ignored
				}
				return true
			})
		}
	}
	return b, labels
}

func name(c *ast.CallExpr) string {
	if id, ok := c.Fun.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

func TestPlaces(t *testing.T) {
	for _, c := range []struct {
		name, src      string
		eligible, fixd string // the labels of the candidates that are eligible, that get the fix
	}{
		{"nothing after", `block("a")`, "a", "a"},
		{"a mutation before", `write(); block("a")`, "a", "a"},
		{"a mutation after", `block("a"); write()`, "", ""},
		{"a release after", `block("a"); release()`, "", ""},
		{"a mutation in the same statement", `use(write(), block("a"))`, "", ""},
		{"a mutation after on one branch only", `block("a"); if cond() { write() }`, "", ""},
		{"a mutation on the other branch", `if cond() { block("a") } else { write() }`, "a", "a"},
		{"a mutation on a path that returned", `if cond() { block("a"); return }; write()`, "a", "a"},
		{"two candidates on one path", `block("a"); block("b")`, "ab", "a"},
		// One statement: both fixes insert the same release at the same place.
		{"two candidates in one statement", `use(block("a"), block("b"))`, "ab", "ab"},
		{"two candidates on two branches", `if cond() { block("a") } else { block("b") }`, "ab", "ab"},
		{"a candidate after one on some path", `if cond() { block("a") }; block("b")`, "ab", "a"},
		{"a loop", `for cond() { block("a") }`, "a", "a"},
		{"a mutation earlier in a loop", `for cond() { write(); block("a") }`, "", ""},
		{"two candidates in a loop precede each other", `for cond() { block("a"); block("b") }`, "ab", ""},
		{"a candidate after a loop that has one", `for cond() { block("a") }; block("b")`, "ab", "a"},
		{"a case body is a list", `switch { case cond(): block("a") }`, "a", "a"},
		{"a select case body is a list", `select { case <-ch(): block("a") }`, "a", "a"},
		{"an if's init is not in a list", `if x := block("a"); x { }`, "", ""},
		{"a deferred write", `defer write(); block("a")`, "", ""},
		{"a deferred write after the candidate", `block("a"); defer write()`, "", ""},
		{"a deferred release", `defer release(); block("a")`, "a", "a"},
		{"a deferred write in a literal", `go func() { defer write() }(); block("a")`, "a", "a"},
		{"a write in a literal", `f := func() { write() }; block("a"); _ = f`, "a", "a"},
	} {
		b, labels := body(t, c.src)
		p := Place(b)
		var eligible, fixd string
		n := 0
		for i := range b.Items {
			for k, it := range b.Items[i] {
				if !it.Candidate {
					continue
				}
				if p.Eligible(i, k) {
					eligible += labels[n]
				}
				if p.Fix(i, k) {
					fixd += labels[n]
				}
				n++
			}
		}
		if eligible != c.eligible || fixd != c.fixd {
			t.Errorf("%s: eligible %q, fixed %q; want %q, %q", c.name, eligible, fixd, c.eligible, c.fixd)
		}
	}
}
