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
	// "pkg/path.Func", "(*pkg/path.Type).Method",
	// "(pkg/path.Interface).Method", or a pattern whose name ends in *
	// ("pkg/path.*", "(*pkg/path.Type).Query*").
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
