//! What an import found and what it left for a person, as lines for a person or as JSON
//! lines for editors and scripts.

use super::doc::Finding;
use crate::core::diagnostics::MAX_PER_FILE_AND_CODE;
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
        self.push_sections(&mut out);
        match self.themes.is_empty() {
            true => out.push_str("  themes suggested: none\n"),
            false => out.push_str(&format!("  themes suggested: {} (keep those that fit)\n", self.themes.join(", "))),
        }
        self.push_left(&mut out);
        out
    }

    /// The sections' titles, the first 20 of a long document, then how many more.
    fn push_sections(&self, out: &mut String) {
        out.push_str(&format!("  sections ({}):\n", self.sections.len()));
        for (i, section) in self.sections.iter().enumerate().take(MAX_PER_FILE_AND_CODE) {
            out.push_str(&format!("    {}. {section}\n", i + 1));
        }
        if self.sections.len() > MAX_PER_FILE_AND_CODE {
            out.push_str(&format!("    and {} more: see the file\n", self.sections.len() - MAX_PER_FILE_AND_CODE));
        }
    }

    /// What is left to check, grouped by kind and, as the build reports, at most 20 of a kind,
    /// then how many more (`--message-format json` lists them all): a document of 2,000 tables
    /// printed 2,000 lines.
    fn push_left(&self, out: &mut String) {
        out.push_str(&format!("  left for you to check ({}):\n", self.left.len()));
        let mut kinds: Vec<(&str, Vec<&str>)> = Vec::new();
        for finding in &self.left {
            match kinds.iter_mut().find(|(code, _)| *code == finding.code) {
                Some((_, messages)) => messages.push(&finding.message),
                None => kinds.push((finding.code, vec![&finding.message])),
            }
        }
        for (_, messages) in &kinds {
            for message in messages.iter().take(MAX_PER_FILE_AND_CODE) {
                out.push_str(&format!("    - {message}\n"));
            }
            if messages.len() > MAX_PER_FILE_AND_CODE {
                out.push_str(&format!("    - and {} more like this\n", messages.len() - MAX_PER_FILE_AND_CODE));
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A document of many sections and many tables without a header row: the report showed
    /// every one, 4,000 lines for 2,000 of each.
    #[test]
    fn a_long_report_shows_twenty_of_each_kind_and_counts_the_rest() {
        let mut left: Vec<Finding> = (1..=30).map(|i| Finding::new("table-header", format!("table {i} had no header row"))).collect();
        left.insert(3, Finding::new("picture", "picture 1 has no alt text"));
        left.push(Finding::new("picture", "picture 2 has no alt text"));
        let report = Report {
            source: "big.docx".into(),
            written: Some("briefings/big.md".into()),
            slug: "big".into(),
            title: "Big".into(),
            title_from: "the Title style".into(),
            format: "guidance".into(),
            format_reason: "--format".into(),
            sections: (1..=25).map(|i| format!("Section {i}")).collect(),
            themes: Vec::new(),
            pictures: Vec::new(),
            left,
        };
        let human = report.human();
        assert!(human.contains("  sections (25):\n") && human.contains("    20. Section 20\n    and 5 more: see the file\n"), "{human}");
        assert!(!human.contains("Section 21"), "{human}");
        assert!(human.contains("    - table 20 had no header row\n    - and 10 more like this\n    - picture 1 has no alt text\n    - picture 2 has no alt text\n"), "{human}");
        assert!(!human.contains("table 21 "), "{human}");
        assert_eq!(report.json().matches("had no header row").count(), 30, "JSON keeps them all");
    }
}
