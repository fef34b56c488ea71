package blocking

import (
	_ "embed"
	"fmt"
	"go/types"
	"strings"
)

// modelsText is the shipped list of calls that block: the standard
// library's and those of popular clients (ORMs, SQL, Redis and MongoDB
// drivers), in the syntax of a Set's entries. Keeping it as data means the
// analyzer needs none of those libraries to build, and adding one is a line.
//
//go:embed models.txt
var modelsText string

// models is modelsText parsed; a malformed line is a bug caught by the
// package's tests (TestModelsParse), so it panics at start-up.
var models = mustParseModels(modelsText)

// IsModel reports whether fn is one of the shipped models of a blocking
// call (models.txt).
func IsModel(fn *types.Func) bool { return models.Match(fn) }

func mustParseModels(text string) *Set {
	s, err := parseModels(text)
	if err != nil {
		panic(err)
	}
	return s
}

// parseModels reads one entry per line; blank lines and text after a "#"
// are ignored. Errors name the line.
func parseModels(text string) (*Set, error) {
	s := &Set{}
	for i, line := range strings.Split(text, "\n") {
		if j := strings.IndexByte(line, '#'); j >= 0 {
			line = line[:j]
		}
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		if err := s.Add(line); err != nil {
			return nil, fmt.Errorf("models.txt:%d: %w", i+1, err)
		}
	}
	return s, nil
}
