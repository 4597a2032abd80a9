//! What an import found and what it left for a person, as lines for a person or as JSON
//! lines for editors and scripts.

use super::doc::Finding;
use crate::core::text::plural;
use super::ImportError;

/// One file's import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The file imported, as named on the command line.
    pub source: String,
    /// The briefing written (`briefings/<slug>.md` or `briefings/<slug>/index.md`), once it is.
    pub written: Option<String>,
    /// The briefing's slug.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Where the title came from ("the Title style", "the first heading", ...).
    pub title_from: String,
    /// Its format, as front matter writes it.
    pub format: String,
    /// Why that format ("the title says \"7 minute\"", ...).
    pub format_reason: String,
    /// The sections' titles, in order.
    pub sections: Vec<String>,
    /// Suggested theme slugs, most mentioned first.
    pub themes: Vec<String>,
    /// Picture file names written beside the briefing.
    pub pictures: Vec<String>,
    /// Each thing left for a person to check.
    pub left: Vec<Finding>,
}

/// The line that ends a human report.
pub const CHECK_HINT: &str = "Next: run `briefing check` to see each draft as the site will, fix what it reports, then set draft = false to publish.";

impl Report {
    /// The report as lines for a person.
    pub fn human(&self) -> String {
        let mut out = format!("Imported {}\n", self.source);
        let written = self.written.as_deref().unwrap_or("(nothing written)");
        match self.pictures.len() {
            0 => out.push_str(&format!("  wrote {written}\n")),
            n => out.push_str(&format!("  wrote {written} and {n} picture{} beside it\n", plural(n))),
        }
        out.push_str(&format!("  title: {} (from {})\n", self.title, self.title_from));
        out.push_str(&format!("  format: {} ({})\n", self.format, self.format_reason));
        out.push_str(&format!("  sections ({}):\n", self.sections.len()));
        for (i, section) in self.sections.iter().enumerate() {
            out.push_str(&format!("    {}. {section}\n", i + 1));
        }
        match self.themes.is_empty() {
            true => out.push_str("  themes suggested: none\n"),
            false => out.push_str(&format!("  themes suggested: {} (keep those that fit)\n", self.themes.join(", "))),
        }
        out.push_str(&format!("  left for you to check ({}):\n", self.left.len()));
        for finding in &self.left {
            out.push_str(&format!("    - {}\n", finding.message));
        }
        out
    }

    /// The report as one JSON object (a line).
    pub fn json(&self) -> String {
        let left: Vec<serde_json::Value> = self.left.iter().map(|f| serde_json::json!({"code": f.code, "message": f.message})).collect();
        serde_json::json!({
            "type": "imported",
            "file": self.source,
            "written": self.written,
            "slug": self.slug,
            "title": self.title,
            "title_from": self.title_from,
            "format": self.format,
            "format_reason": self.format_reason,
            "sections": self.sections,
            "themes": self.themes,
            "pictures": self.pictures,
            "left": left,
        })
        .to_string()
    }
}

impl ImportError {
    /// The error as lines for a person: what went wrong with which file, and what to do.
    pub fn human(&self) -> String {
        format!("error: could not import {}: {}\n  help: {}\n", self.file.display(), self.message, self.help)
    }

    /// The error as one JSON object (a line).
    pub fn json(&self) -> String {
        serde_json::json!({"type": "error", "code": self.code, "file": self.file.display().to_string(), "message": self.message, "help": self.help}).to_string()
    }
}

/// The last JSON line: how many files were imported and how many failed.
pub fn summary_json(imported: usize, failed: usize, status: &str) -> String {
    serde_json::json!({"type": "summary", "command": "import", "status": status, "imported": imported, "failed": failed}).to_string()
}
