package analyzer

import (
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

const directivePrefix = "//sessionlock:"

// parseDirectives returns the roles declared in a function's doc comment.
// Directives follow the Go convention for machine-read comments: no space
// after the slashes. Unknown directives are ignored so that a newer library
// keeps working with an older analyzer.
func parseDirectives(doc *ast.CommentGroup) role {
	if doc == nil {
		return 0
	}
	var r role
	for _, c := range doc.List {
		if !strings.HasPrefix(c.Text, directivePrefix) {
			continue
		}
		fields := strings.Fields(c.Text[len(directivePrefix):])
		if len(fields) == 0 {
			continue
		}
		switch fields[0] {
		case "source":
			r |= roleSource
		case "acquire":
			r |= roleAcquire
		case "release":
			r |= roleRelease
		case "write":
			r |= roleWrite
		case "long":
			r |= roleLong
		case "serve":
			if len(fields) > 1 {
				switch fields[1] {
				case "held":
					r |= roleServeHeld
				case "explicit":
					r |= roleServeExplicit
				case "readonly":
					r |= roleServeReadOnly
				}
			}
		}
	}
	return r
}

// ignoreLines finds //sessionlock:ignore comments in a file. A comment that
// trails code suppresses findings on its own line; one alone on its line
// suppresses findings on the next line. It returns nil for a file without
// any such comment, which is the common case, without reading the file.
func ignoreLines(pass *analysis.Pass, f *ast.File) map[int]bool {
	var lines map[int]bool
	var src []byte
	var tf *token.File
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if !strings.HasPrefix(c.Text, directivePrefix+"ignore") {
				continue
			}
			rest := c.Text[len(directivePrefix+"ignore"):]
			if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
				continue // some other directive, e.g. "ignored"
			}
			if lines == nil {
				lines = make(map[int]bool)
				tf = pass.Fset.File(c.Pos())
				if tf != nil && pass.ReadFile != nil {
					src, _ = pass.ReadFile(tf.Name())
				}
			}
			if tf == nil {
				continue
			}
			line := tf.Line(c.Pos())
			lines[line] = true
			if alone(tf, src, c.Pos(), line) {
				lines[line+1] = true
			}
		}
	}
	return lines
}

// alone reports whether only blanks precede pos on its line. Without the
// source it assumes so, erring towards honouring the user's directive.
func alone(tf *token.File, src []byte, pos token.Pos, line int) bool {
	start, end := tf.Offset(tf.LineStart(line)), tf.Offset(pos)
	if src == nil || start < 0 || end > len(src) || start > end {
		return true
	}
	return strings.TrimSpace(string(src[start:end])) == ""
}

// parseServed returns the mode a handler's doc comment says it is served
// in (//sessionlock:served held|explicit|readonly), or 0. It lets a
// handler served from another package be judged where it is written.
func parseServed(doc *ast.CommentGroup) mode {
	if doc == nil {
		return 0
	}
	for _, c := range doc.List {
		fields := strings.Fields(strings.TrimPrefix(c.Text, directivePrefix))
		if !strings.HasPrefix(c.Text, directivePrefix) || len(fields) < 2 || fields[0] != "served" {
			continue
		}
		switch fields[1] {
		case "held":
			return modeHeld
		case "explicit":
			return modeExplicit
		case "readonly":
			return modeReadOnly
		}
	}
	return 0
}
