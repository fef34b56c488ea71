// Package floor is the baseline analyzer of the vet benchmarks: it does
// nothing, but declares a fact type, so that the go command and the
// analysis driver treat it like any fact-producing analyzer (vetting every
// dependency, plumbing facts) and what sessionlock costs beyond it is its
// own work.
package floor

import "golang.org/x/tools/go/analysis"

// fact exists only so that FactTypes is non-empty.
type fact struct{}

// AFact marks fact as an analysis.Fact.
func (*fact) AFact() {}

func (*fact) String() string { return "floor" }

// Analyzer does nothing; see the package comment for why it exists.
var Analyzer = &analysis.Analyzer{
	Name:      "floor",
	Doc:       "floor does nothing; it is the baseline of the vet benchmark",
	FactTypes: []analysis.Fact{new(fact)},
	Run:       func(*analysis.Pass) (any, error) { return nil, nil },
}
