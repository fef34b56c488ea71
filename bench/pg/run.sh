#!/usr/bin/env bash
# Benchmark: sessionlock's Manager + runtime/pgstore (locks every session
# in PostgreSQL) against scs v2 + scs/postgresstore (no lock), per request,
# and the hand-off latency of a contended session: pgstore's NOTIFY
# wake-up against a lock that polls every 500 ms (as ASP.NET's SQL Server
# session state does) and against the floor, a bare NOTIFY → LISTEN round
# trip. One PostgreSQL server (fsync on), started by the benchmark binary
# on loopback (TestMain), serves all rows.
#
# Usage: bench/pg/run.sh [rounds] [benchtime] [handoffs] [polled handoffs]
#        (default 5 rounds, 1s, 200 hand-offs per round for sessionlock and
#        the floor, 20 for the polling lock, whose hand-offs take 0.5 s)
#
# Method: the test binary is built once; each round runs every benchmark
# once with the order of the rows rotated (BENCH_ORDER), so load from other
# processes on a shared machine spreads over all rows. Printed: the median
# over rounds of each metric (ns/op wall, cpu-ns/op of the benchmark
# process, pg-cpu-ns/op of the whole PostgreSQL server from /proc, see
# meter_test.go), then hand-off percentiles over all rounds' hand-offs
# together.
set -euo pipefail

rounds=${1:-5}
benchtime=${2:-1s}
handoffs=${3:-200}
polled=${4:-20}
here=$(cd "$(dirname "$0")" && pwd)
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && ! command -v pg_ctl >/dev/null; then
	echo "PostgreSQL is needed: run \`make deps\` (it installs it) or apt-get install postgresql" >&2
	exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here" && go test -c -o "$work/bench.test" .)
mkdir "$work/handoff"

bench() { # order, pattern, benchtime
	(cd "$here" && BENCH_ORDER=$1 HANDOFF_OUT="$work/handoff" "$work/bench.test" -test.run '^$' \
		-test.bench "$2" -test.benchmem -test.benchtime="$3" -test.count=1) |
		tee -a "$work/raw.txt" | grep '^Benchmark' >&2
}

orders=("sessionlock,scs,floor" "scs,floor,sessionlock" "floor,sessionlock,scs")
for ((i = 0; i < rounds; i++)); do
	order=${orders[$((i % 3))]}
	echo "round $((i + 1))/$rounds ($order)" >&2
	bench "$order" 'Serial|Parallel' "$benchtime"
	bench "$order" 'Handoff/(sessionlock|floor)' "${handoffs}x"
	bench "$order" 'Handoff/polling' "${polled}x"
done

pgver=$(ls -d /usr/lib/postgresql/*/ 2>/dev/null | sort -V | tail -1 | xargs basename)
echo
echo "medians of $rounds rounds ($(go version | cut -d' ' -f3), $(nproc) CPUs, PostgreSQL $pgver)"
units="ns/op cpu-ns/op pg-cpu-ns/op p50-us p99-us B/op allocs/op"
printf "%-28s" benchmark
for u in $units; do printf " %13s" "$u"; done
echo
for name in $(grep '^Benchmark' "$work/raw.txt" | awk '{sub(/-[0-9]+$/, "", $1); print $1}' | awk '!seen[$0]++'); do
	printf "%-28s" "$name"
	for u in $units; do
		# the value before each unit, on this benchmark's lines
		vals=$(grep "^$name-[0-9]* " "$work/raw.txt" | awk -v u="$u" '{for (i = 4; i <= NF; i++) if ($i == u) print $(i-1)}')
		if [ -z "$vals" ]; then printf " %13s" -; continue; fi
		printf " %13.0f" "$(sort -g <<<"$vals" | awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')"
	done
	echo
done

echo
echo "hand-off latency over all $rounds rounds' hand-offs together (µs)"
printf "%-28s %7s %9s %9s %9s %9s\n" benchmark n p50 p90 p99 max
for f in "$work"/handoff/*.txt; do
	sort -g "$f" | awk -v name="$(basename "$f" .txt)" '
		{ v[NR] = $1 }
		function q(p) { return v[int(p * (NR - 1)) + 1] }
		END { printf "%-28s %7d %9.0f %9.0f %9.0f %9.0f\n", name, NR, q(0.5), q(0.9), q(0.99), v[NR] }'
done
