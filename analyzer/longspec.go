package analyzer

import (
	"go/types"

	"github.com/sessionlock/sessionlock/analyzer/internal/blocking"
)

// longSet is the -long entries, parsed. The syntax and the matching are
// internal/blocking's (blocking.Set).
type longSet struct{ set blocking.Set }

func (ls *longSet) add(entry string) error    { return ls.set.Add(entry) }
func (ls *longSet) match(fn *types.Func) bool { return ls.set.Match(fn) }
