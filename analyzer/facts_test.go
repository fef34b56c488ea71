package analyzer

import (
	"bytes"
	"encoding/gob"
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func TestFuncFactIsFact(t *testing.T) {
	var f analysis.Fact = new(funcFact)
	f.AFact()
	if !reflect.DeepEqual(Analyzer.FactTypes, []analysis.Fact{new(funcFact)}) {
		t.Fatalf("FactTypes = %v, want exactly one *funcFact", Analyzer.FactTypes)
	}
}

func TestFuncFactString(t *testing.T) {
	for _, tc := range []struct {
		f    funcFact
		want string
	}{
		{funcFact{Role: roleSource}, "role(source)"},
		{funcFact{Role: roleWrite | roleLong}, "role(write long)"},
		{funcFact{Role: roleServeReadOnly}, "role(serve=readonly)"},
		{funcFact{Blocks: []string{"fetchRates", "net/http.Get"}}, "blocks(fetchRates → net/http.Get)"},
		{funcFact{Writes: []string{"s.Set"}, Releases: true, Always: true}, "writes(s.Set) releases always"},
		{funcFact{Acquires: true, AcquireFirst: true, Handler: true}, "acquires acquire-first handler"},
		{funcFact{Obtains: true, Serve: uint8(modeHeld)}, "obtains serves(held, arg 0)"},
		{funcFact{Result: &funcFact{Blocks: []string{"Index.func1", "time.Sleep"}}}, "returns(blocks(Index.func1 → time.Sleep))"},
		{funcFact{Registers: &funcFact{Writes: []string{"h", "s.Set"}}, RegistersArg: 2}, "registers(arg 1: writes(h → s.Set))"},
		{funcFact{}, ""},
	} {
		if got := tc.f.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.f, got, tc.want)
		}
	}
}

// The go command hands facts between vet processes gob-encoded.
func TestFuncFactGobRoundTrip(t *testing.T) {
	in := &funcFact{
		Role:         roleRelease,
		Blocks:       []string{"reports.Build", "fetchRates", "net/http.Get"},
		Writes:       []string{"s.Set"},
		Releases:     true,
		Acquires:     true,
		Always:       true,
		AcquireFirst: true,
		Handler:      true,
		Obtains:      true,
		Serve:        uint8(modeReadOnly),
		ServeArg:     1,
		Result:       &funcFact{Blocks: []string{"Index.func1", "time.Sleep"}},
		Registers:    &funcFact{Writes: []string{"save", "s.Set"}, AcquireFirst: true},
		RegistersArg: 1,
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(in); err != nil {
		t.Fatal(err)
	}
	out := new(funcFact)
	if err := gob.NewDecoder(&buf).Decode(out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("round trip: got %+v, want %+v", out, in)
	}
}

func TestFuncFactEmpty(t *testing.T) {
	if !(&funcFact{Handler: true, Always: true}).empty() {
		t.Error("a fact with only Handler/Always must count as empty: callers gain nothing from it")
	}
	for _, f := range []*funcFact{{Role: roleLong}, {Blocks: []string{"x"}}, {Writes: []string{"x"}}, {Releases: true}, {Acquires: true}} {
		if f.empty() {
			t.Errorf("%v reported empty", f)
		}
	}
}
