// Command gcl is golangci-lint v2.15.0 with the sessionlock module plugin
// compiled in: the program `golangci-lint custom` generates from
// plugin/.custom-gcl.yml, assembled here from the module proxy alone, so it
// builds on machines that cannot clone golangci-lint from its repository.
//
//	cd plugin/gcl && go build -o custom-gcl . && ./custom-gcl run ./...
//
// Enable the linter in .golangci.yml as the plugin package documents.
package main
