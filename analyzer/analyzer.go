package analyzer

import (
	_ "embed"
	"flag"
	"strings"

	"golang.org/x/tools/go/analysis"
)

//go:embed doc.go
var doc string

// Analyzer is the sessionlock pass with its default configuration. Its -long
// flag adds functions to treat as blocking (comma-separated, repeatable):
// "pkg/path.Func", "(*pkg/path.T).Method", "(pkg/path.Interface).Method", or
// a pattern such as "pkg/path.*" or "(*pkg/path.T).Query*".
var Analyzer = newAnalyzer(&config{})

// Config configures an analyzer built with New. It is the same knob as the
// -long flag, for programs (such as the golangci-lint plugin) that build the
// analyzer themselves.
type Config struct {
	// Long lists extra functions that block, in the syntax of the -long
	// flag: "pkg/path.Func", "(*pkg/path.T).Method",
	// "(pkg/path.Interface).Method" (calls through the interface), where a
	// name ending in * matches every name with that prefix:
	// "example.com/app/store.*" is every function and method of the package.
	Long []string
}

// New returns a fresh analyzer configured by cfg. It returns an error naming
// the first malformed entry of cfg.Long.
func New(cfg Config) (*analysis.Analyzer, error) {
	c := &config{}
	for _, s := range cfg.Long {
		if err := c.addLong(s); err != nil {
			return nil, err
		}
	}
	return newAnalyzer(c), nil
}

// config is an analyzer's private, flag-settable configuration.
type config struct {
	long longSet // -long entries (see longspec.go)
}

// addLong parses one or more comma-separated -long entries.
func (c *config) addLong(list string) error { return c.long.addList(list) }

// String implements flag.Value.
func (c *config) String() string {
	if c == nil {
		return ""
	}
	return strings.Join(c.long.entries(), ",")
}

// Set implements flag.Value: each use of -long adds to the list.
func (c *config) Set(s string) error { return c.addLong(s) }

func newAnalyzer(c *config) *analysis.Analyzer {
	a := &analysis.Analyzer{
		Name:      "sessionlock",
		Doc:       analyzerDoc(),
		URL:       "https://pkg.go.dev/github.com/sessionlock/sessionlock/analyzer",
		Run:       func(pass *analysis.Pass) (any, error) { return run(pass, c) },
		FactTypes: []analysis.Fact{new(FuncFact), new(pendingFact)},
		// Drivers such as gopls run analyzers on packages with type errors;
		// every lookup tolerates missing type information.
		RunDespiteErrors: true,
	}
	a.Flags.Init("sessionlock", flag.ContinueOnError)
	a.Flags.Var(c, "long", "comma-separated functions to treat as blocking: pkg/path.Func, (*pkg/path.T).Method, (pkg/path.Interface).Method; a trailing * in a name is a prefix pattern (pkg/path.*)")
	return a
}

// analyzerDoc extracts the analyzer's documentation from doc.go: the text
// after the "# Analyzer sessionlock" heading.
func analyzerDoc() string {
	const head = "# Analyzer sessionlock"
	i := strings.Index(doc, head)
	if i < 0 {
		return "sessionlock: report long calls under a session lock and session writes after its release"
	}
	var b strings.Builder
	for _, line := range strings.Split(doc[i+len(head):], "\n") {
		if strings.HasPrefix(line, "package ") {
			break
		}
		line = strings.TrimPrefix(line, "//")
		line = strings.TrimPrefix(line, " ")
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return strings.TrimSpace(b.String())
}
