package analyzer

import (
	"go/ast"

	"github.com/sessionlock/sessionlock/analyzer/internal/directive"
	"golang.org/x/tools/go/analysis"
)

// The //sessionlock: comments are read by internal/directive; this file
// turns its answers into the analyzer's roles and modes.

const directivePrefix = directive.Prefix

// parseDirectives returns the roles declared in a function's doc comment.
func parseDirectives(doc *ast.CommentGroup) role { return directive.Roles(doc) }

// parseServed returns the mode a handler's doc comment says it is served
// in (//sessionlock:served), or 0.
func parseServed(doc *ast.CommentGroup) mode {
	switch directive.Served(doc) {
	case directive.Held:
		return modeHeld
	case directive.Explicit:
		return modeExplicit
	case directive.ReadOnly:
		return modeReadOnly
	}
	return 0
}

// ignoreLines returns the lines of f whose findings //sessionlock:ignore
// comments suppress, or nil.
func ignoreLines(pass *analysis.Pass, f *ast.File) map[int]bool {
	return directive.IgnoredLines(pass.Fset, f, pass.ReadFile)
}
