package main

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/singlechecker"
)

// floorFact exists only so that FactTypes is non-empty: the go command then
// treats the tool like any fact-producing analyzer and vets every dependency.
type floorFact struct{}

// AFact marks floorFact as an analysis.Fact.
func (*floorFact) AFact() {}

func (*floorFact) String() string { return "floor" }

// Analyzer does nothing; see the package comment for why it exists.
var Analyzer = &analysis.Analyzer{
	Name:      "floor",
	Doc:       "floor does nothing; it is the baseline of the vet benchmark",
	FactTypes: []analysis.Fact{new(floorFact)},
	Run:       func(*analysis.Pass) (any, error) { return nil, nil },
}

func main() { singlechecker.Main(Analyzer) }
