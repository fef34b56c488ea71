// Package blocking knows which calls block: the syntax of the analyzer's
// -long entries and the set they build, the shipped models of clients that
// make a round trip (models.txt), and the standard library's timers and
// goroutine waits. Its functions look only at go/types objects and syntax,
// never at the analysis, so each answer can be tested on its own.
package blocking
