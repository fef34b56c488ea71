#!/usr/bin/env bash
# Benchmark: per-request cost of sessionlock's Manager + runtime/redisstore
# (locks every session in Redis) against scs v2 + scs/redisstore (redigo
# pool, no lock), and a two-round-trip go-redis floor, on one redis-server
# that the benchmark binary starts on loopback (TestMain).
#
# It also measures hand-off latency: a request on one app server releases
# a session that a request on another waits for; the time from release to
# the waiter's handler starting, for sessionlock (woken by the release), a
# phpredis-style polling lock, and the floor (a push waking a blocked pop,
# no lock: what the machine charges for the signal); see handoff_test.go.
#
# Usage: bench/redis/run.sh [rounds] [benchtime] [handoffs]
#        (default 6 rounds, 1s, 300 hand-offs per round and row)
#
# Method: the test binary is built once; each round runs every benchmark
# once (-count=1) with the order of the rows rotated (BENCH_ORDER), so that
# load from other processes on a shared machine spreads over all rows.
# Medians over the rounds of ns/op (wall), cpu-ns/op (this process's CPU:
# middleware, codec, client), redis-cpu-ns/op (Redis's main-thread CPU time
# from INFO cpu: what bounds one Redis's requests per second), rt/op (round
# trips), p50-us and p99-us (hand-off), B/op and allocs/op are printed,
# with sessionlock/scs (sessionlock/polling for the hand-off) ratios; then
# hand-off percentiles over every round's hand-offs together (a p99 of one
# round's 300 rests on its three slowest). See bench_test.go,
# handoff_test.go and metrics_test.go for what one op is.
set -euo pipefail

rounds=${1:-${ROUNDS:-6}}
benchtime=${2:-1s}
handoffs=${3:-300}
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v redis-server >/dev/null && [ ! -x /usr/bin/redis-server ]; then
	echo "redis-server is needed: run \`make test\` (it installs it) or apt-get install redis-server" >&2
	exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here" && go test -c -o "$work/bench.test" .)
mkdir "$work/handoff"

orders=("sessionlock,scs,floor" "scs,floor,sessionlock" "floor,sessionlock,scs")
for ((i = 0; i < rounds; i++)); do
	order=${orders[$((i % 3))]}
	echo "round $((i + 1))/$rounds ($order)" >&2
	(cd "$here" && BENCH_ORDER=$order "$work/bench.test" -test.run '^$' -test.bench 'Serial|Parallel' \
		-test.benchmem -test.benchtime="$benchtime" -test.count=1) |
		tee -a "$work/raw.txt" | grep '^Benchmark' >&2
	(cd "$here" && BENCH_ORDER=$order HANDOFF_OUT="$work/handoff" "$work/bench.test" -test.run '^$' -test.bench 'Handoff' \
		-test.benchtime="${handoffs}x" -test.count=1) |
		tee -a "$work/raw.txt" | grep '^Benchmark' >&2
done

echo
echo "medians of $rounds rounds ($(go version | cut -d' ' -f3), $(nproc) CPUs, redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'))"
awk '
BEGIN { nu = split("ns/op cpu-ns/op redis-cpu-ns/op rt/op p50-us p99-us B/op allocs/op", units, " ") }
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	for (i = 3; i < NF; i++) vals[name, $(i+1)] = vals[name, $(i+1)] " " $i
	if (!(name in seen)) { seen[name] = 1; names[++n] = name }
}
function median(s,   v, k, i, j, t) {
	k = split(s, v, " ")
	if (k == 0) return 0
	for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
	return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
}
END {
	printf "%-30s", "benchmark"
	for (u = 1; u <= nu; u++) printf " %15s", units[u]
	printf "\n"
	for (i = 1; i <= n; i++) {
		m = names[i]
		printf "%-30s", m
		for (u = 1; u <= nu; u++) {
			med[m, units[u]] = median(vals[m, units[u]])
			if (vals[m, units[u]] == "") printf " %15s", "-"
			else if (units[u] == "rt/op") printf " %15.2f", med[m, units[u]]
			else printf " %15.0f", med[m, units[u]]
		}
		printf "\n"
	}
	for (i = 1; i <= n; i++) {
		m = names[i]
		if (m !~ /\/sessionlock$/) continue
		s = m; sub(/sessionlock$/, m ~ /Handoff/ ? "polling" : "scs", s)
		if (!((s, "ns/op") in med)) continue
		printf "%s vs %s:", m, s
		for (u = 1; u <= nu; u++) if (med[s, units[u]] > 0) printf " %s %.2fx", units[u], med[m, units[u]] / med[s, units[u]]
		printf "\n"
	}
}' "$work/raw.txt"

echo
echo "hand-off latency over all $rounds rounds' hand-offs together (µs)"
printf "%-30s %8s %8s %8s %8s %8s %8s\n" benchmark n p50 p90 p99 p99.9 max
for f in "$work"/handoff/*.txt; do
	sort -g "$f" | awk -v name="$(basename "$f" .txt)" '
		{ v[NR] = $1 }
		function q(p) { return v[int(p * (NR - 1)) + 1] }
		END { printf "%-30s %8d %8.0f %8.0f %8.0f %8.0f %8.0f\n", name, NR, q(0.5), q(0.9), q(0.99), q(0.999), v[NR] }'
done
