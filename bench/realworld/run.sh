#!/usr/bin/env bash
# Benchmark: the analyzer on real apps. Runs the shared real-app score
# (../shared/realworld/score, beside the checkout; REALWORLD=DIR names
# another copy), prints its figures, the findings it counted by kind, and
# the peak memory and time of `sessionlock ./...` on each app next to a
# do-nothing analyzer (bench/vet/floor, standalone) on the same app,
# interleaved over ROUNDS rounds (default 3), medians.
#
# Usage: bench/realworld/run.sh [rounds]      (make realworld)
#
# It is not part of `make test`: the score needs the apps' dependencies from
# the module proxy the first time, and takes minutes. The apps stay where
# they are (their licenses with them); they are extracted to a temporary
# directory for the run.
set -euo pipefail

rounds=${1:-${ROUNDS:-3}}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rw=${REALWORLD:-$root/../shared/realworld}
if [ ! -x "$rw/score" ]; then
	echo "no real apps at $rw (the shared folder beside the checkout); set REALWORLD=DIR" >&2
	exit 2
fi
timebin=/usr/bin/time
if ! "$timebin" -f %e true >/dev/null 2>&1; then
	echo "GNU time is needed at $timebin (Debian: apt-get install -y time)" >&2
	exit 2
fi

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

echo "== score ($rw/score)"
status=0
(cd "$root" && KEEP="$work" "$rw/score") >"$work/score.txt" 2>&1 || status=$?
grep -v '^go: downloading' "$work/score.txt" || true

echo "== findings by kind (lines with a finding; registration: a handler of another package judged where it is served)"
python3 - "$work" <<'PY'
import json, os, sys
tmp = sys.argv[1]
for a in sorted(os.listdir(f"{tmp}/apps")):
    path = f"{tmp}/{a}.json"
    if not os.path.exists(path):
        continue
    text, dec, i = open(path).read(), json.JSONDecoder(), 0
    kinds, lines = {}, set()
    while i < len(text):
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        obj, i = dec.raw_decode(text, i)
        for byan in obj.values():
            for ds in byan.values():
                if isinstance(ds, dict):
                    continue
                for d in ds:
                    if d["posn"] in lines:
                        continue
                    lines.add(d["posn"])
                    k = d.get("category", "?")
                    if k == "long-call-under-lock" and " blocks at " in d["message"]:
                        k += " (registration)"
                    kinds[k] = kinds.get(k, 0) + 1
    print(f"{a}: {len(lines)} findings: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
PY

echo "== time and peak memory, sessionlock ./... against the floor analyzer ($rounds rounds, medians)"
(cd "$root" && go build -o "$work/sessionlock" ./cmd/sessionlock)
(cd "$root/bench/vet" && go build -o "$work/floor" ./floorcheck)
for a in $(ls "$work/apps"); do
	for i in $(seq 1 "$rounds"); do
		order="floor sessionlock"
		[ $((i % 2)) = 0 ] && order="sessionlock floor"
		for t in $order; do
			(cd "$work/apps/$a" && "$timebin" -f "%e %M" -o "$work/$a.$t.$i" "$work/$t" ./... >/dev/null 2>&1) || true
		done
	done
	python3 - "$work" "$a" "$rounds" <<'PY'
import statistics, sys
tmp, a, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def med(t, k):
    return statistics.median(float(open(f"{tmp}/{a}.{t}.{i}").read().splitlines()[-1].split()[k]) for i in range(1, n + 1))
fs, fm, ss, sm = med("floor", 0), med("floor", 1) / 1024, med("sessionlock", 0), med("sessionlock", 1) / 1024
print(f"{a}: floor {fs:.2f} s {fm:.0f} MB; sessionlock {ss:.2f} s {sm:.0f} MB; ratio {ss/fs:.2f}x time, {sm/fm:.2f}x memory")
PY
done
exit "$status"
