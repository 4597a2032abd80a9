#!/usr/bin/env python3
"""Write a synthetic `briefing` site of N briefings, deterministic for a seed.

    python3 bench/generate.py --count 1000 --seed 1 --out bench/site-1000

The site is valid for `briefing build` (site.toml, briefings/, themes/) and readable by Hugo
(`+++` TOML front matter; Hugo ignores the keys it does not know). The mix follows issue 8: the
four formats, 300 to 9,000 words, lists, tables, footnotes, links between briefings, 3 to 8
themes each out of 60 theme files whose titles and aliases occur in the text, and a few code
blocks. Word counts are log-uniform (most briefings are short, a few are very long), and
7-minute briefings stay within seven minutes' reading so the build is not flooded with
warnings that real sites would not have.

`--shape long` writes a corpus of another shape (issue 20): mostly 7-minute briefings that
run past seven minutes (so their handouts leave sections out), sentences of 30 to 80 words,
and 8 to 20 themes a briefing; about 28 MB at 1,000 briefings against the default's 11 MB.
"""

import argparse
import math
import random
import shutil
from pathlib import Path

# 60 themes: (title, aliases). Titles and aliases are distinct phrases so each resolves once.
THEMES = [
    ("Neglect", ["chronic neglect"]), ("Domestic abuse", ["coercive control", "domestic violence"]),
    ("Child criminal exploitation", ["county lines"]), ("Child sexual exploitation", ["grooming"]),
    ("Think Family", ["whole family approach"]), ("Information sharing", ["sharing information"]),
    ("Professional curiosity", ["respectful uncertainty"]), ("Escalation", ["professional challenge"]),
    ("Early help", ["early intervention"]), ("Was not brought", ["missed appointments"]),
    ("Invisible men", ["fathers and partners", "unseen men"]), ("Self-neglect", ["hoarding"]),
    ("Mental capacity", ["capacity assessment"]), ("Supervision", ["reflective supervision"]),
    ("Trauma-informed practice", ["adverse childhood experiences"]), ("School exclusion", ["permanent exclusion"]),
    ("Disguised compliance", ["apparent cooperation"]), ("Lived experience of the child", ["voice of the child"]),
    ("Safe sleep", ["co-sleeping"]), ("Non-mobile babies", ["bruising in babies"]),
    ("Parental mental health", ["perinatal mental health"]), ("Substance misuse", ["parental drug use", "alcohol misuse"]),
    ("Transitions to adulthood", ["transition planning"]), ("Missing children", ["going missing"]),
    ("Online harm", ["online safety"]), ("Radicalisation", ["extremism"]),
    ("Female genital mutilation", ["FGM"]), ("Forced marriage", ["honour-based abuse"]),
    ("Modern slavery", ["human trafficking"]), ("Financial abuse", ["financial exploitation"]),
    ("Elder abuse", ["abuse of older people"]), ("Care leavers", ["leaving care"]),
    ("Young carers", ["caring responsibilities"]), ("Disabled children", ["children with disabilities"]),
    ("Homelessness", ["rough sleeping"]), ("Housing", ["temporary accommodation"]),
    ("Poverty", ["cost of living"]), ("Bullying", ["peer abuse"]),
    ("Harmful sexual behaviour", ["sexualised behaviour"]), ("Private fostering", ["informal care arrangements"]),
    ("Elective home education", ["home schooling"]), ("Physical abuse", ["non-accidental injury"]),
    ("Emotional abuse", ["emotional harm"]), ("Fabricated illness", ["perplexing presentations"]),
    ("Suicide prevention", ["self-harm"]), ("Adolescent neglect", ["neglect of teenagers"]),
    ("Contextual safeguarding", ["extra-familial harm"]), ("Multi-agency working", ["partnership working"]),
    ("Record keeping", ["case recording"]), ("Cultural competence", ["culturally sensitive practice"]),
    ("Language and interpreters", ["use of interpreters"]), ("Learning disability", ["learning disabilities"]),
    ("Autism", ["autistic people"]), ("Hospital discharge", ["discharge planning"]),
    ("Pressure ulcers", ["pressure care"]), ("Medication errors", ["medicines management"]),
    ("Fire safety", ["fire risk"]), ("Carers' assessments", ["carer's assessment"]),
    ("Court proceedings", ["care proceedings"]), ("Pre-birth assessment", ["unborn babies"]),
]

