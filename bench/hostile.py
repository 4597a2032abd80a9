#!/usr/bin/env python3
"""Write a site of one hostile shape, scaled by N, to find stages whose time grows faster than
the input (issue 16, item 5).

    python3 bench/hostile.py SHAPE N OUT_DIR
    python3 bench/hostile.py --list

Each shape is one way a real site can grow large in one direction: one briefing with N
sections, N links, N footnotes, a paragraph naming N themes; N briefings sharing themes or
linking to one another. `bench/hostile.sh` builds each at N and 4N and prints the ratio of the
CPU times: near 4 is linear, 16 quadratic.
"""

import shutil
import sys
from pathlib import Path

FRONT = '+++\ntitle = "{title}"\nformat = "{format}"\npublished = 2024-05-01\nreview_due = 2099-01-01\nsummary = "A generated briefing."\n{extra}+++\n'


def briefing(title, body, extra="", fmt="guidance"):
    return FRONT.format(title=title, format=fmt, extra=extra) + "\nAn introduction.\n\n" + body


def one(body, extra=""):
    """A site of one briefing."""
    return {"briefings/big.md": briefing("Big", body, extra)}


def sections(n):
    return one("".join(f"## Section number {i}\n\nText of section {i}, short and plain.\n\n" for i in range(n)))


def equal_titles(n):
    return one("".join(f"## Background\n\nText {i}.\n\n" for i in range(n)))


def links(n):
    heads = "".join(f"## Part {i}\n\nText.\n\n" for i in range(n))
    return one(heads + "## Links\n\n" + "".join(f"- [to part {i}](#part-{i})\n" for i in range(n)))


def broken_links(n):
    heads = "".join(f"## Part {i}\n\nText.\n\n" for i in range(n))
    local = "".join(f"- [nowhere {i}](#nowhere-{i})\n" for i in range(n))
    other = "".join(f"- [elsewhere {i}](other.md#gone-{i})\n" for i in range(n))
    site = one(heads + "## Links\n\n" + local + other)
    site["briefings/other.md"] = briefing("Other", "## One\n\nText.\n")
    return site


def themes(n):
    names = ", ".join(f'"theme number {i}"' for i in range(n))
    return one("## Body\n\nText.\n", f"themes = [{names}]\n")


def mentions(n):
    site = {f"themes/theme-{i}.md": f'+++\ntitle = "Theme {i} of many"\naliases = ["alias {i} here"]\n+++\nWhat it means.\n' for i in range(n)}
    para = " ".join(f"We saw theme {i} of many, and alias {i} here, in practice." for i in range(n))
    site.update(one("## Mentions\n\n" + para + "\n"))
    return site


def raw_html_links(n):
    return one("## Links\n\n" + "".join(f'<p><a href="#missing-{i}">x</a> <a href="other-{i}.html">y</a></p>\n' for i in range(n)))


def nested(n):
    depth = min(n, 100)
    lists = "".join("  " * d + f"- item at depth {d}\n" for d in range(depth))
    quotes = "".join(">" * (d + 1) + f" quote at depth {d}\n" for d in range(depth))
    return one("".join(f"## Part {i}\n\n{lists}\n{quotes}\n" for i in range(n // depth)))


def footnotes(n):
    refs = " ".join(f"Claim {i}.[^n{i}]" for i in range(n))
    defs = "".join(f"[^n{i}]: Source {i}.\n" for i in range(n))
    return one("## Notes\n\n" + refs + "\n\n" + defs)


def tables(n):
    rows = "".join(f"| row {i} | value {i} | more {i} |\n" for i in range(n))
    return one("## Table\n\n| a | b | c |\n|---|---|---|\n" + rows)


def shared_themes(n):
    tags = 'themes = ["neglect", "supervision", "think family", "escalation", "early help"]\n'
    return {f"briefings/b{i}.md": briefing(f"Briefing {i}", f"## Background\n\nText {i}.\n", tags) for i in range(n)}


def linking(n):
    """N briefings, each linking to its ten neighbours: the links grow with N, as the input."""
    return {
        f"briefings/b{i}.md": briefing(f"Briefing {i}", "## Background\n\n" + "".join(f"See [briefing {j}](b{j % n}.md#background). " for j in range(i + 1, i + 11)) + "\n")
        for i in range(n)
    }


def handout_sections(n):
    return {"briefings/big.md": briefing("Big", "".join(f"## Section {i}\n\nText of section {i}, in a few words.\n\n" for i in range(n)), fmt="7-minute")}


SHAPES = {
    "sections": sections,
    "equal-titles": equal_titles,
    "links": links,
    "broken-links": broken_links,
    "themes": themes,
    "mentions": mentions,
    "raw-html-links": raw_html_links,
    "nested": nested,
    "footnotes": footnotes,
    "tables": tables,
    "shared-themes": shared_themes,
    "linking": linking,
    "handout-sections": handout_sections,
}


def write(shape, n, out):
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "briefings").mkdir(parents=True)
    (out / "site.toml").write_text('title = "Hostile"\n')
    for rel, text in SHAPES[shape](n).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


if __name__ == "__main__":
    if sys.argv[1:] == ["--list"]:
        print("\n".join(SHAPES))
    else:
        write(sys.argv[1], int(sys.argv[2]), sys.argv[3])
