package main

import (
	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/sessionlock/sessionlock/analyzer"
)

func main() { singlechecker.Main(analyzer.Analyzer) }
