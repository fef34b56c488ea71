// Command sessionlock reports blocking calls made while a web session's lock
// is held and session writes made after the lock was released (the analyzer
// github.com/sessionlock/sessionlock/analyzer). It is a singlechecker, so the
// same binary runs standalone and as a go vet tool.
//
// Usage, as a standalone command (from a module root):
//
//	sessionlock ./...                  report findings as text on stderr
//	sessionlock -json ./...            report findings as JSON on stdout
//	sessionlock -fix ./...             apply suggested fixes (insert s.ReleaseLock())
//	sessionlock -fix -diff ./...       print the fixes as a unified diff, change nothing
//	sessionlock -long=pkg/path.Func,(*pkg/path.T).Method ./...
//	                                   treat more functions as blocking; also
//	                                   patterns (pkg/path.*, (*pkg/path.T).Query*)
//	                                   and interface methods ((pkg/path.I).Find)
//
// Standalone, packages are analysed with their tests; a finding in a file
// that both a package and its test variant contain is reported once (the
// JSON output lists it under the package, not under "p [p.test]").
//
// As a go vet tool:
//
//	go install github.com/sessionlock/sessionlock/cmd/sessionlock@latest
//	go vet -vettool=$(go env GOPATH)/bin/sessionlock ./...
//	go vet -vettool=$(go env GOPATH)/bin/sessionlock -long=pkg/path.Func ./...
//	go vet -vettool=$(go env GOPATH)/bin/sessionlock -fix ./...
//
// go vet asks the tool for its identity (-V=full, part of the build cache key)
// and its flags (-flags) and passes the analyzer's flags through. Since Go
// 1.26 it runs the tool with -json and prints the findings itself.
//
// Exit codes, standalone:
//
//	0  no findings; also always with -json, and with -fix when the fixes applied
//	1  the packages could not be loaded or analysed, or a fix could not be applied
//	2  bad command line (unknown flag, malformed -long entry)
//	3  findings were reported (text output)
//
// Exit codes under go vet are go vet's own: 0 when there are no findings,
// 1 when there are findings or any error.
package main
