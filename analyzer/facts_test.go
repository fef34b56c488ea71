package analyzer

import (
	"bytes"
	"encoding/gob"
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func TestFuncFactIsFact(t *testing.T) {
	var f analysis.Fact = new(FuncFact)
	f.AFact()
	if !reflect.DeepEqual(Analyzer.FactTypes, []analysis.Fact{new(FuncFact), new(pendingFact)}) {
		t.Fatalf("FactTypes = %v, want *FuncFact and *pendingFact", Analyzer.FactTypes)
	}
}

func TestFuncFactString(t *testing.T) {
	for _, tc := range []struct {
		f    FuncFact
		want string
	}{
		{FuncFact{Role: RoleSource}, "role(source)"},
		{FuncFact{Role: RoleWrite | RoleLong}, "role(write long)"},
		{FuncFact{Role: RoleServeReadOnly}, "role(serve=readonly)"},
		{FuncFact{Blocks: []string{"fetchRates", "net/http.Get"}}, "blocks(fetchRates → net/http.Get)"},
		{FuncFact{Writes: []string{"s.Set"}, Releases: true, Always: true}, "writes(s.Set) releases always"},
		{FuncFact{Acquires: true, AcquireFirst: true, Handler: true}, "acquires acquire-first handler"},
		{FuncFact{}, ""},
	} {
		if got := tc.f.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.f, got, tc.want)
		}
	}
}

// The go command hands facts between vet processes gob-encoded.
func TestFuncFactGobRoundTrip(t *testing.T) {
	in := &FuncFact{
		Role:         RoleRelease,
		Blocks:       []string{"reports.Build", "fetchRates", "net/http.Get"},
		Writes:       []string{"s.Set"},
		Releases:     true,
		Acquires:     true,
		Always:       true,
		AcquireFirst: true,
		Handler:      true,
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(in); err != nil {
		t.Fatal(err)
	}
	out := new(FuncFact)
	if err := gob.NewDecoder(&buf).Decode(out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("round trip: got %+v, want %+v", out, in)
	}
}

func TestFuncFactEmpty(t *testing.T) {
	if !(&FuncFact{Handler: true, Always: true}).empty() {
		t.Error("a fact with only Handler/Always must count as empty: callers gain nothing from it")
	}
	for _, f := range []*FuncFact{{Role: RoleLong}, {Blocks: []string{"x"}}, {Writes: []string{"x"}}, {Releases: true}, {Acquires: true}} {
		if f.empty() {
			t.Errorf("%v reported empty", f)
		}
	}
}
