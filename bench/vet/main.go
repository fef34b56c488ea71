package main

import (
	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/sessionlock/sessionlock/bench/vet/floor"
)

func main() { singlechecker.Main(floor.Analyzer) }
