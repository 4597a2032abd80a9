//! Small text helpers every stage uses: HTML escaping, names compared without case or
//! punctuation, slugs, and plurals.

/// Whether XML 1.0 forbids `c` in a document (control characters other than tab, line feed and
/// carriage return, and U+FFFE and U+FFFF): a feed or sitemap holding one is not XML at all.
pub fn is_xml_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// `text` without the characters XML 1.0 forbids (borrowed when it has none).
pub fn strip_xml_forbidden(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_xml_forbidden) {
        text.chars().filter(|c| !is_xml_forbidden(*c)).collect::<String>().into()
    } else {
        text.into()
    }
}

/// `text` with `<`, `>`, `&` and quotes escaped for HTML.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

/// A name with case, spacing, hyphens and punctuation removed: "Think-Family", "think family"
/// and "THINK FAMILY!" are the same name.
pub fn normalise(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Lowercase ASCII letters and digits in groups joined by single hyphens.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty() && slug.split('-').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// A valid slug made from any text (a title, a bad file name).
pub fn suggest_slug(text: &str) -> String {
    let slug = slug::slugify(text);
    if slug.is_empty() {
        "briefing".to_string()
    } else {
        slug
    }
}

/// The longest slug a name may make where the slug names a folder of pages (a theme named only
/// in front matter, a facet and its values): a few words, well within a file name's limit.
pub const MAX_NAME_SLUG: usize = 100;

/// Slugs made for a new file from a long title are cut at a word to about this length: file
/// names have a limit (255 bytes), and a web address should stay readable.
const MAX_FILE_SLUG: usize = 60;

/// `suggest_slug` of `title`, cut at a word to at most `MAX_FILE_SLUG` characters: the slug
/// of a briefing that `new` or `import` writes.
pub fn suggest_file_slug(title: &str) -> String {
    let mut slug = suggest_slug(title);
    if slug.len() > MAX_FILE_SLUG {
        let cut = slug[..MAX_FILE_SLUG].rfind('-').unwrap_or(MAX_FILE_SLUG);
        slug.truncate(cut);
    }
    slug
}

/// Text saved as UTF-16 with its byte order mark (what Windows Notepad long called
/// "Unicode"), decoded; `None` for anything else, which is read as UTF-8.
pub fn utf16_with_bom(bytes: &[u8]) -> Option<String> {
    let (little, rest) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (true, rest),
        [0xFE, 0xFF, rest @ ..] => (false, rest),
        _ => return None,
    };
    let units = rest.chunks_exact(2).map(|pair| if little { u16::from_le_bytes([pair[0], pair[1]]) } else { u16::from_be_bytes([pair[0], pair[1]]) });
    (rest.len() % 2 == 0).then(|| char::decode_utf16(units).collect::<Result<String, _>>().ok()).flatten()
}

/// "s" unless `n` is one: `format!("{n} page{}", plural(n))`.
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// "1 briefing", "3 briefings".
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", plural(n))
}

/// Words in a section's title that say it lists further reading rather than the briefing's
/// own learning.
const READING_LIST_TITLES: &[&str] = &[
    "further information", "more information", "further reading", "want to learn more", "learn more", "find out more",
    "resources", "references", "useful links", "links", "reading list", "bibliography", "sources",
];

/// Whether a section titled `title` is a list of further reading ("Further information",
/// "Want to learn more?", "Useful links and resources").
pub fn is_reading_list(title: &str) -> bool {
    let words: String = title.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { ' ' }).collect();
    let words = format!(" {} ", words.split_whitespace().collect::<Vec<_>>().join(" "));
    READING_LIST_TITLES.iter().any(|t| words.contains(&format!(" {t} ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_valid_slug("child-3"));
        assert!(!is_valid_slug("Child-3"));
        assert!(!is_valid_slug("child--3"));
        assert!(!is_valid_slug("-child"));
        assert!(!is_valid_slug("child_3"));
        assert_eq!(suggest_slug("Child 3: Learning"), "child-3-learning");
        assert_eq!(suggest_slug("Café réview"), "cafe-review");
    }

    #[test]
    fn utf16_is_read_only_with_its_byte_order_mark_and_whole() {
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain("Café 😀".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain("Café".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(utf16_with_bom(&le).as_deref(), Some("Café 😀"));
        assert_eq!(utf16_with_bom(&be).as_deref(), Some("Café"));
        assert_eq!(utf16_with_bom(&le[..le.len() - 1]), None, "an odd number of bytes");
        assert_eq!(utf16_with_bom(&[0xFF, 0xFE, 0x00, 0xD8]), None, "a lone surrogate");
        assert_eq!(utf16_with_bom("Café".as_bytes()), None, "UTF-8 is left to the caller");
    }

    #[test]
    fn names_compare_without_case_spaces_or_punctuation() {
        assert_eq!(normalise("Think-Family!"), normalise("think family"));
        assert_eq!(count(1, "briefing"), "1 briefing");
        assert_eq!(count(2, "theme"), "2 themes");
    }
}