FORMATS = [("7-minute", 4), ("practitioner", 3), ("thematic", 1), ("guidance", 2)]
SEVEN_MINUTE_HEADINGS = ["Background", "Why it matters", "Information", "What was the learning?",
                         "What can we consider?", "Questions for reflection", "Find out more"]
HEADINGS = ["Background", "What happened", "Key findings", "What went well", "What we learned",
            "Recommendations", "What practitioners should do", "Questions for supervision",
            "The family's experience", "Agency responses", "Timeline", "Legal framework",
            "Resources", "Next steps", "Training", "How managers can help"]
PEOPLE = ["Child A", "Baby B", "Mr C", "Ms D", "the young person", "the family", "the mother",
          "the father", "the health visitor", "the social worker", "the school nurse", "the GP",
          "the police officer", "the housing officer", "the designated lead", "the midwife"]
VERBS = ["noticed", "recorded", "missed", "shared", "questioned", "escalated", "assessed",
         "explained", "reviewed", "challenged", "visited", "referred", "discussed", "accepted"]
OBJECTS = ["the concerns", "the new partner", "the missed appointments", "the referral",
           "the chronology", "the school's worries", "the bruise", "the change in behaviour",
           "the family's story", "the plan", "the risk assessment", "the strategy meeting"]
ENDINGS = ["before the review began", "but nobody followed it up", "at the next visit",
           "in the multi-agency meeting", "without speaking to the child alone",
           "and the case was closed", "after a long delay", "as the guidance requires"]
LINK_WORDS = ["an earlier review", "a similar case", "the partnership's guidance", "this related briefing"]
CODE = [("toml", 'referral = "same day"\nescalate_after_days = 5\nagencies = ["police", "health", "education"]\n'),
        ("json", '{\n  "referral": "same day",\n  "escalate_after_days": 5\n}\n'),
        ("text", "Day 1: concern raised\nDay 2: strategy discussion\nDay 5: review\n")]


def slugify(title):
    out = "".join(c.lower() if c.isalnum() else "-" for c in title)
    return "-".join(p for p in out.split("-") if p)


def cap(s):
    return s[0].upper() + s[1:]


class Shape:
    """What a corpus looks like: formats, lengths, sentence lengths, themes a briefing."""

    def __init__(self, name):
        long = name == "long"
        self.formats = [("7-minute", 7), ("practitioner", 1), ("thematic", 1), ("guidance", 1)] if long else FORMATS
        self.seven_minute_words = (1500, 4000) if long else (300, 1350)
        self.other_words = (1000, 20000) if long else (300, 9000)
        self.clauses = (2, 5) if long else (1, 1)
        self.themes = (8, 20) if long else (3, 8)


SHAPE = Shape("default")


def clause(rng, phrases):
    s = f"{rng.choice(PEOPLE)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(ENDINGS)}"
    if rng.random() < 0.25:
        s += f", which is a concern about {rng.choice(phrases)}"
    return s


def sentence(rng, phrases):
    """One sentence of about 12 to 20 words a clause; now and then it names a theme."""
    # The default shape draws no clause count, so its corpus stays as it always was.
    n = rng.randint(*SHAPE.clauses) if SHAPE.clauses != (1, 1) else 1
    joined = ", and ".join(clause(rng, phrases) for _ in range(n))
    return cap(joined) + "."


