package analyzer_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/sessionlock/sessionlock/analyzer"
)

func testdata(t *testing.T) string {
	t.Helper()
	return filepath.Join(filepath.Dir(analysistest.TestData()), "..", "testdata")
}

// TestAnalyzer runs every fixture package that uses the default
// configuration in one load (the dependencies, net/http included, are
// analysed once for their facts).
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, testdata(t), analyzer.Analyzer,
		"sessionlib", // directives become facts
		"implicit",   // handlers holding the lock from entry; flow shapes
		"reports",    // helper facts: traces, effects, recursion
		"crosspkg",   // helpers of another package judged at call sites
		"seed",       // the seed article's page1 behind the middleware
		"register",   // every registration form
		"remote",     // handlers of another package, reported at registration
		"explicit",   // explicit mode, by wrapper or by acquiring first
		"readonly",   // read-only handlers
		"goroutine",  // writes in goroutines
		"directive",  // //sessionlock:long in user code
		"suppress",   // //sessionlock:ignore
		"generics",   // generic helpers and methods
		"negative",   // look-alikes and code that must stay silent
		"flow",       // more control-flow shapes
		"helpers",    // handlers reaching the session through helpers
		"factory",    // handler factories, app-specific signatures
		"tables",     // route tables, method values, locals
		"compose",    // middleware composition, routers, the wrapper as a value
		"splitapi",   // handlers served by another package: facts only
		"split",      // wiring across functions and packages
		"flowdetail", // timers, AfterFunc, joins, defers, closures
		"chaina",     // a chain of packages: facts stay small however deep
		"chainb",
		"chainc",
		"chaind",
	)
}

func TestLongFlag(t *testing.T) {
	a, err := analyzer.New(analyzer.Config{Long: []string{"longdep.Charge", "(*longdep.Pool).Exec"}})
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, testdata(t), a, "longflag")
}

func TestFlagSet(t *testing.T) {
	a, err := analyzer.New(analyzer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Flags.Set("long", "longdep.Charge,(*longdep.Pool).Exec"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, testdata(t), a, "longflag")
}

func TestSuggestedFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, testdata(t), analyzer.Analyzer, "fix")
}
