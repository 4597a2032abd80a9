//! Fixture briefings for the handout tests and the `handout_bench` example: a small header
//! of `key: value` lines, `---`, then `## ` sections of Markdown. Also generated prose of
//! any length (fictional, from a bank of sentences written for these tests) for long
//! guidance. Not part of the engine.

use super::content::blocks_from_markdown;
use super::model::{Handout, HandoutFormat, HandoutSection};

/// The fixture files, by name.
pub const FIXTURES: [(&str, &str); 4] = [
    ("seven-minute", include_str!("tests/fixtures/seven-minute.md")),
    ("practitioner", include_str!("tests/fixtures/practitioner.md")),
    ("thematic", include_str!("tests/fixtures/thematic.md")),
    ("hostile", include_str!("tests/fixtures/hostile.md")),
];

/// Every fixture's name, the generated ones too.
pub const ALL: [&str; 6] = ["seven-minute", "practitioner", "thematic", "hostile", "seven-minute-1400", "guidance-long"];

/// The fixture called `name`: a file, or "seven-minute-1400" (the 7-minute fixture with
/// each section made about 200 words long) or "guidance-long" (14 parts, 8,400 words).
pub fn fixture(name: &str) -> Handout {
    match name {
        "seven-minute-1400" => {
            let mut h = fixture("seven-minute");
            h.slug = name.into();
            for (i, s) in h.sections.iter_mut().enumerate() {
                let have = super::content::words(&s.blocks);
                s.blocks.extend(blocks_from_markdown(&prose(200usize.saturating_sub(have), i)));
            }
            h
        }
        "guidance-long" => {
            let mut text = String::from("title: Neglect: multi-agency practice guidance\nformat: guidance\n");
            text.push_str("summary: How agencies in Westmoor recognise, assess and respond to neglect, from early help to child protection.\n");
            text.push_str("themes: Neglect; Early help; Thresholds; Working together; Supervision; Escalation\n---\n");
            for (s, part) in PARTS.iter().enumerate() {
                text.push_str(&format!("## Part {}: {part}\nWhat this part covers, in short: how to act when the signs in it appear.\n\n{{prose:600:{s}}}\n", s + 1));
            }
            parse(name, &text)
        }
        _ => {
            let text = FIXTURES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t).unwrap_or_else(|| panic!("no fixture {name}"));
            parse(name, text)
        }
    }
}

const PARTS: [&str; 14] = [
    "what neglect is", "recognising neglect", "babies", "school-age children", "adolescents", "disabled children",
    "talking with families", "assessment tools", "early help", "child protection", "supervision",
    "escalation", "recording", "further help",
];

/// A handout from a fixture's text.
pub fn parse(slug: &str, text: &str) -> Handout {
    let (head, body) = text.split_once("\n---\n").expect("a fixture has a header, then ---");
    let field = |key: &str| head.lines().find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix(": "))).map(str::to_string);
    let list = |key: &str, sep: char| field(key).map(|v| v.split(sep).map(|s| s.trim().to_string()).collect()).unwrap_or_default();
    let format = match field("format").as_deref() {
        Some("seven-minute") => HandoutFormat::SevenMinute,
        Some("thematic") => HandoutFormat::Thematic,
        Some("guidance") => HandoutFormat::Guidance,
        _ => HandoutFormat::Practitioner,
    };
    let format_label = match format {
        HandoutFormat::SevenMinute => "7-minute briefing",
        HandoutFormat::Practitioner => "Practitioner briefing",
        HandoutFormat::Thematic => "Thematic review",
        HandoutFormat::Guidance => "Guidance",
    };
    Handout {
        slug: slug.to_string(),
        title: field("title").unwrap_or_default(),
        partnership: field("partnership").unwrap_or_else(|| "Westmoor Safeguarding Partnership".into()),
        format,
        format_label: format_label.into(),
        published: field("published").unwrap_or_else(|| "1 May 2024".into()),
        updated: field("updated"),
        review_status: field("review"),
        audience: field("audience"),
        summary: field("summary"),
        themes: list("themes", ';'),
        url: None,
        sections: sections(body),
        print: list("print", ','),
        language: "en-GB".into(),
        shortened: false,
    }
}

