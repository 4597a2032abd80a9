#!/usr/bin/env bash
# Builds each hostile shape of bench/hostile.py at N and 4N with the release binary and prints
# the CPU time (user + sys) of each and their ratio: near 4 is linear, 16 quadratic.
#
#   cargo build --release && bench/hostile.sh                 # every shape
#   bench/hostile.sh sections mentions                       # some shapes
#   BIN=target/release/briefing SCALE=2 bench/hostile.sh     # N twice the default
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${BIN:-$here/../target/release/briefing}
scale=${SCALE:-1}
limit=${LIMIT:-600}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shape, N, command (`build --no-pdf` unless handouts or `check` are the subject)
table="
sections 2500 build --no-pdf
equal-titles 2500 build --no-pdf
links 2500 build --no-pdf
broken-links 1000 check
themes 500 build --no-pdf
mentions 300 build --no-pdf
raw-html-links 2000 check
nested 2000 build --no-pdf
footnotes 2000 build --no-pdf
tables 5000 build --no-pdf
shared-themes 500 build --no-pdf
linking 500 build --no-pdf
handout-sections 2500 build
"

printf '%-17s %7s %9s %9s %9s %9s %6s\n' shape N 'KB 1x' 'KB 4x' 'CPU s 1x' 'CPU s 4x' ratio
echo "$table" | while read -r shape n cmd; do
  [ -z "$shape" ] && continue
  if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$shape"; then continue; fi
  n=$((n * scale))
  row=()
  for m in "$n" $((n * 4)); do
    site="$tmp/$shape-$m"
    python3 "$here/hostile.py" "$shape" "$m" "$site"
    kb=$(du -sk "$site" | cut -f1)
    # shellcheck disable=SC2086
    /usr/bin/time -o "$site.time" -f '%U %S' timeout "$limit" "$bin" $cmd --root "$site" >/dev/null 2>&1 || true
    cpu=$(awk 'NF == 2 && $1 ~ /^[0-9.]+$/ {print $1 + $2}' "$site.time")
    row+=("$kb" "${cpu:-timeout}")
    rm -rf "$site"
  done
  ratio=$(awk -v a="${row[1]}" -v b="${row[3]}" 'BEGIN { if (a + 0 > 0) printf "%.1f", b / a; else print "-" }')
  printf '%-17s %7s %9s %9s %9s %9s %6s\n' "$shape" "$n" "${row[0]}" "${row[2]}" "${row[1]}" "${row[3]}" "$ratio"
done
