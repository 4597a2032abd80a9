//! Splitting prose into words, fast. Several passes read all of every briefing's prose
//! (sentence lengths, word counts, theme mentions): these go byte by byte and decode only the
//! characters outside ASCII, where `str::split_whitespace` decodes every one.

/// Words of plain text: runs between spaces that hold a letter or digit.
pub fn count(text: &str) -> usize {
    if !text.is_ascii() {
        return with_offsets(text).filter(|(_, word)| has_alphanumeric(word)).count();
    }
    // Most text is ASCII: one pass over its bytes, without a branch per character.
    let mut count = 0;
    let mut word_has_alphanumeric = false;
    for &b in text.as_bytes() {
        if is_space(b) {
            count += usize::from(word_has_alphanumeric);
            word_has_alphanumeric = false;
        } else {
            word_has_alphanumeric |= b.is_ascii_alphanumeric();
        }
    }
    count + usize::from(word_has_alphanumeric)
}

/// Runs of non-space characters, as `str::split_whitespace` has them, with their byte
/// offsets.
pub fn with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    runs(text, |b| !is_space(b), |c| !c.is_whitespace())
}

/// The runs of letters and digits in `text`, as `text.split(|c: char| !c.is_alphanumeric())`
/// has them, without its empty pieces.
pub fn alphanumeric_runs(text: &str) -> impl Iterator<Item = &str> {
    runs(text, |b| b.is_ascii_alphanumeric(), char::is_alphanumeric).map(|(_, run)| run)
}

/// The longest runs of characters that are `in_ascii` (for ASCII bytes) or `in_other`, with
/// their byte offsets.
fn runs(text: &str, in_ascii: impl Fn(u8) -> bool, in_other: impl Fn(char) -> bool) -> impl Iterator<Item = (usize, &str)> {
    let inside_at = move |at: usize| -> (bool, usize) {
        match text.as_bytes()[at] {
            b if b.is_ascii() => (in_ascii(b), 1),
            _ => {
                let c = text[at..].chars().next().expect("`at` is at a character");
                (in_other(c), c.len_utf8())
            }
        }
    };
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = loop {
            if at == text.len() {
                return None;
            }
            match inside_at(at) {
                (false, len) => at += len,
                (true, _) => break at,
            }
        };
        while at < text.len() {
            match inside_at(at) {
                (true, len) => at += len,
                (false, _) => break,
            }
        }
        Some((start, &text[start..at]))
    })
}

/// Whether the ASCII character `b` is white space as `char::is_whitespace` has it: tab to
/// carriage return (with the vertical tab, which `u8::is_ascii_whitespace` leaves out) and
/// space.
pub fn is_space(b: u8) -> bool {
    b == b' ' || (b'\t'..=b'\r').contains(&b)
}

/// Whether `word` has a letter or a digit.
pub fn has_alphanumeric(word: &str) -> bool {
    word.bytes().any(|b| b.is_ascii_alphanumeric()) || (!word.is_ascii() && word.chars().any(char::is_alphanumeric))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ASCII pass counts as `split_whitespace` does, including the white space that
    /// `u8::is_ascii_whitespace` does not know (the vertical tab).
    #[test]
    fn ascii_pass_counts_as_split_whitespace() {
        let slow = |t: &str| t.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count();
        let pieces = ["", " ", "a", "word", "--", "x1", ".", "\t", "\n", "\x0b", "\x0c", "\r", "  ", "(7)", "-"];
        for (i, a) in pieces.iter().enumerate() {
            for b in &pieces {
                for c in &pieces[i..] {
                    let text = format!("{a}{b}{c}{b}{a}");
                    assert_eq!(count(&text), slow(&text), "{text:?}");
                }
            }
        }
        assert_eq!(count("one\x0btwo  - three."), 3);
        assert_eq!(count("café au lait — très bon"), 5);
        assert!(has_alphanumeric("(7)") && has_alphanumeric("\u{e9}") && !has_alphanumeric("\u{2014}") && !has_alphanumeric("--"));
    }

    /// The same words at the same offsets as `split_whitespace`, with white space and
    /// words outside ASCII among them.
    #[test]
    fn words_are_split_as_split_whitespace_splits_them() {
        let pieces = ["", " ", "word", "\u{a0}", "caf\u{e9}", "\u{2003}", "\x0b", "\n\t", "\u{201c}Yes\u{201d}", "\u{3000}", "7."];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}{a}");
                    let expected: Vec<(usize, &str)> =
                        text.split_whitespace().map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w)).collect();
                    assert_eq!(with_offsets(&text).collect::<Vec<_>>(), expected, "{text:?}");
                }
            }
        }
    }

    /// The same runs as splitting at every character that is not a letter or digit, with
    /// letters, digits and separators outside ASCII among them.
    #[test]
    fn alphanumeric_runs_are_split_as_str_split_splits_them() {
        let pieces = ["", " ", "word", "caf\u{e9}", "\u{2014}", "\u{201c}Yes\u{201d}", "x1", "-", "\u{fc}ber", "\u{a0}", "7.", "\u{3000}", "\u{3b1}\u{3c3}"];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}{a}");
                    let expected: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
                    assert_eq!(alphanumeric_runs(&text).collect::<Vec<_>>(), expected, "{text:?}");
                }
            }
        }
    }
}
