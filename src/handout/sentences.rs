//! Long paragraphs cut at sentence ends for the sheet. A sheet prints or leaves out whole
//! blocks and never cuts one, so a section written as one long paragraph (a wall of text
//! pasted from Word) was all or nothing: too tall for a column even at 8 pt, it left the sheet
//! blank. Cut into runs of whole sentences, its first sentences can print as its key point,
//! and as many more as fit.

use super::content::plain_text;
use super::model::Inline;

/// A paragraph of more words than this is cut into runs of whole sentences. Paragraphs of
/// ordinary length (the example briefings' longest is 151 words) print as they are written.
pub const LONG_PARAGRAPH: usize = 200;

/// Each run ends at the first sentence end after this many words.
const RUN_WORDS: usize = 100;

/// A run is not cut off a paragraph's end with fewer words than this after it: the last
/// sentences stay with those before them.
const MIN_TAIL: usize = 40;

/// Words that end in a full stop without ending a sentence ("Dr. Patel", "e.g. a GP").
const ABBREVIATIONS: &[&str] = &["mr", "mrs", "ms", "dr", "prof", "st", "e.g", "i.e", "etc", "no", "vs", "cf", "approx", "inc", "ltd"];

/// `inlines` as runs of whole sentences of about `RUN_WORDS` words each, when they hold more
/// than `LONG_PARAGRAPH` words; else as they are. Only plain text is cut: a sentence end
/// inside a link, bold or italics stays inside its run.
pub fn runs(inlines: Vec<Inline>) -> Vec<Vec<Inline>> {
    let total = count(&plain_text(&inlines));
    if total <= LONG_PARAGRAPH {
        return vec![inlines];
    }
    let mut out = Vec::new();
    let mut run: Vec<Inline> = Vec::new();
    let (mut in_run, mut done) = (0, 0);
    for inline in inlines {
        let Inline::Text { text } = inline else {
            in_run += count(&plain_text(std::slice::from_ref(&inline)));
            run.push(inline);
            continue;
        };
        let mut rest = text.as_str();
        // Words counted inline by inline can outnumber the whole's ("**a**b" is one word in
        // the whole text, two here): hence saturating.
        while let Some(at) = cut(rest, RUN_WORDS.saturating_sub(in_run), total.saturating_sub(done + in_run)) {
            let (head, tail) = rest.split_at(at);
            done += in_run + count(head);
            run.push(Inline::Text { text: head.trim_end().to_string() });
            out.push(std::mem::take(&mut run));
            (in_run, rest) = (0, tail.trim_start());
        }
        in_run += count(rest);
        if !rest.is_empty() {
            run.push(Inline::Text { text: rest.to_string() });
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// Where to cut `text` (a byte index just after a sentence's end): the first sentence end
/// after `need` words that leaves at least `MIN_TAIL` of the `left` words of the paragraph
/// after it.
fn cut(text: &str, need: usize, left: usize) -> Option<usize> {
    let mut words = 0;
    let mut position = 0;
    let mut pieces = text.split_inclusive(char::is_whitespace).peekable();
    while let Some(piece) = pieces.next() {
        position += piece.len();
        let word = piece.trim_end();
        if word.is_empty() {
            continue;
        }
        words += 1;
        let starts_sentence = pieces.peek().and_then(|next| next.trim_start().chars().next()).is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"'“‘(".contains(c));
        if words >= need && left.saturating_sub(words) >= MIN_TAIL && ends_sentence(word) && starts_sentence {
            return Some(position);
        }
    }
    None
}

/// Whether `word` ends a sentence: a full stop, question or exclamation mark (before any
/// closing quote or bracket), and not an abbreviation or an initial.
fn ends_sentence(word: &str) -> bool {
    let bare = word.trim_end_matches(['"', '\'', '”', '’', ')']);
    let Some(stem) = bare.strip_suffix(['.', '?', '!']) else { return false };
    let letters = stem.trim_start_matches(['"', '\'', '“', '‘', '(']);
    let lower = letters.to_lowercase();
    !ABBREVIATIONS.contains(&lower.as_str()) && letters.chars().count() > 1
}

fn count(text: &str) -> usize {
    text.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Inline {
        Inline::Text { text: t.to_string() }
    }

    /// Sentences of twelve words, numbered so that where a run ends can be read.
    fn sentences(n: usize) -> String {
        (1..=n).map(|i| format!("Sentence {i} says what the team saw at the family home that week.")).collect::<Vec<_>>().join(" ")
    }

    fn words_of(run: &[Inline]) -> usize {
        count(&plain_text(run))
    }

    #[test]
    fn an_ordinary_paragraph_is_left_whole() {
        let inlines = vec![text(&sentences(15))];
        assert_eq!(words_of(&inlines), 195);
        assert_eq!(runs(inlines.clone()), vec![inlines]);
    }

    #[test]
    fn a_long_paragraph_is_cut_into_runs_of_whole_sentences_losing_nothing() {
        let all = sentences(60);
        let out = runs(vec![text(&all)]);
        assert!(out.len() >= 6, "{} runs", out.len());
        for run in &out {
            let t = plain_text(run);
            assert!(t.starts_with("Sentence ") && t.ends_with("week."), "{t}");
        }
        assert!(out[..out.len() - 1].iter().all(|r| (RUN_WORDS..RUN_WORDS + 13).contains(&words_of(r))));
        assert!(words_of(out.last().unwrap()) >= MIN_TAIL);
        let joined: Vec<String> = out.iter().map(|r| plain_text(r)).collect();
        assert_eq!(joined.join(" "), all);
    }

    #[test]
    fn abbreviations_initials_and_formatted_text_are_never_cut() {
        // A run would end at the first sentence end after word 100: here only "Dr." and "J."
        // follow it, then a sentence end inside bold, then a real one.
        let body = sentences(7);
        let inlines = vec![
            text(&format!("{body} Seen by the visiting team on the ward, then by Dr. Patel and J. Smith")),
            Inline::Strong { inlines: vec![text("who said. Nothing")] },
            text(&format!(" else. {}", sentences(12))),
        ];
        let out = runs(inlines.clone());
        assert!(out.len() >= 2, "{out:?}");
        let first = plain_text(&out[0]);
        assert!(first.ends_with("Nothing else."), "{first}");
        assert_eq!(out.iter().map(|r| plain_text(r)).collect::<Vec<_>>().join(" "), plain_text(&inlines));
    }

    /// Text glued to bold ("**Note**that") counts as one word in the whole paragraph and two
    /// inline by inline: the count of words left went below zero (a panic in a debug build).
    #[test]
    fn words_glued_to_formatting_never_count_below_zero() {
        let mut inlines = Vec::new();
        for i in 0..150 {
            inlines.push(Inline::Strong { inlines: vec![text("Note")] });
            inlines.push(text(&format!("that{i} the team met. The visit was short. ")));
        }
        let out = runs(inlines.clone());
        assert!(out.len() > 1);
        let words = |t: String| t.split_whitespace().count();
        assert_eq!(words(out.iter().map(|r| plain_text(r)).collect::<Vec<_>>().join(" ")), words(plain_text(&inlines)));
    }

    /// Paragraphs of random words, sentence ends, abbreviations, quotes, formatting, breaks
    /// and code: cutting never loses or adds a word and never makes an empty run.
    #[test]
    fn any_paragraph_is_cut_without_losing_a_word() {
        const TOKENS: &[&str] = &["the", "Team", "met.", "Dr.", "J.", "visit?", "now!", "\"Yes.\"", "(see", "it.)", "e.g.", "2024.", "", " ", "  "];
        let mut seed: u64 = 7;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for _ in 0..300 {
            let mut inlines = Vec::new();
            for _ in 0..next(400) {
                let word = TOKENS[next(TOKENS.len())].to_string();
                inlines.push(match next(10) {
                    0 => Inline::Strong { inlines: vec![text(&word)] },
                    1 => Inline::Break,
                    2 => Inline::Code { text: word },
                    _ => text(&format!("{word}{}", if next(3) == 0 { "" } else { " " })),
                });
            }
            let out = runs(inlines.clone());
            let words = |t: String| t.split_whitespace().count();
            assert_eq!(words(out.iter().map(|r| plain_text(r)).collect::<Vec<_>>().join(" ")), words(plain_text(&inlines)), "{inlines:?}");
            assert!(out.len() == 1 || out.iter().all(|r| !plain_text(r).trim().is_empty()), "{out:?}");
        }
    }

    #[test]
    fn a_paragraph_with_no_sentence_end_stays_whole() {
        let inlines = vec![text(&"word ".repeat(600))];
        assert_eq!(runs(inlines).len(), 1);
    }
}
