package analyzer_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/sessionlock/sessionlock/analyzer"
)

// TestShapes runs fixtures that mirror how real apps (writefreely, gophish,
// opengist) wire handlers, middleware and routers, with stand-ins for the
// routers they use at the routers' real import paths.
func TestShapes(t *testing.T) {
	analysistest.Run(t, testdata(t), analyzer.Analyzer,
		"shapes/echoapp/context",      // an app context embedding echo.Context
		"shapes/echoapp/gist",         // handlers of the app's signature, served elsewhere
		"shapes/echoapp/server",       // the app's Router over an echo group
		"shapes/chiapp",               // chi groups, interfaces, StripPrefix mounts
		"shapes/ginapp",               // gin groups behind an adapted middleware
		"shapes/webadapter",           // writefreely's Web adapter; a handler called by others
		"shapes/funcvalue",            // adapters and helpers calling the functions they are given
		"shapes/midchain/mid",         // gophish's mid.Use and middleware factories
		"shapes/midchain/controllers", // routes composed by mid.Use and alice
		"shapes/kitapp",               // a router of unknown path, known by its shape
		"shapes/crossreg/pages",       // exported handlers that obtain the session
		"shapes/crossreg/web",         // ... registered by another package
		"shapes/quiet",                // goroutines, other modes, jobs: silent
		"shapes/releasehelper/sessutil",
		"shapes/releasehelper", // a release through a helper's helper
	)
}
