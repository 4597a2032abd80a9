//! From a shaped document to an `Imported` briefing: the front matter (title, format,
//! published date, summary, themes, partnership, always a draft), the picture files, the
//! slug, and every finding for the report.

use super::doc::{blocks_text, plain_text, Block, Document, Finding, Para};
use super::heuristics::Shape;
use super::markdown::{self, FrontMatter};
use super::report::Report;
use super::{ImportError, ImportOptions, Imported, SiteInfo};
use crate::model::Format;

/// A first paragraph up to this long is the summary; a longer one is left to the author.
const MAX_SUMMARY_WORDS: usize = 45;
/// Picture formats browsers show.
const WEB_PICTURES: &[&str] = &["png", "jpg", "jpeg", "gif", "svg", "webp"];

pub fn finish(mut doc: Document, shape: &Shape, stem: &str, options: &ImportOptions, site: &SiteInfo) -> Result<Imported, ImportError> {
    let mut findings = std::mem::take(&mut doc.findings);
    let (title, title_from) = title(&doc, shape, stem);
    if title_from == "the file name" {
        findings.push(Finding::new("no-title", "no title was found in the file, so the file name was used: write the real one in `title`"));
    }
    let sections: Vec<String> = doc.blocks.iter().filter_map(|b| if let Block::Heading { level: 1, text } = b { Some(plain_text(text).trim().to_string()) } else { None }).collect();
    let (format, format_reason) = guess_format(&title, &sections, shape, options.format);
    let (published, published_from) = match doc.properties.created {
        Some(date) => (date, "the date the Word file was created"),
        None => (options.today, "today's date"),
    };
    findings.push(Finding::new(
        "check-published",
        format!("published = {} is {published_from}: change it to the date the briefing was published", markdown::toml_date(published)),
    ));
    let summary = summary(&doc.blocks);
    if summary.is_none() {
        findings.push(Finding::new("no-summary", "no summary: the first paragraph is too long (or missing) to be one; write one or two sentences in `summary`"));
    }
    let mut text = format!("{title}\n");
    blocks_text(&doc.blocks, &mut text);
    let themes = super::themes::suggest(&site.themes, &text);
    if themes.is_empty() {
        findings.push(Finding::new("no-themes", "no theme of the site is mentioned: add the briefing's themes to `themes`"));
    }
    check_sections(&sections, format, &mut findings);
    check_tables(&doc.blocks, &mut findings);
    let pictures = pictures(&doc, &mut findings);
    let names: Vec<String> = pictures.iter().map(|(name, _)| name.clone()).collect();
    let slug = slug(&title, options.slug.as_deref())?;
    let front = FrontMatter {
        title: title.clone(),
        format: format.slug().to_string(),
        partnership: site.partnership.clone(),
        published: markdown::toml_date(published),
        summary,
        themes: themes.clone(),
        draft: true,
    };
    let source = markdown::source(&front, &doc, &names);
    let report = Report {
        source: String::new(),
        written: None,
        slug: slug.clone(),
        title,
        title_from: title_from.to_string(),
        format: format.slug().to_string(),
        format_reason,
        sections,
        themes,
        pictures: names,
        left: findings,
    };
    Ok(Imported { slug, text: source, pictures, report })
}

fn title(doc: &Document, shape: &Shape, stem: &str) -> (String, &'static str) {
    if let Some(title) = doc.title.clone().filter(|t| !t.is_empty()) {
        return (title, shape.title_from.unwrap_or("the first heading"));
    }
    if let Some(title) = doc.properties.title.clone() {
        return (title, "the document properties");
    }
    let words: Vec<&str> = stem.split(['-', '_', ' ']).filter(|w| !w.is_empty()).collect();
    let title = if words.is_empty() { "Imported briefing".to_string() } else { words.join(" ") };
    (title, "the file name")
}

/// The format and why: the title's words, seven numbered sections, else `--format`, else
/// guidance for over nine sections and 7-minute for fewer.
fn guess_format(title: &str, sections: &[String], shape: &Shape, fallback: Option<Format>) -> (Format, String) {
    let lower = title.to_lowercase().replace(['-', '\u{2011}', '\u{2013}'], " ");
    if ["7 minute", "seven minute", "7 min "].iter().any(|w| lower.contains(w)) {
        return (Format::SevenMinute, "the title says \"7 minute\"".into());
    }
    if shape.numbered_sections == 7 && sections.len() == 7 {
        return (Format::SevenMinute, "it has seven numbered sections".into());
    }
    for (words, format) in [
        (&["thematic"][..], Format::Thematic),
        (&["practitioner", "practice review", "cspr"][..], Format::Practitioner),
        (&["guidance", "guide", "protocol", "procedure"][..], Format::Guidance),
    ] {
        if let Some(word) = words.iter().find(|w| lower.contains(*w)) {
            return (format, format!("the title says \"{word}\""));
        }
    }
    match fallback {
        Some(format) => (format, "--format".into()),
        // A 7-minute briefing has five to nine sections: a longer document is guidance.
        None if sections.len() > 9 => (Format::Guidance, format!("it has {} sections, more than a 7-minute briefing's seven (--format sets it)", sections.len())),
        None => (Format::SevenMinute, "the default: nothing in the text says which (--format sets it)".into()),
    }
}

