#!/usr/bin/env bash
# Benchmark: does sessionlock's analysis cost grow linearly with the code?
#
# Usage: bench/vet/scale.sh [runs]        (default 5)
#
# gen writes synthetic modules (see gen/main.go) at three sizes: k=0 (the
# fixed part: net/http, the session library, empty packages), k=8 (320
# handlers, a chain of 32 packages, one handler of 25,600 statements with
# 6,400 findings) and k=64, eight times k=8 in every direction. scale
# loads each module once and measures the analysis alone, in CPU seconds
# with the garbage collector off during the run (and bytes allocated),
# sessionlock against the do-nothing floor analyzer, median of the runs.
# The growth of the analysis from k=8 to k=64, net of the fixed part,
# should be about 8x. k=0 and k=8 run three times as many times: their
# net difference is small, and its noise would swing the ratio.
set -euo pipefail

runs=${1:-5}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$here" && go build -o "$work/gen" ./gen && go build -o "$work/scale" ./scale)
declare -A cost alloc
for k in 0 8 64; do
	"$work/gen" -scale "$k" -o "$work/m$k" -root "$root"
	# The small sizes are cheap and their difference is what the ratio
	# divides by: three times the runs there steady its median.
	n=$runs
	[ "$k" = 64 ] || n=$((runs * 3))
	line=$("$work/scale" -runs "$n" "$work/m$k")
	echo "k=$k: $line"
	cost[$k]=$(sed -E 's/.* analysis ([0-9.]+) .*/\1/' <<<"$line")
	alloc[$k]=$(sed -E 's/.* allocated ([0-9.]+) MB.*/\1/' <<<"$line")
done
awk -v a0="${cost[0]}" -v a8="${cost[8]}" -v a64="${cost[64]}" -v m0="${alloc[0]}" -v m8="${alloc[8]}" -v m64="${alloc[64]}" 'BEGIN {
	printf "analysis net of the fixed part: k=8 %.3fs, k=64 %.3fs: %.1fx CPU for 8x the code (target: about 8x)\n", a8-a0, a64-a0, (a64-a0)/(a8-a0)
	printf "allocated net of the fixed part: k=8 %.1f MB, k=64 %.1f MB: %.1fx\n", m8-m0, m64-m0, (m64-m0)/(m8-m0)
}'
