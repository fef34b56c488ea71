package session

import (
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// Decoding shares the keys it has seen, but the table stays bounded, and
// keys past the bound or too long for it still decode right.
func TestInternedKeysStayBounded(t *testing.T) {
	var tbl keyTable
	first := tbl.intern([]byte("user_id"))
	if again := tbl.intern([]byte("user_id")); unsafe.StringData(again) != unsafe.StringData(first) {
		t.Error("a key seen before was allocated anew")
	}
	for i := range 2 * maxInternedKeys {
		k := "key" + strconv.Itoa(i)
		if got := tbl.intern([]byte(k)); got != k {
			t.Fatalf("intern(%q) = %q", k, got)
		}
	}
	long := strings.Repeat("k", maxInternedKey+1)
	if got := tbl.intern([]byte(long)); got != long {
		t.Fatalf("intern of a long key = %q", got)
	}
	keys := *tbl.keys.Load()
	if len(keys) != maxInternedKeys {
		t.Errorf("the table holds %d keys, want the bound %d", len(keys), maxInternedKeys)
	}
	if _, ok := keys[long]; ok {
		t.Error("a key longer than the bound was kept")
	}
}
