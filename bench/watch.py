#!/usr/bin/env python3
"""Time from saving one briefing in a watched site to its page being rewritten.

    python3 bench/watch.py --binary target/dist/briefing --site bench/site-1000 [--saves 10]

Copies the site to a temporary folder, starts `briefing watch` there, waits for the first
build, then saves one briefing at a time (a new sentence with a unique word, written the way
an editor writes: the whole file, in place) and polls its page in output/ until the word
appears. Prints each save's time and the median, and the watcher's own "Rebuilt in" lines.
The time includes the watcher's debounce, as a user would feel it.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

POLL = 0.002


def wait_for(predicate, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(POLL)
    sys.exit(f"timed out after {timeout} s waiting for {what}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--binary", type=Path, required=True)
    p.add_argument("--site", type=Path, required=True)
    p.add_argument("--saves", type=int, default=10)
    a = p.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        shutil.copytree(a.site, root, ignore=shutil.ignore_patterns("output", "output.*"))
        env = dict(os.environ, BRIEFING_TODAY=os.environ.get("BRIEFING_TODAY", "2026-11-23"))
        proc = subprocess.Popen([a.binary.resolve(), "watch", "--root", root], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True, env=env)
        lines = []
        threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
        try:
            wait_for(lambda: any(l.startswith("Watching") for l in lines), 120, "the first build")
            time.sleep(0.5)  # let the watcher settle before the first save
            slugs = sorted(f.stem for f in (root / "briefings").glob("*.md"))
            step = max(1, len(slugs) // a.saves)
            took = []
            for i in range(a.saves):
                slug = slugs[(i * step) % len(slugs)]
                src = root / "briefings" / f"{slug}.md"
                page = root / "output" / "briefings" / slug / "index.html"
                marker = f"benchmarksave{i}x{time.monotonic_ns()}"
                text = src.read_text() + f"\nA sentence added to time the rebuild: {marker}.\n"
                before = len(lines)
                start = time.monotonic()
                src.write_text(text)
                wait_for(lambda: page.exists() and marker in page.read_text(errors="replace"), 30, f"{page} to change")
                took.append(time.monotonic() - start)
                wait_for(lambda: len(lines) > before, 30, "the watcher's report line")
                print(f"save {i + 1}: {slug} rewritten after {took[-1] * 1000:.0f} ms; watcher: {lines[-1].strip()}")
                time.sleep(0.3)  # separate saves, as a person typing and saving would
            print(f"median {statistics.median(took) * 1000:.0f} ms, max {max(took) * 1000:.0f} ms over {len(took)} saves")
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
