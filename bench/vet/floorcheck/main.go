// Command floorcheck runs the floor analyzer standalone, as
// cmd/sessionlock runs sessionlock: the baseline of bench/realworld's
// memory figure (the driver loading, type-checking and plumbing facts
// through every package of an app, with no analysis of its own).
package main

import (
	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/sessionlock/sessionlock/bench/vet/floor"
)

func main() { singlechecker.Main(floor.Analyzer) }
