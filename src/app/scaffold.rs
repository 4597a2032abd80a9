//! `briefing new`: a new briefing source with the headings of its format, ready to fill in.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::core::dates::DateView;
use crate::core::diagnostics::Diagnostic;
use crate::core::paths::BRIEFINGS_DIR;
use crate::core::files::{linked_folder, write_through_link_refused};
use crate::core::text::suggest_file_slug;
use crate::model::Format;

/// The sections each format expects, each with a prompt for the writer (an HTML comment, so
/// it never shows on the page).
fn headings(format: Format) -> &'static [(&'static str, &'static str)] {
    match format {
        Format::SevenMinute => &[
            ("Background", "What happened, in a few sentences. Keep the family anonymous."),
            ("Why it matters", "Why practitioners should care about this learning."),
            ("What was the learning?", "The main things the review found."),
            ("What can we consider?", "What this means for how we work together."),
            ("What you can do", "Practical steps a practitioner can take now."),
            ("Questions for reflection", "Questions to take to supervision or a team meeting."),
            ("Further information", "Links to the full review, procedures and training."),
        ],
        Format::Practitioner => &[
            ("Who should read this briefing?", "The practitioners and managers this learning is for."),
            ("How the review was done", "The method, who took part and what was looked at."),
            ("Overview of learning", "The findings, one point per bullet."),
            ("Recommendations", "What the partnership has asked agencies to do."),
            ("More information", "Where to find the full review and related training."),
        ],
        Format::Thematic => &[
            ("About this review", "Why these cases were reviewed together."),
            ("Theme 1", "Name the theme in the heading. Then ### What did we learn? and ### What does this mean for practice?"),
            ("Theme 2", "As above."),
            ("Further information", "The full review and related resources."),
        ],
        Format::Guidance => &[
            ("Purpose", "What this guidance is for and who it is for."),
            ("Scope", "What it covers and what it does not."),
            ("Guidance", "The guidance itself; use ### for subsections."),
            ("Reflective questions", "Questions for practitioners and supervisors."),
            ("Learning diary", "A table or checklist readers can fill in."),
            ("Appendix A: Further reading", "Procedures, research and contacts."),
        ],
    }
}

/// The front matter `new` writes, serialised by the toml crate so that no title (quotes,
/// backslashes, `+++`) can break out of its string. `draft` is added after it by hand, with a
/// comment, since it is always `true`.
#[derive(serde::Serialize)]
struct NewFrontMatter<'a> {
    title: &'a str,
    format: &'static str,
    published: toml::value::Datetime,
    summary: &'static str,
    audience: &'static str,
    themes: [&'static str; 0],
}

/// A title as one line: runs of whitespace (line breaks and tabs too) become one space and
/// other control characters are dropped, since a title shows on one line of every page and a
/// line break in it could end the front matter early.
pub fn one_line_title(title: &str) -> String {
    let visible: String = title.chars().filter(|c| c.is_whitespace() || !c.is_control()).collect();
    visible.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of a new briefing titled `title` (already `one_line_title`), dated `today`. It
/// starts as a draft, so that a half-written briefing is never published by accident.
pub fn source_text(title: &str, format: Format, today: time::Date) -> String {
    let published = DateView::from(today).iso.parse().expect("an ISO date is a TOML date");
    let front = NewFrontMatter { title, format: format.slug(), published, summary: "", audience: "", themes: [] };
    let front = toml::to_string(&front).expect("plain strings and a date always serialise");
    let mut text = format!("+++\n{front}draft = true  # change to false to publish\n+++\n");
    text.push_str("\n<!-- An introduction can go here, before the first section. -->\n");
    for (heading, prompt) in headings(format) {
        text.push_str(&format!("\n## {heading}\n\n<!-- {prompt} -->\n"));
    }
    text
}

/// Writes `briefings/<slug>.md` under `root`, refusing to replace anything.
pub fn new_briefing(root: &Path, title: &str, format: Format, today: time::Date) -> Result<PathBuf, Diagnostic> {
    let title = one_line_title(title);
    if title.is_empty() {
        return Err(Diagnostic::error("empty-title", "the title is empty")
            .help("give the briefing a title in quotes, like: briefing new \"Child S: learning from a rapid review\""));
    }
    let slug = suggest_file_slug(&title);
    let rel = Path::new(BRIEFINGS_DIR).join(format!("{slug}.md"));
    let bundle = Path::new(BRIEFINGS_DIR).join(&slug).join("index.md");
    let exists = |rel: &Path| {
        Diagnostic::error("already-exists", format!("{} already exists", rel.display()))
            .in_file(rel)
            .help("choose another title, or edit the existing briefing")
    };
    if root.join(&bundle).exists() {
        return Err(exists(&bundle));
    }
    if let Some(link) = linked_folder(root, &rel) {
        return Err(write_through_link_refused(&link));
    }
    std::fs::create_dir_all(root.join(BRIEFINGS_DIR)).map_err(|e| io_error(&rel, e))?;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(root.join(&rel)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            exists(&rel)
        } else {
            io_error(&rel, e)
        }
    })?;
    file.write_all(source_text(&title, format, today).as_bytes()).map_err(|e| io_error(&rel, e))?;
    Ok(rel)
}

fn io_error(rel: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error("write-failed", format!("could not write {}: {e}", rel.display())).in_file(rel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::load::{Kind, SourceFile};

    #[test]
    fn every_format_scaffolds_a_valid_draft_with_its_headings() {
        let today = time::macros::date!(2026 - 11 - 23);
        for format in Format::ALL {
            let text = source_text("Child \"Q\": a review", format, today);
            let source = SourceFile { kind: Kind::Briefing, slug: "child-q".into(), path: "briefings/child-q.md".into(), bundle: None, text };
            let (b, diags) = crate::parse::briefing::parse(&source, &Config::default());
            assert!(diags.is_empty(), "{format:?}: {diags:?}");
            let b = b.unwrap().briefing;
            assert!(b.draft);
            assert_eq!(b.title, "Child \"Q\": a review");
            assert_eq!(b.sections.len(), headings(format).len());
        }
    }

    /// Issue 16: a title with a quote and a line break pasted into the front matter ended its
    /// string and set `draft = false`.
    #[test]
    fn a_hostile_title_stays_inside_its_string() {
        let today = time::macros::date!(2026 - 11 - 23);
        let hostile = ["Evil\"\\ndraft = false", "a\\", "''\u{27}\"\"\"", "x\n+++\ndraft = false", "Evil\"\ndraft = false"];
        for title in hostile {
            let title = one_line_title(title);
            let text = source_text(&title, Format::SevenMinute, today);
            let source = SourceFile { kind: Kind::Briefing, slug: "evil".into(), path: "briefings/evil.md".into(), bundle: None, text };
            let (b, diags) = crate::parse::briefing::parse(&source, &Config::default());
            assert!(diags.is_empty(), "{title}: {diags:?}\n{}", source.text);
            let b = b.unwrap().briefing;
            assert!(b.draft, "{title}");
            assert_eq!(b.title, title);
        }
        assert_eq!(one_line_title("x\n+++\ndraft = false\u{1}"), "x +++ draft = false");
        assert_eq!(one_line_title(" \t\n "), "");
    }
}