/// `## ` sections of `body`, numbered from 1. A line `{prose:N:S}` is `prose(N, S)`.
pub fn sections(body: &str) -> Vec<HandoutSection> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in body.lines() {
        let generated = line.strip_prefix("{prose:").and_then(|r| r.strip_suffix('}')).and_then(|r| r.split_once(':'));
        if let (Some((n, seed)), Some((_, md))) = (generated, out.last_mut()) {
            md.push_str(&prose(n.parse().unwrap_or(100), seed.parse().unwrap_or(0)));
            continue;
        }
        match line.strip_prefix("## ") {
            Some(title) => out.push((title.trim().to_string(), String::new())),
            None => {
                if let Some((_, md)) = out.last_mut() {
                    md.push_str(line);
                    md.push('\n');
                }
            }
        }
    }
    out.into_iter()
        .enumerate()
        .map(|(i, (title, md))| HandoutSection {
            number: i + 1,
            anchor: title.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("-"),
            title,
            blocks: blocks_from_markdown(&md),
        })
        .collect()
}

const SENTENCES: [&str; 16] = [
    "The practitioners involved knew the family well, but each knew a different part of its story.",
    "Nobody brought those parts together until the crisis came.",
    "When a young person goes missing more than once, the return conversation is a chance to learn what is happening to them.",
    "Records should say what was seen and heard, who said it, and what was done about it.",
    "A referral that is closed without contact with the family should be reviewed by a manager.",
    "Schools often see the first signs, such as a change in behaviour, tiredness, or a child who stops eating lunch.",
    "Parents who are struggling with their own health may find appointments hard to keep, and that is not the same as refusing help.",
    "Ask the child what a day at home is like, and listen to the answer without hurrying towards the next question.",
    "Escalation is a normal part of working together, not a complaint about a colleague.",
    "Where agencies disagree about risk, the disagreement itself should be written down and resolved.",
    "The review panel met the family, who said they had felt judged rather than helped.",
    "Interpreters should be booked for every meeting where a parent's first language is not English.",
    "Supervision gave the social worker room to think, and that is when the pattern became clear.",
    "Thresholds are a guide to a conversation, not a wall between services.",
    "Good practice in this case included a GP who followed up a missed appointment with a home visit.",
    "Plans work best when every person named in them knows what they are expected to do and by when.",
];

/// A briefing of `format` ("guidance", "seven-minute"...) in `sections` sections of about
/// `words` words of prose each.
pub fn generated(slug: &str, format: &str, sections: usize, words: usize) -> Handout {
    let mut text = format!("title: A generated {format} briefing\nformat: {format}\nthemes: Neglect; Early help\n---\n");
    for s in 0..sections {
        text.push_str(&format!("## Part {} of it\n{}", s + 1, prose(words, s)));
    }
    parse(slug, &text)
}

/// About `words` words of fictional prose in paragraphs of four or five sentences; `seed`
/// varies the order.
pub fn prose(words: usize, seed: usize) -> String {
    let mut out = String::new();
    let (mut count, mut n, mut in_paragraph) = (0, seed, 0);
    while count < words {
        let sentence = SENTENCES[n % SENTENCES.len()];
        n = (n * 7 + 3) % 1_000_003;
        count += sentence.split_whitespace().count();
        out.push_str(sentence);
        in_paragraph += 1;
        out.push_str(if in_paragraph == 4 + seed % 2 { "\n\n" } else { " " });
        if in_paragraph == 4 + seed % 2 {
            in_paragraph = 0;
        }
    }
    out.trim_end().to_string() + "\n"
}
