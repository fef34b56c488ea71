package main

import (
	"go/token"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/sessionlock/sessionlock/analyzer"
)

func main() {
	a := analyzer.Analyzer
	if !vetMode(os.Args[1:]) {
		a = oncePerFile(a)
	}
	singlechecker.Main(a)
}

// vetMode reports whether go vet runs the binary: with the path of a vet
// configuration file, or to ask for its identity or flags.
func vetMode(args []string) bool {
	for _, arg := range args {
		if strings.HasSuffix(arg, ".cfg") || strings.HasPrefix(arg, "-V") || arg == "-flags" {
			return true
		}
	}
	return false
}

// oncePerFile keeps a standalone run from reporting a finding twice.
// Standalone, the packages are loaded with their tests: a package p and
// its test variant "p [p.test]" share p's non-test files, and both are
// analysed. The text output drops the repeats, the JSON output does not; so
// the test variant keeps only its findings in _test.go files, which p does
// not have. (go vet analyses one variant per package, so it needs no such
// filter.)
func oncePerFile(a *analysis.Analyzer) *analysis.Analyzer {
	wrapped := *a
	wrapped.Run = func(pass *analysis.Pass) (any, error) {
		if !hasTestFile(pass) {
			return a.Run(pass)
		}
		p := *pass
		p.Report = func(d analysis.Diagnostic) {
			if isTestFile(pass, d.Pos) {
				pass.Report(d)
			}
		}
		return a.Run(&p)
	}
	return &wrapped
}

func hasTestFile(pass *analysis.Pass) bool {
	for _, f := range pass.Files {
		if isTestFile(pass, f.FileStart) {
			return true
		}
	}
	return false
}

func isTestFile(pass *analysis.Pass, pos token.Pos) bool {
	tf := pass.Fset.File(pos)
	return tf != nil && strings.HasSuffix(tf.Name(), "_test.go")
}
