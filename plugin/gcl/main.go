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
