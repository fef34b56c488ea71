package plugin_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"

	"github.com/sessionlock/sessionlock/plugin"
)

// settings as golangci-lint hands them over: decoded YAML.
func yamlSettings(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func TestNewSettings(t *testing.T) {
	for _, tc := range []struct {
		name     string
		settings any
		wantErr  string // substring; "" means success
	}{
		{"absent", nil, ""},
		{"empty", yamlSettings(), ""},
		{"long", yamlSettings("long", []any{"example.com/x.F", "(*example.com/x.T).M"}), ""},
		{"patterns", yamlSettings("long", []any{"example.com/app/store.*", "(*example.com/app/db.DB).Query*", "(example.com/app/store.UserStore).Find"}), ""},
		{"bad pattern", yamlSettings("long", []any{"example.com/app.Fo*o"}), "Fo*o"},
		{"unknown key", yamlSettings("lng", []any{"example.com/x.F"}), `"lng"`},
		{"bad name", yamlSettings("long", []any{"not a name"}), "not a name"},
		{"wrong type", yamlSettings("long", "example.com/x.F"), "long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := plugin.New(tc.settings)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("New(%v) error = %v, want one containing %s", tc.settings, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("New(%v): %v", tc.settings, err)
			}
			as, err := p.BuildAnalyzers()
			if err != nil || len(as) != 1 || as[0].Name != "sessionlock" {
				t.Fatalf("BuildAnalyzers() = %v, %v; want the sessionlock analyzer", as, err)
			}
			if m := p.GetLoadMode(); m != register.LoadModeTypesInfo {
				t.Fatalf("GetLoadMode() = %q, want %q (facts need type information)", m, register.LoadModeTypesInfo)
			}
		})
	}
}

// Each New call builds its own analyzer, so two configurations in one
// process (golangci-lint builds the plugin once per run) do not share state.
func TestNewIndependentAnalyzers(t *testing.T) {
	a, errA := plugin.New(yamlSettings("long", []any{"example.com/x.F"}))
	b, errB := plugin.New(nil)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	aa, _ := a.BuildAnalyzers()
	bb, _ := b.BuildAnalyzers()
	if aa[0] == bb[0] {
		t.Fatal("two plugins with different settings share one *analysis.Analyzer")
	}
}

// golangci-lint finds the plugin by the name it registers under.
func ExampleNew() {
	newPlugin, err := register.GetPlugin("sessionlock")
	if err != nil {
		panic(err)
	}
	p, err := newPlugin(map[string]any{"long": []any{"example.com/billing.Charge"}})
	if err != nil {
		panic(err)
	}
	analyzers, _ := p.BuildAnalyzers()
	fmt.Println(analyzers[0].Name, p.GetLoadMode())

	_, err = newPlugin(map[string]any{"lng": []any{"example.com/billing.Charge"}})
	fmt.Println(err)
	// Output:
	// sessionlock typesinfo
	// sessionlock plugin settings: decoding settings: json: unknown field "lng" (known keys: long)
}
