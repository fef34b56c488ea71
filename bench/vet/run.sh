#!/usr/bin/env bash
# Benchmark: sessionlock as a go vet tool on golang.org/x/tools ./..., against
# plain `go vet` and the floor tool (an analyzer that does nothing but declares
# a fact type, built from this directory).
#
# Usage: bench/vet/run.sh [rounds]        (default 5; ROUNDS env works too)
#        BASELINE=<git rev> bench/vet/run.sh [rounds]
#                                         (adds sessionlock built at that
#                                         revision to the same rounds)
#
# Method, so that the three are compared fairly:
#   - The target is a writable copy of golang.org/x/tools v0.52.0 from the
#     module cache (its dependencies come from the module cache or proxy).
#   - One GOCACHE is warmed once with every compile action `go vet ./...`
#     needs, by vetting with a fourth tool (the floor tool built with
#     -trimpath: a different binary, hence a different tool ID, so none of its
#     cached vet results can be reused by the tools under test).
#   - go caches vet results per tool ID, so re-running a tool in the same cache
#     would measure nothing. Every measured run therefore gets a fresh copy of
#     the warmed cache (cp -a, not timed): compilation is always a hit, vet
#     analysis always runs, on every package and every dependency.
#   - Rounds interleave the three tools (rotating which goes first) so that
#     load from other processes on the machine spreads over all of them.
#   - Wall time and peak RSS come from GNU time (%e, %M). %M is the largest
#     resident set of any single process in the tree (go or a vet tool run),
#     which is what bounds the memory a machine needs.
# Medians over the rounds are printed, with the ratios the project tracks.
set -euo pipefail

rounds=${1:-${ROUNDS:-5}}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
timebin=/usr/bin/time
if ! "$timebin" -f %e true >/dev/null 2>&1; then
	echo "GNU time is needed at $timebin (Debian: apt-get install -y time)" >&2
	exit 2
fi

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

echo "building tools..." >&2
(cd "$here" && go build -o "$work/floor" .)
(cd "$here" && go build -trimpath -o "$work/warmtool" .)
(cd "$root" && go build -o "$work/sessionlock" ./cmd/sessionlock)
names=(plain floor sessionlock)
if [ -n "${BASELINE:-}" ]; then
	# The same analyzer at another revision, in the same rounds: on a shared
	# machine the ratio to the floor moves from one invocation to the next,
	# the comparison within one does not.
	git -C "$root" worktree add -q --detach "$work/baseline-src" "$BASELINE"
	trap 'git -C "$root" worktree remove --force "$work/baseline-src" 2>/dev/null; chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
	(cd "$work/baseline-src" && go build -o "$work/baseline" ./cmd/sessionlock)
	names+=(baseline)
fi

echo "preparing golang.org/x/tools copy..." >&2
xt=$(go env GOMODCACHE)/golang.org/x/tools@v0.52.0
if [ ! -d "$xt" ]; then
	(cd "$here" && go mod download golang.org/x/tools@v0.52.0)
fi
cp -r "$xt" "$work/xtools"
chmod -R u+w "$work/xtools"
(cd "$work/xtools" && go mod download)

echo "warming the compile cache..." >&2
(cd "$work/xtools" && GOCACHE="$work/warm" go vet -vettool="$work/warmtool" ./... >/dev/null 2>&1) || true

calc() { awk "BEGIN { printf \"%.4f\", $1 }"; }

# run NAME VETFLAGS...: one measured run in a fresh copy of the warm cache.
run() {
	local name=$1
	shift
	rm -rf "$work/cache"
	cp -a "$work/warm" "$work/cache"
	local rc=0
	(cd "$work/xtools" && GOCACHE="$work/cache" "$timebin" -f '%e %M' -o "$work/time.out" \
		go vet "$@" ./... >"$work/$name.log" 2>&1) || rc=$?
	# plain go vet reports findings in x/tools (exit 1); a tool crash is
	# something else and must not be timed as if it were a run.
	if [ "$rc" -gt 1 ]; then
		echo "$name: go vet exited $rc" >&2
		tail -20 "$work/$name.log" >&2
		exit 1
	fi
	read -r secs kb <"$work/time.out"
	echo "$secs $kb" >>"$work/$name.samples"
	printf '  %-12s %7.2fs %8.1f MB  (exit %d)\n' "$name" "$secs" "$(calc "$kb/1024")" "$rc" >&2
}

n=${#names[@]}
for ((i = 0; i < rounds; i++)); do
	echo "round $((i + 1))/$rounds" >&2
	for ((j = 0; j < n; j++)); do
		case ${names[$(((i + j) % n))]} in
		plain) run plain ;;
		floor) run floor -vettool="$work/floor" ;;
		sessionlock) run sessionlock -vettool="$work/sessionlock" ;;
		baseline) run baseline -vettool="$work/baseline" ;;
		esac
	done
done

median() { # median of column $2 of file $1
	sort -n -k"$2","$2" "$1" | awk -v c="$2" '{v[NR]=$c} END{ if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2 }'
}

echo
echo "go vet ./... on golang.org/x/tools v0.52.0, $rounds interleaved rounds, medians ($(go version | cut -d' ' -f3), $(nproc) CPUs)"
printf '%-12s %10s %14s\n' tool wall peak-RSS
for n in "${names[@]}"; do
	t=$(median "$work/$n.samples" 1)
	m=$(median "$work/$n.samples" 2)
	printf '%-12s %9.2fs %11.1f MB\n' "$n" "$t" "$(calc "$m/1024")"
	eval "t_$n=$t m_$n=$m"
done
printf 'sessionlock/floor time:   %.3fx  (target <= 1.15x)\n' "$(calc "$t_sessionlock/$t_floor")"
printf 'sessionlock/plain time:   %.3fx  (target < 1x)\n' "$(calc "$t_sessionlock/$t_plain")"
printf 'sessionlock/plain memory: %.3fx  (target <= 1x)\n' "$(calc "$m_sessionlock/$m_plain")"
if [ -n "${BASELINE:-}" ]; then
	printf 'baseline (%s)/floor time: %.3fx\n' "$BASELINE" "$(calc "$t_baseline/$t_floor")"
	printf 'sessionlock/baseline time: %.3fx, memory %.3fx\n' "$(calc "$t_sessionlock/$t_baseline")" "$(calc "$m_sessionlock/$m_baseline")"
fi
