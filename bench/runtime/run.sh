#!/bin/sh
# Reproduces the runtime benchmark: per-request cost of the sessionlock
# middleware against scs (memory store) and a bare handler, serial and with
# one session per goroutine, all in one invocation. Prints every run, then
# the median ns/op, B/op and allocs/op of each benchmark.
#
#   bench/runtime/run.sh [count]   (default count 6)
set -eu
cd "$(dirname "$0")"
count=${1:-6}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
go test -run '^$' -bench . -benchmem -count="$count" . | tee "$out"
echo
echo "medians over $count runs:"
awk '
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	if (!(name in n)) order[++names] = name
	i = ++n[name]
	ns[name, i] = $3; by[name, i] = $5; al[name, i] = $7
}
function median(arr, name, k,    a, j, t, m, x, y) {
	for (j = 1; j <= k; j++) a[j] = arr[name, j] + 0
	for (x = 1; x <= k; x++) for (y = x + 1; y <= k; y++) if (a[y] < a[x]) { t = a[x]; a[x] = a[y]; a[y] = t }
	m = int((k + 1) / 2)
	return (k % 2) ? a[m] : (a[m] + a[m + 1]) / 2
}
END {
	printf "%-34s %12s %10s %10s\n", "benchmark", "ns/op", "B/op", "allocs/op"
	for (o = 1; o <= names; o++) {
		name = order[o]
		printf "%-34s %12.1f %10.0f %10.0f\n", name, median(ns, name, n[name]), median(by, name, n[name]), median(al, name, n[name])
	}
}' "$out"
