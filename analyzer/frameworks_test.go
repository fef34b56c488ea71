package analyzer_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/sessionlock/sessionlock/analyzer"
)

// TestFrameworks registers handlers on gin, echo and chi, stand-ins with
// the frameworks' import paths and signatures, in every form each
// framework offers, behind the session middleware in each lock mode (gin
// through the runtime's ginsession adapter, echo through
// echo.WrapMiddleware, chi directly). The pages package declares handlers
// the others register, and reports nothing itself.
func TestFrameworks(t *testing.T) {
	analysistest.Run(t, testdata(t), analyzer.Analyzer,
		"github.com/sessionlock/sessionlock/runtime/ginsession", // directives become facts
		"frameworks/gin",
		"frameworks/echo",
		"frameworks/chi",
		"frameworks/pages",
	)
}
