package directive

import (
	"go/ast"
	"go/token"
	"strings"
)

const ignorePrefix = Prefix + "ignore"

// IgnoredLines finds the //sessionlock:ignore comments of file f and
// returns the lines whose findings they suppress. A comment that trails
// code suppresses findings on its own line; one alone on its line
// suppresses findings on the next line. To tell the two apart it reads the
// file with readFile; without it (readFile nil or failing) it takes every
// comment to be alone, erring towards honouring the user's directive. It
// returns nil for a file without any such comment, which is the common
// case, without reading the file.
func IgnoredLines(fset *token.FileSet, f *ast.File, readFile func(filename string) ([]byte, error)) map[int]bool {
	var lines map[int]bool
	var src []byte
	var tf *token.File
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if !strings.HasPrefix(c.Text, ignorePrefix) {
				continue
			}
			rest := c.Text[len(ignorePrefix):]
			if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
				continue // some other directive, e.g. "ignored"
			}
			if lines == nil {
				lines = make(map[int]bool)
				tf = fset.File(c.Pos())
				if tf != nil && readFile != nil {
					src, _ = readFile(tf.Name())
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
// source it assumes so.
func alone(tf *token.File, src []byte, pos token.Pos, line int) bool {
	start, end := tf.Offset(tf.LineStart(line)), tf.Offset(pos)
	if src == nil || start < 0 || end > len(src) || start > end {
		return true
	}
	return strings.TrimSpace(string(src[start:end])) == ""
}
