// Command gcl is golangci-lint v2.15.0 with the sessionlock module plugin
// compiled in: the program `golangci-lint custom` generates from
// plugin/.custom-gcl.yml, assembled here from the module proxy alone, so it
// builds on machines that cannot clone golangci-lint from its repository.
//
//	cd plugin/gcl && go build -o custom-gcl . && ./custom-gcl run ./...
//
// Enable the linter in .golangci.yml as the plugin package documents.
package main

import (
	"fmt"
	"os"
	"runtime"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	// Registers the "sessionlock" module plugin, like the plugins.go file
	// golangci-lint custom writes.
	_ "github.com/sessionlock/sessionlock/plugin"
)

// version is the golangci-lint release this program is built from; it is
// what `gcl version` prints and what golangci-lint uses in its cache keys.
const version = "2.15.0"

func main() {
	info := commands.BuildInfo{Version: version, Commit: "sessionlock plugin build", Date: "(unknown)", GoVersion: runtime.Version()}
	if err := commands.Execute(info); err != nil {
		fmt.Fprintf(os.Stderr, "The command is terminated due to an error: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}
