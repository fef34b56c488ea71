// Package lockstate follows the session lock's state through one function:
// a may-set of the states the lock can be in at a point, how a release, an
// acquire or a helper's effect change it, and a fixed point over the
// function's control-flow graph. A finding needs one path on which the
// lock is in the wrong state, so "released" in a set means "released on
// some path".
package lockstate

import "golang.org/x/tools/go/cfg"

// Set is a set of lock states, one bit each.
type Set uint8

// The states.
const (
	Entry    Set = 1 << iota // whatever the caller had (helpers, summaries)
	Held                     // the lock is held
	Released                 // released and not re-acquired
	Unlocked                 // never taken (explicit before acquire, read-only)
)

// Release is s after a release: released, on every path that reaches it.
func Release(s Set) Set {
	if s == 0 {
		return 0 // unreachable stays unreachable
	}
	return Released
}

// Acquire is s after an acquire: held.
func Acquire(s Set) Set {
	if s == 0 {
		return 0
	}
	return Held
}

// Call is s after a call of a helper that, on some path, returns with the
// lock released (releases) or taken (acquires); always means no path
// returns with the lock as the helper found it.
func Call(s Set, releases, acquires, always bool) Set {
	if s == 0 {
		return 0
	}
	var out Set
	if !always {
		out = s
	}
	if releases {
		out |= Released
	}
	if acquires {
		out |= Held
	}
	return out
}

// Flow computes the set at the start of each block of g from entry, the
// set at the function's entry; apply runs one block's events on a set.
// It iterates to a fixed point: sets only grow, so it ends.
func Flow(g *cfg.CFG, entry Set, apply func(block int32, s Set) Set) []Set {
	in := make([]Set, len(g.Blocks))
	if len(g.Blocks) == 0 {
		return in
	}
	in[0] = entry
	work := []int32{0}
	queued := make([]bool, len(g.Blocks))
	queued[0] = true
	for len(work) > 0 {
		i := work[len(work)-1]
		work = work[:len(work)-1]
		queued[i] = false
		s := apply(i, in[i])
		for _, succ := range g.Blocks[i].Succs {
			j := succ.Index
			if in[j]|s != in[j] {
				in[j] |= s
				if !queued[j] {
					queued[j] = true
					work = append(work, j)
				}
			}
		}
	}
	return in
}

// Exit is the union of the sets at the function's returns, given the sets
// at the blocks' starts (Flow) and apply. Blocks that end the function
// without returning (a panic) are left out by skip.
func Exit(g *cfg.CFG, in []Set, apply func(block int32, s Set) Set, skip func(*cfg.Block) bool) Set {
	var exit Set
	for i, b := range g.Blocks {
		if len(b.Succs) != 0 || in[i] == 0 || skip(b) {
			continue
		}
		exit |= apply(int32(i), in[i])
	}
	return exit
}
