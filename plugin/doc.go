// Package plugin registers the sessionlock analyzer as a golangci-lint module
// plugin named "sessionlock".
//
// Blank-import it into a golangci-lint build (golangci-lint custom does that
// from .custom-gcl.yml; plugin/gcl is the same build for offline machines) and
// enable it in .golangci.yml:
//
//	version: "2"
//	linters:
//	  enable: [sessionlock]
//	  settings:
//	    custom:
//	      sessionlock:
//	        type: module
//	        settings:
//	          long:
//	            - "example.com/app/billing.Charge"
//	            - "(*example.com/app/db.Pool).Exec"
//	            - "example.com/app/store.*"                  # every function and method
//	            - "(example.com/app/store.UserStore).Find"   # calls through the interface
//
// The settings are the analyzer's flags: "long" lists extra functions that
// block, in the syntax of the -long flag, patterns and interface methods
// included. Any other key is an error that names it, so a typo cannot
// silently turn a setting off.
package plugin
