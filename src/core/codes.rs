//! The codes of the warnings and notes `briefing` reports, each of which site.toml
//! (`[check] allow = [...]`) or a briefing's front matter (`allow = [...]`) can switch off.
//! Errors cannot be switched off: they mean the input is broken.

use std::path::Path;

use toml::Spanned;

use super::diagnostics::{did_you_mean, Diagnostic, Severity};

/// A kind of warning or note that can be switched off.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    /// The code, as diagnostics and allow lists write it.
    pub code: &'static str,
    /// Whether it is a warning or a note.
    pub severity: Severity,
    /// What it finds, in a few words (for the README and error messages).
    pub finds: &'static str,
}

const fn warning(code: &'static str, finds: &'static str) -> Check {
    Check { code, severity: Severity::Warning, finds }
}

const fn note(code: &'static str, finds: &'static str) -> Check {
    Check { code, severity: Severity::Note, finds }
}

/// Every warning and note `briefing` reports, by code. A test checks that every warning or note
/// made anywhere in the source is listed here, so that each can be switched off.
pub const CHECKS: &[Check] = &[
    warning("section-count", "a 7-minute briefing with other than seven sections"),
    warning("too-long", "a 7-minute briefing that takes over seven minutes to read"),
    warning("section-too-long", "a section of a 7-minute briefing far over a minute's reading"),
    warning("review-overdue", "review_due has passed"),
    warning("review-due-soon", "review_due is within 30 days"),
    note("no-review-date", "a briefing with no review_due"),
    warning("future-published", "published is in the future (and the briefing is not a draft)"),
    warning("updated-before-published", "updated is earlier than published"),
    warning("undefined-theme", "a theme with no definition file in themes/"),
    warning("no-themes", "a briefing with no themes"),
    warning("no-summary", "a published briefing with no summary (or an empty one)"),
    warning("no-audience", "a published briefing that does not say who it is for (no audience, or an empty one)"),
    warning("missing-alt-text", "an image without alt text"),
    warning("placeholder-link", "a link whose address is a placeholder: #, nothing, http:// or https:// alone, or example.com"),
    warning("vague-link-text", "a link whose text is \"click here\", \"here\", \"link\" or a bare web address"),
    warning("heading-skip", "a heading that skips a level (### straight after the title, #### after ##)"),
    warning("empty-section", "a section with nothing under its heading"),
    warning("duplicate-section-title", "two sections of one briefing with the same title"),
    note("sentence-length", "a briefing whose sentences average over 20 words"),
    note("long-sentence", "a sentence of over 30 words"),
    warning("unsafe-html", "raw HTML that was removed (scripts, embeds, event handlers, inline styles)"),
    warning("forbidden-character", "control characters (or U+FFFE, U+FFFF) in a front matter or site.toml value, taken out"),
    warning("unsafe-url", "a link, image or HTML address that could run code (javascript:, vbscript:, data: other than a picture), taken out"),
    warning("path-leaves-site", "an image or link whose path climbs out of the site with ../"),
    warning("h1-in-body", "a # heading in the text (the title comes from the front matter)"),
    warning("symlink-skipped", "a symbolic link in the site's folders, which is never followed"),
    warning("not-a-source", "a file in briefings/ or themes/ that is not Markdown"),
    warning("not-a-bundle", "a folder in briefings/ with no index.md"),
    warning("reserved-name", "a bundle file named like a page the build writes"),
    warning("unsafe-attachment", "a bundle file not published because it could run script on the site (a web page, an SVG that cannot be read)"),
    warning("unsafe-svg", "script, event handlers or references to other files taken out of a bundle's SVG or the logo"),
    warning("print-overflow", "a one-pager or action plan that does not fit on one sheet, even at the smallest type"),
    warning("pdf-pages", "a handout whose PDF has more than one page"),
    warning("empty-pack", "a training pack whose themes no published briefing has, so it holds nothing"),
    warning("pack-too-large", "a training pack that asks for more than 100 briefings: it holds the first 100 and says how many it leaves out"),
    warning("unprintable-text", "characters a handout prints as empty boxes, because no font it has draws them"),
    note("handout-note", "something a handout could not show as written (an image, the logo)"),
    warning("broken-external-link", "a link to another site that answers with an error or not at all (only with check --external)"),
    note("external-link-unchecked", "a link to another site that check --external could not ask about in time, or whose site asked for fewer requests"),
    note("no-base-url", "no base_url in site.toml, so no sitemap or feed is written and handouts carry no web address"),
];

/// The check with this code, if it is one that can be switched off.
pub fn find(code: &str) -> Option<&'static Check> {
    CHECKS.iter().find(|c| c.code == code)
}

/// Reads an `allow` list (site.toml's `[check] allow` or a briefing's `allow`): the codes, and
/// an error for each entry that is not a check that can be switched off. `base` is where the
/// TOML starts in `text`, the whole file.
pub fn allow_list(entries: &[Spanned<String>], file: &Path, text: &str, base: usize) -> (Vec<String>, Vec<Diagnostic>) {
    let mut codes = Vec::new();
    let mut errors = Vec::new();
    for entry in entries {
        let code = entry.get_ref().trim();
        if find(code).is_some() {
            codes.push(code.to_string());
            continue;
        }
        let help = match did_you_mean(code, CHECKS.iter().map(|c| c.code)) {
            Some(near) => format!("did you mean \"{near}\"?"),
            None => format!(
                "errors cannot be switched off, only these warnings and notes: {}",
                CHECKS.iter().map(|c| c.code).collect::<Vec<_>>().join(", ")
            ),
        };
        errors.push(
            Diagnostic::error("unknown-check", format!("`{code}` is not a check that can be switched off"))
                .in_file(file)
                .at(text, base + entry.span().start..base + entry.span().end)
                .help(help),
        );
    }
    (codes, errors)
}
