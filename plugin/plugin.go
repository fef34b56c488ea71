// Package plugin registers the sessionlock analyzer as a golangci-lint module
// plugin named "sessionlock".
//
// Blank-import it into a golangci-lint build (golangci-lint custom does that
// from .custom-gcl.yml; plugin/gcl is the same build for offline machines) and
// enable it in .golangci.yml:
//
//	version: "2"
//	linters:
//	  enable: [sessionlock]
//	  settings:
//	    custom:
//	      sessionlock:
//	        type: module
//	        settings:
//	          long: ["example.com/app/billing.Charge", "(*example.com/app/db.Pool).Exec"]
//
// The settings are the analyzer's flags: "long" lists extra functions that
// block, in the syntax of the -long flag. Any other key is an error that names
// it, so a typo cannot silently turn a setting off.
package plugin

import (
	"fmt"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/sessionlock/sessionlock/analyzer"
)

func init() {
	register.Plugin("sessionlock", New)
}

// Settings is the plugin's settings block in .golangci.yml. It mirrors
// analyzer.Config; the JSON names are the keys users write.
type Settings struct {
	// Long lists functions to treat as blocking, like the -long flag:
	// "pkg/path.Func" or "(*pkg/path.Type).Method".
	Long []string `json:"long"`
}

// New builds the plugin from golangci-lint's raw settings. It returns an
// error for an unknown key or a malformed function name.
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](settings)
	if err != nil {
		return nil, fmt.Errorf("sessionlock plugin settings: %w (known keys: long)", err)
	}
	a, err := analyzer.New(analyzer.Config{Long: s.Long})
	if err != nil {
		return nil, fmt.Errorf("sessionlock plugin settings: %w", err)
	}
	return &linter{analyzer: a}, nil
}

// linter is the register.LinterPlugin holding one configured analyzer.
type linter struct{ analyzer *analysis.Analyzer }

// BuildAnalyzers returns the configured sessionlock analyzer.
func (l *linter) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return []*analysis.Analyzer{l.analyzer}, nil
}

// GetLoadMode asks for type information: the analyzer needs types and facts
// from dependencies to follow helpers across packages.
func (l *linter) GetLoadMode() string { return register.LoadModeTypesInfo }
