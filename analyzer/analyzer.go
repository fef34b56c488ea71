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
var Analyzer = newAnalyzer(&Config{})

// Config configures an analyzer built with New. It is also the value of the
// -long flag, so programs that build the analyzer themselves (such as the
// golangci-lint plugin) and command lines configure the same thing.
type Config struct {
	// Long lists extra functions that block, in the syntax of the -long
	// flag: "pkg/path.Func", "(*pkg/path.T).Method",
	// "(pkg/path.Interface).Method" (calls through the interface), where a
	// name ending in * matches every name with that prefix:
	// "example.com/app/store.*" is every function and method of the package.
	Long []string

	long longSet // Long, parsed (see longspec.go)
}

// New returns a fresh analyzer configured by cfg. It returns an error naming
// the first malformed entry of cfg.Long.
func New(cfg Config) (*analysis.Analyzer, error) {
	c := &Config{}
	for _, s := range cfg.Long {
		if err := c.Set(s); err != nil {
			return nil, err
		}
	}
	return newAnalyzer(c), nil
}

// String implements flag.Value: the -long entries, comma-separated.
func (c *Config) String() string {
	if c == nil {
		return ""
	}
	return strings.Join(c.Long, ",")
}

// Set implements flag.Value: each use of -long adds one or more
// comma-separated entries, each validated.
func (c *Config) Set(list string) error {
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if err := c.long.add(s); err != nil {
			return err
		}
		c.Long = append(c.Long, s)
	}
	return nil
}

func newAnalyzer(c *Config) *analysis.Analyzer {
	a := &analysis.Analyzer{
		Name:      "sessionlock",
		Doc:       analyzerDoc(),
		URL:       "https://pkg.go.dev/github.com/sessionlock/sessionlock/analyzer",
		Run:       func(pass *analysis.Pass) (any, error) { return run(pass, c) },
		FactTypes: []analysis.Fact{new(funcFact), new(pendingFact)},
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