/// The first paragraph, when it is short enough to be a summary.
fn summary(blocks: &[Block]) -> Option<String> {
    let first = blocks.iter().find_map(|b| if let Block::Paragraph(Para { inlines, .. }) = b { Some(plain_text(inlines)) } else { None })?;
    let text = first.split_whitespace().collect::<Vec<_>>().join(" ");
    let words = text.split(' ').count();
    (!text.is_empty() && words <= MAX_SUMMARY_WORDS && text.ends_with(['.', '!', '?'])).then_some(text)
}

fn check_sections(sections: &[String], format: Format, findings: &mut Vec<Finding>) {
    if sections.is_empty() {
        findings.push(Finding::new("no-sections", "no sections were found: add a `## ` line before each section's title"));
    } else if format == Format::SevenMinute && sections.len() != 7 {
        findings.push(Finding::new("section-count", format!("a 7-minute briefing has seven sections; {} found: check where each begins", match sections.len() { 1 => "1 was".to_string(), n => format!("{n} were") })));
    }
}

fn check_tables(blocks: &[Block], findings: &mut Vec<Finding>) {
    let tables: Vec<&super::doc::Table> = blocks.iter().filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None }).collect();
    for (i, table) in tables.iter().enumerate() {
        let n = i + 1;
        if table.merged {
            findings.push(Finding::new("merged-cells", format!("table {n} had merged cells, which Markdown tables cannot hold: they were split, with the text in the first; check it reads well")));
        }
        if !table.header {
            findings.push(Finding::new("table-header", format!("table {n} had no header row marked in Word: its first row was made the header; check it is one")));
        }
    }
}

/// The picture files (`picture-1.png` ...) and a finding for each without alt text or in a
/// format browsers do not show.
fn pictures(doc: &Document, findings: &mut Vec<Finding>) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (i, picture) in doc.pictures.iter().enumerate() {
        let ext = if picture.extension.chars().all(|c| c.is_ascii_alphanumeric()) && !picture.extension.is_empty() { picture.extension.as_str() } else { "bin" };
        let name = format!("picture-{}.{ext}", i + 1);
        if picture.alt.is_none() {
            findings.push(Finding::new(
                "missing-alt-text",
                format!("{name} has no alt text in Word: replace \"{}\" with what it shows", markdown::PLACEHOLDER_ALT),
            ));
        }
        if !WEB_PICTURES.contains(&ext) {
            findings.push(Finding::new("picture-format", format!("{name} is a .{ext} picture, which web browsers do not show: save it as PNG and change the name in the text")));
        }
        out.push((name, picture.bytes.clone()));
    }
    out
}

/// `--slug`, checked, or one made from the title.
fn slug(title: &str, chosen: Option<&str>) -> Result<String, ImportError> {
    if let Some(slug) = chosen {
        if !crate::core::text::is_valid_slug(slug) {
            return Err(ImportError::new(
                "bad-slug",
                format!("`{slug}` cannot be a briefing's web address"),
                format!("use lowercase letters, digits and hyphens, such as `{}`", crate::core::text::suggest_slug(slug)),
            ));
        }
        return Ok(slug.to_string());
    }
    Ok(crate::core::text::suggest_file_slug(title))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_guessed_from_title_and_sections() {
        let shape = Shape::default();
        assert_eq!(guess_format("Child Q: a 7-minute briefing", &[], &shape, None).0, Format::SevenMinute);
        assert_eq!(guess_format("Seven Minute Briefing", &[], &shape, Some(Format::Guidance)).0, Format::SevenMinute);
        assert_eq!(guess_format("Thematic review of babies", &[], &shape, None).0, Format::Thematic);
        assert_eq!(guess_format("Practitioner learning briefing", &[], &shape, None).0, Format::Practitioner);
        assert_eq!(guess_format("Escalation guidance", &[], &shape, None).0, Format::Guidance);
        assert_eq!(guess_format("Child Q", &[], &shape, Some(Format::Thematic)), (Format::Thematic, "--format".into()));
        let seven: Vec<String> = (1..=7).map(|i| format!("s{i}")).collect();
        let numbered = Shape { numbered_sections: 7, ..Shape::default() };
        assert_eq!(guess_format("Child Q", &seven, &numbered, Some(Format::Thematic)).0, Format::SevenMinute);
        // A long document without a word for its format was a 7-minute briefing of 2,000 sections.
        let many: Vec<String> = (1..=10).map(|i| format!("s{i}")).collect();
        let (format, why) = guess_format("Child Q", &many, &shape, None);
        assert_eq!((format, why.as_str()), (Format::Guidance, "it has 10 sections, more than a 7-minute briefing's seven (--format sets it)"));
        assert_eq!(guess_format("Child Q", &many, &shape, Some(Format::Thematic)).0, Format::Thematic, "--format first");
        assert_eq!(guess_format("Child Q", &many[..9], &shape, None).0, Format::SevenMinute, "up to nine");
    }

    #[test]
    fn slugs_are_checked_and_cut() {
        assert_eq!(slug("Child Q", Some("child-q-2")).unwrap(), "child-q-2");
        assert_eq!(slug("x", Some("Child Q")).unwrap_err().code, "bad-slug");
        let long = slug(&"word ".repeat(30), None).unwrap();
        assert!(long.len() <= 60 && !long.ends_with('-'), "{long}");
    }
}
