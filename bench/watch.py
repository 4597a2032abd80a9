#!/usr/bin/env python3
"""Time from saving one briefing in a watched site to its page being rewritten.

    python3 bench/watch.py --binary target/release/briefing --site bench/site-1000 [--saves 10] [--change title]

Copies the site to a temporary folder, starts `briefing watch` there, waits for the first
build, then saves one briefing at a time (a new sentence with a unique word, written the way
an editor writes: the whole file, in place) and polls its page in output/ until the word
appears. With `--change title` it changes the briefing's title instead, which also changes
the home page, listings, theme pages and related links. Prints each save's time to the page,
to the whole rebuild (the watcher's report line, printed once every page and PDF is written)
and to the briefing's handout PDF, and their medians. The times include the watcher's debounce,
as a user would feel it.
"""

import argparse
import os
import re
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
    p.add_argument("--change", choices=["body", "title"], default="body")
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
            took, whole, pdfs = [], [], []
            for i in range(a.saves):
                slug = slugs[(i * step) % len(slugs)]
                src = root / "briefings" / f"{slug}.md"
                page = root / "output" / "briefings" / slug / "index.html"
                pdf = root / "output" / "briefings" / slug / f"{slug}.pdf"
                pdf_before = pdf.stat().st_mtime_ns if pdf.exists() else None
                marker = f"benchmarksave{i}x{time.monotonic_ns()}"
                text = src.read_text()
                if a.change == "title":
                    text = re.sub(r'^title = "(.*)"$', lambda m: f'title = "{m.group(1)} {marker}"', text, count=1, flags=re.M)
                else:
                    text += f"\nA sentence added to time the rebuild: {marker}.\n"
                before = len(lines)
                start = time.monotonic()
                src.write_text(text)
                wait_for(lambda: page.exists() and marker in page.read_text(errors="replace"), 30, f"{page} to change")
                took.append(time.monotonic() - start)
                wait_for(lambda: len(lines) > before, 30, "the watcher's report line")
                whole.append(time.monotonic() - start)
                # The PDF is written with the pages, or not at all when what it shows is unchanged
                # (a sentence added to a section the handout leaves out).
                if pdf_before is not None and pdf.stat().st_mtime_ns != pdf_before:
                    pdfs.append(pdf.stat().st_mtime_ns / 1e9 - (time.time() - (time.monotonic() - start)))
                print(f"save {i + 1}: {slug} rewritten after {took[-1] * 1000:.0f} ms; watcher: {lines[-1].strip()}")
                time.sleep(0.3)  # separate saves, as a person typing and saving would
            ms = lambda xs: f"{statistics.median(xs) * 1000:.0f} ms"
            pdf_part = f", its handout {ms(pdfs)}" if pdfs else ""
            print(f"median to the page {ms(took)} (max {max(took) * 1000:.0f} ms), to the whole rebuild {ms(whole)}{pdf_part}; {len(took)} saves")
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