class Writer:
    """Builds one briefing's body and counts its words as it goes."""

    def __init__(self, rng, phrases, slugs, me):
        self.rng, self.phrases, self.slugs, self.me = rng, phrases, slugs, me
        self.parts, self.words, self.notes = [], 0, []

    def add(self, text):
        self.parts.append(text)
        self.words += len(text.split())

    def paragraph(self):
        rng = self.rng
        sents = [sentence(rng, self.phrases) for _ in range(rng.randint(2, 6))]
        if rng.random() < 0.2 and len(self.slugs) > 1:
            other = rng.choice(self.slugs)
            if other != self.me:
                sents.append(f"See [{rng.choice(LINK_WORDS)}]({other}.md) for more.")
        if rng.random() < 0.15:
            n = len(self.notes) + 1
            self.notes.append(f"[^{n}]: {sentence(rng, self.phrases)}")
            sents[-1] += f"[^{n}]"
        self.add(" ".join(sents))

    def block(self):
        """A paragraph, or sometimes a list, a table, a quote or a code block."""
        r = self.rng.random()
        if r < 0.62:
            self.paragraph()
        elif r < 0.82:
            items = [f"- **{cap(self.rng.choice(OBJECTS))}.** {sentence(self.rng, self.phrases)}"
                     for _ in range(self.rng.randint(3, 6))]
            self.add("\n".join(items))
        elif r < 0.9:
            rows = [f"| {self.rng.choice(PEOPLE)} | {self.rng.choice(VERBS)} | {self.rng.choice(ENDINGS)} |"
                    for _ in range(self.rng.randint(2, 5))]
            self.add("| Who | What | When |\n|---|---|---|\n" + "\n".join(rows))
        elif r < 0.985:
            self.add(f"> \"{sentence(self.rng, self.phrases)}\"\n>\n> {cap(self.rng.choice(PEOPLE))}")
        else:
            lang, code = self.rng.choice(CODE)
            self.add(f"```{lang}\n{code}```")

    def body(self, headings, target):
        self.paragraph()
        per_section = max(1, (target - self.words) // len(headings))
        for h in headings:
            self.add(f"## {h}")
            start = self.words
            while self.words - start < per_section:
                self.block()
        if self.notes:
            self.add("\n".join(self.notes))
        return "\n\n".join(self.parts) + "\n"


def theme_file(i, title, aliases, rng):
    related = sorted({slugify(THEMES[j][0]) for j in rng.sample(range(len(THEMES)), 2) if j != i})
    body = " ".join(sentence(rng, [title.lower()] + aliases) for _ in range(4))
    return (f"+++\ntitle = {toml_str(title)}\naliases = [{', '.join(toml_str(a) for a in aliases)}]\n"
            f"related = [{', '.join(toml_str(r) for r in related)}]\n+++\n{body}\n")


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def briefing_file(i, slugs, rng):
    fmt = rng.choices([f for f, _ in SHAPE.formats], weights=[w for _, w in SHAPE.formats])[0]
    if fmt == "7-minute":
        target, headings = rng.randint(*SHAPE.seven_minute_words), SEVEN_MINUTE_HEADINGS
    else:
        low, high = SHAPE.other_words
        target = int(math.exp(rng.uniform(math.log(low), math.log(high))))
        n = min(len(HEADINGS), max(3, target // 500))
        headings = rng.sample(HEADINGS, n)
    chosen = rng.sample(THEMES, rng.randint(*SHAPE.themes))
    # Front matter names a theme by its title or one of its aliases, as real authors do.
    names = [rng.choice([t] + a) for t, a in chosen]
    phrases = [p.lower() if p[0].isupper() and p != "FGM" else p for t, a in chosen for p in [t] + a]
    title = f"{cap(rng.choice(PEOPLE))}: {rng.choice(OBJECTS)} {rng.choice(ENDINGS)} ({i})"
    year = 2015 + rng.randrange(11)
    published = f"{year}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"
    review = f"{year + 12}-{published[5:]}"
    body = Writer(rng, phrases, slugs, slugs[i]).body(headings, target)
    front = (f"+++\ntitle = {toml_str(title)}\nformat = \"{fmt}\"\npublished = {published}\n"
             f"review_due = {review}\naudience = \"All practitioners\"\n"
             f"summary = {toml_str(sentence(rng, phrases))}\n"
             f"themes = [{', '.join(toml_str(n) for n in names)}]\n+++\n\n")
    return front + body


SITE_TOML = """title = "Synthetic Safeguarding Partnership: benchmark briefings"
partnership = "Synthetic Safeguarding Partnership"
base_url = "https://briefings.example/"
language = "en-GB"
paper = "A4"
reading_wpm = 200
contact = "learning@briefings.example"
"""


def generate(count, seed, out):
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "briefings").mkdir(parents=True)
    (out / "themes").mkdir()
    (out / "site.toml").write_text(SITE_TOML)
    for i, (title, aliases) in enumerate(THEMES):
        (out / "themes" / f"{slugify(title)}.md").write_text(theme_file(i, title, aliases, rng))
    slugs = [f"b{i:05}" for i in range(count)]
    for i, slug in enumerate(slugs):
        (out / "briefings" / f"{slug}.md").write_text(briefing_file(i, slugs, rng))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--shape", choices=["default", "long"], default="default")
    a = p.parse_args()
    global SHAPE
    SHAPE = Shape(a.shape)
    generate(a.count, a.seed, a.out)


if __name__ == "__main__":
    main()
