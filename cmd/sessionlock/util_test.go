package main

import (
	"sort"
	"strconv"
)

func itoa(i int) string { return strconv.Itoa(i) }

// sortedWith returns a sorted copy of ks with extra appended.
func sortedWith(ks []string, extra ...string) []string {
	out := append(append([]string(nil), ks...), extra...)
	sort.Strings(out)
	return out
}
