package session

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"testing"
)

// values behave as a map through random sets, deletes and clears, with
// few enough keys to stay a list, and with enough to move to a map.
func TestValuesActLikeAMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, keys := range []int{maxListedValues, 3 * maxListedValues} {
		var vs values
		model := make(map[string]any)
		for i := range 5000 {
			k := fmt.Sprint("k", r.IntN(keys))
			switch op := r.IntN(100); {
			case op < 60:
				vs.set(k, i)
				model[k] = i
			case op < 98:
				vs.delete(k)
				delete(model, k)
			default:
				vs.clear()
				clear(model)
			}
			if vs.len() != len(model) {
				t.Fatalf("%d keys, step %d: len %d, want %d", keys, i, vs.len(), len(model))
			}
			if got, want := vs.get(k), model[k]; got != want {
				t.Fatalf("%d keys, step %d: get(%q) = %v, want %v", keys, i, k, got, want)
			}
		}
		if got := maps.Collect(vs.all); !maps.Equal(got, model) {
			t.Fatalf("%d keys: all yields %v, want %v", keys, got, model)
		}
		if moved := vs.m != nil; moved != (keys > maxListedValues) {
			t.Errorf("%d keys: moved to a map: %v", keys, moved)
		}
	}
}
