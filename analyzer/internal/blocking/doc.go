// Package blocking knows which calls block: the syntax of the analyzer's
// -long entries and the set they build, and the shipped models of clients
// that make a round trip (models.txt). Its functions look only at go/types
// objects, never at the analysis, so each answer can be tested on its own.
package blocking
