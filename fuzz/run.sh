#!/usr/bin/env bash
# Fuzzes `briefing` for a bounded time: fuzz/run.sh [SECONDS] (default 60, shared between the
# targets parse_source, build_one, url_policy and svg_clean). Exits non-zero if a target crashed,
# hung or ran out of memory; the input that did it is left in fuzz/artifacts/<target>/.
#
# cargo fuzz needs nightly Rust for its sanitizer flags; RUSTC_BOOTSTRAP=1 lets the stable
# toolchain accept them, so no second toolchain is installed. Needs a C++ compiler (libFuzzer
# is built from source by the libfuzzer-sys crate). Installs cargo-fuzz if it is missing.
#
# The seed corpus in fuzz/corpus/<target>/ is copied to a scratch folder, so a run never
# changes the repository. Regression inputs live in fuzz/regressions/<target>/, and
# `cargo test` (tests/suite/fuzz_regressions.rs) runs them and the corpus through the same code.
set -euo pipefail

seconds=${1:-60}
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"

if ! command -v cargo-fuzz >/dev/null; then
    echo "installing cargo-fuzz"
    cargo install cargo-fuzz --locked --version 0.13.2
fi
export RUSTC_BOOTSTRAP=1

targets=(parse_source build_one url_policy svg_clean)
per_target=$(( seconds / ${#targets[@]} ))
[ "$per_target" -ge 1 ] || per_target=1

cargo fuzz build -O

status=0
for target in "${targets[@]}"; do
    scratch=$(mktemp -d)
    cp corpus/"$target"/* "$scratch"/
    echo "==> fuzzing $target for ${per_target}s"
    # -timeout: an input that takes over 10 s counts as a hang; -rss_limit_mb bounds memory.
    if ! cargo fuzz run -O "$target" "$scratch" corpus/"$target" -- \
        -max_total_time="$per_target" -timeout=10 -rss_limit_mb=2048 -max_len=200000 \
        -print_final_stats=1 2>"$scratch.log"; then
        tail -n 40 "$scratch.log"
        echo "error: fuzz target $target failed; the input is in fuzz/artifacts/$target/." >&2
        echo "Fix the bug, then copy the input into fuzz/regressions/$target/ so cargo test keeps checking it." >&2
        status=1
    else
        grep -E "^stat::number_of_executed_units|^Done" "$scratch.log" || true
    fi
    rm -rf "$scratch" "$scratch.log"
done
exit "$status"
