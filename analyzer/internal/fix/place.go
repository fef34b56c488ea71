// Package fix makes the suggested fix that releases the session lock
// before a blocking call: where in a function the release may go (Place)
// and the code it inserts (Writer). It knows nothing of how the analyzer
// finds sessions, releases or blocking calls: the analyzer says which
// statements mutate and which block, and which expression releases.
package fix

import (
	"go/ast"

	"golang.org/x/tools/go/cfg"
)

// Item is one event of a CFG block that matters to where a release may go.
// An item that neither mutates nor is a candidate is allowed and ignored,
// so that a caller can keep one item per event of its own.
type Item struct {
	Node      ast.Node // the CFG node (a statement) the event belongs to
	Mutates   bool     // may change the session or its lock, or hide such a change
	Candidate bool     // a blocking call: a release could go before its statement
}

// Body is a function body as placement sees it.
type Body struct {
	Syntax ast.Node     // the body; function literals in it are not part of it
	Blocks []*cfg.Block // its CFG; Blocks[i].Index is i
	Items  [][]Item     // per block, in evaluation order

	// DeferMutates reports whether a deferred call of the body writes the
	// session or acquires its lock. It runs after any release the fix
	// inserts, so one such call rules out every fix in the body. A deferred
	// release is fine: releasing twice is harmless.
	DeferMutates func(*ast.DeferStmt) bool
}

// Places answers, for the candidates of one body, whether a release fix
// goes before them. Releasing early is safe when the candidate's statement
// stands in a statement list (so that a statement can be inserted before
// it) and nothing after it on any path, nor any deferred call, may change
// the session: then the release changes nothing but the wait of the
// session's other requests. Only the first such candidate on a path gets
// the fix, so that applying every fix releases once per path.
//
// Everything is computed once, in one walk over the syntax and a few over
// the CFG, so that a body with many findings costs no more than one.
type Places struct {
	items     [][]Item
	listed    map[ast.Stmt]bool // statements directly in a block or case body
	mutNode   map[ast.Node]bool // nodes holding a mutating item
	lastMut   []int             // per block: index of its last mutating item, -1 if none
	mutAfter  []bool            // per block: a mutating item is reachable from its successors
	defersMut bool              // a deferred call mutates
	fixedFrom [][2]ast.Node     // per block: up to two statements of eligible candidates that reach it
}

// Place computes the places of b.
func Place(b Body) *Places {
	p := &Places{items: b.Items, listed: make(map[ast.Stmt]bool), mutNode: make(map[ast.Node]bool)}
	p.scan(b)
	p.mutations(b.Blocks)
	p.reach(b.Blocks)
	return p
}

// Fix reports whether the release fix goes before the statement of
// candidate k of block: it is eligible, and no other eligible candidate
// comes before it on some path.
func (p *Places) Fix(block, k int) bool {
	return p.Eligible(block, k) && !p.preceded(block, k)
}

// Eligible reports whether releasing before the statement of item k of
// block is safe: the statement stands in a list and nothing that may change
// the session follows it on any path.
func (p *Places) Eligible(block, k int) bool {
	it := p.items[block][k]
	stmt, ok := it.Node.(ast.Stmt)
	return ok && p.listed[stmt] && !p.mutNode[it.Node] && p.lastMut[block] <= k && !p.mutAfter[block] && !p.defersMut
}

// scan finds the listed statements and whether a deferred call mutates,
// in one walk of the body.
func (p *Places) scan(b Body) {
	ast.Inspect(b.Syntax, func(n ast.Node) bool {
		var list []ast.Stmt
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BlockStmt:
			list = x.List
		case *ast.CaseClause:
			list = x.Body
		case *ast.CommClause:
			list = x.Body
		case *ast.DeferStmt:
			if !p.defersMut && b.DeferMutates(x) {
				p.defersMut = true
			}
		}
		for _, s := range list {
			p.listed[s] = true
		}
		return true
	})
}

// mutations finds each block's last mutating item and the blocks from
// which a mutating block is reachable: one backward sweep from the
// mutating blocks.
func (p *Places) mutations(blocks []*cfg.Block) {
	p.lastMut = make([]int, len(blocks))
	p.mutAfter = make([]bool, len(blocks))
	preds := make([][]int32, len(blocks))
	var work []int32
	for i, b := range blocks {
		p.lastMut[i] = -1
		for k, it := range p.items[i] {
			if it.Mutates {
				p.lastMut[i] = k
				p.mutNode[it.Node] = true
			}
		}
		for _, s := range b.Succs {
			preds[s.Index] = append(preds[s.Index], int32(i))
		}
	}
	for i := range blocks {
		if p.lastMut[i] >= 0 {
			work = append(work, int32(i))
		}
	}
	for len(work) > 0 {
		i := work[len(work)-1]
		work = work[:len(work)-1]
		for _, q := range preds[i] {
			if !p.mutAfter[q] {
				p.mutAfter[q] = true
				work = append(work, q)
			}
		}
	}
}

// reach records, per block, the statements of eligible candidates from
// which the block is reachable. Two suffice: one may be the candidate's
// own statement, in a loop. One forward sweep.
func (p *Places) reach(blocks []*cfg.Block) {
	p.fixedFrom = make([][2]ast.Node, len(blocks))
	var work []int32
	add := func(j int32, s ast.Node) {
		r := &p.fixedFrom[j]
		switch {
		case r[0] == s || r[1] == s:
			return
		case r[0] == nil:
			r[0] = s
		case r[1] == nil:
			r[1] = s
		default:
			return
		}
		work = append(work, j)
	}
	for i := range blocks {
		for k, it := range p.items[i] {
			if it.Candidate && p.Eligible(i, k) {
				for _, s := range blocks[i].Succs {
					add(s.Index, it.Node)
				}
			}
		}
	}
	for len(work) > 0 {
		i := work[len(work)-1]
		work = work[:len(work)-1]
		for _, s := range blocks[i].Succs {
			for _, n := range p.fixedFrom[i] {
				if n != nil {
					add(s.Index, n)
				}
			}
		}
	}
}

// preceded reports whether another eligible candidate comes before item k
// of block on some path: its fix already releases the lock there, and a
// second release on the same path would be noise.
func (p *Places) preceded(block, k int) bool {
	node := p.items[block][k].Node
	for _, n := range p.fixedFrom[block] {
		if n != nil && n != node {
			return true
		}
	}
	for j, o := range p.items[block][:k] {
		if o.Candidate && o.Node != node && p.Eligible(block, j) {
			return true
		}
	}
	return false
}
