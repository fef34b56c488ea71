package analyzer

import (
	_ "embed"
	"flag"
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"
)

//go:embed doc.go
var doc string

// Analyzer is the sessionlock pass with its default configuration. Its -long
// flag adds functions to treat as blocking (comma-separated, repeatable):
// "pkg/path.Func" or "(*pkg/path.T).Method".
var Analyzer = newAnalyzer(&Config{})

// Config configures an analyzer built with New. It is also the value of the
// -long flag, so programs that build the analyzer themselves (such as the
// golangci-lint plugin) and command lines configure the same thing.
type Config struct {
	// Long lists extra functions that block: "pkg/path.Func",
	// "(*pkg/path.T).Method" or "(pkg/path.T).Method".
	Long []string

	long map[string]bool // Long, validated and normalised (see funcKey)
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
		key, err := parseLongName(s)
		if err != nil {
			return err
		}
		if c.long == nil {
			c.long = make(map[string]bool)
		}
		c.Long = append(c.Long, s)
		c.long[key] = true
	}
	return nil
}

func newAnalyzer(c *Config) *analysis.Analyzer {
	a := &analysis.Analyzer{
		Name:      "sessionlock",
		Doc:       analyzerDoc(),
		URL:       "https://pkg.go.dev/github.com/sessionlock/sessionlock/analyzer",
		Run:       func(pass *analysis.Pass) (any, error) { return run(pass, c) },
		FactTypes: []analysis.Fact{new(funcFact)},
		// Drivers such as gopls run analyzers on packages with type errors;
		// every lookup tolerates missing type information.
		RunDespiteErrors: true,
	}
	a.Flags.Init("sessionlock", flag.ContinueOnError)
	a.Flags.Var(c, "long", "comma-separated functions to treat as blocking: pkg/path.Func or (*pkg/path.T).Method")
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

// parseLongName validates a -long entry and returns its normalised key.
func parseLongName(s string) (string, error) {
	bad := func(why string) error {
		return fmt.Errorf("sessionlock: malformed -long entry %q: %s (want pkg/path.Func or (*pkg/path.T).Method)", s, why)
	}
	if strings.ContainsAny(s, " \t") {
		return "", bad("contains a space")
	}
	if strings.HasPrefix(s, "(") {
		end := strings.Index(s, ")")
		if end < 0 {
			return "", bad("unbalanced parenthesis")
		}
		recv := strings.TrimPrefix(s[1:end], "*")
		rest := s[end+1:]
		if !strings.HasPrefix(rest, ".") || len(rest) < 2 || strings.ContainsAny(rest[1:], "./()*") {
			return "", bad("no method name after the receiver")
		}
		dot := strings.LastIndex(recv, ".")
		if dot <= 0 || dot == len(recv)-1 || strings.HasSuffix(recv[:dot], "/") {
			return "", bad("receiver is not pkg/path.Type")
		}
		return recv + "." + rest[1:], nil
	}
	if strings.ContainsAny(s, "()*") {
		return "", bad("unexpected parenthesis or star")
	}
	dot := strings.LastIndex(s, ".")
	slash := strings.LastIndex(s, "/")
	if dot <= 0 || dot == len(s)-1 || dot < slash || strings.HasSuffix(s[:dot], "/") {
		return "", bad("no package path or function name")
	}
	return s, nil
}
