//! `briefing init [DIR]`: starts a site, with settings that explain themselves, a few common
//! themes and one sample briefing, so that the first `briefing serve` shows a working site.
//! It never replaces a file: a folder that already has a site.toml is left exactly as it was.

use std::io::Write;
use std::path::{Path, PathBuf};

use time::Duration;

use crate::core::dates::DateView;
use crate::core::diagnostics::Diagnostic;
use crate::core::files::{linked_folder, write_through_link_refused};
use crate::core::paths::{BRIEFINGS_DIR, CONFIG_FILE, THEMES_DIR};

/// The sample briefing, with `PUBLISHED` and `REVIEW_DUE` for the dates of the day it is made.
const SAMPLE: &str = include_str!("starter/briefing.md");

/// The file name of the sample briefing in `briefings/`.
const SAMPLE_NAME: &str = "sample-child-j.md";

/// A few themes most partnerships use, for the theme index to start from.
const THEMES: &[(&str, &str)] = &[
    ("information-sharing.md", include_str!("starter/themes/information-sharing.md")),
    ("neglect.md", include_str!("starter/themes/neglect.md")),
    ("professional-curiosity.md", include_str!("starter/themes/professional-curiosity.md")),
    ("supervision.md", include_str!("starter/themes/supervision.md")),
    ("think-family.md", include_str!("starter/themes/think-family.md")),
    ("voice-of-the-child.md", include_str!("starter/themes/voice-of-the-child.md")),
];

/// site.toml with every setting, each explained.
pub(crate) const SITE_TOML: &str = include_str!("starter/site.toml");

/// Leaves the output and the handout cache out of version control.
const GITIGNORE: &str = include_str!("starter/gitignore");

/// What `init` did: the files it wrote and those it found already there and left alone,
/// relative to the site folder.
#[derive(Debug, Default)]
pub struct Started {
    /// The files written, in the order written.
    pub written: Vec<PathBuf>,
    /// The files that were there already and were left alone.
    pub kept: Vec<PathBuf>,
}

/// Starts a site in `dir` (made if missing) as of `today`. Refuses, changing nothing, when
/// `dir` already has a site.toml; any other file that is already there is kept as it is.
pub fn init_site(dir: &Path, today: time::Date) -> Result<Started, Diagnostic> {
    let settings = dir.join(CONFIG_FILE);
    if settings.exists() || settings.is_symlink() {
        return Err(Diagnostic::error("already-exists", format!("{} already exists: there is a site here already", settings.display()))
            .in_file(&settings)
            .help("nothing was changed; to start another site, name a new folder: briefing init my-new-site"));
    }
    let mut started = Started::default();
    let briefing = SAMPLE
        .replace("PUBLISHED", &DateView::from(today).iso)
        .replace("REVIEW_DUE", &DateView::from(today + Duration::days(365)).iso);
    let mut files: Vec<(PathBuf, &str)> = vec![(Path::new(BRIEFINGS_DIR).join(SAMPLE_NAME), briefing.as_str())];
    files.extend(THEMES.iter().map(|(name, text)| (Path::new(THEMES_DIR).join(name), *text)));
    files.push((PathBuf::from(".gitignore"), GITIGNORE));
    // site.toml last: until it is written, running init again finishes the job.
    files.push((PathBuf::from(CONFIG_FILE), SITE_TOML));
    // Checked for every file before any is written, so that a refusal writes nothing.
    if let Some(link) = files.iter().find_map(|(rel, _)| linked_folder(dir, rel)) {
        return Err(write_through_link_refused(&link));
    }
    for (rel, text) in files {
        if write_new(dir, &rel, text)? {
            started.written.push(rel);
        } else {
            started.kept.push(rel);
        }
    }
    Ok(started)
}

/// Writes `text` to `dir/rel` unless something is there already; says whether it wrote.
fn write_new(dir: &Path, rel: &Path, text: &str) -> Result<bool, Diagnostic> {
    let path = dir.join(rel);
    let failed = |e: std::io::Error| {
        Diagnostic::error("write-failed", format!("could not write {}: {e}", path.display()))
            .in_file(&path)
            .help("check that the folder exists and that you may write to it, then run briefing init again: it keeps what it already wrote")
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(failed)?;
    }
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(failed(e)),
    };
    file.write_all(text.as_bytes()).map_err(failed)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_toml_has_every_setting_and_reads_as_the_defaults_say() {
        for key in crate::config::KNOWN_KEYS {
            let present = SITE_TOML.lines().any(|l| {
                let l = l.trim_start_matches(['#', ' ']);
                l.starts_with(&format!("{key} =")) || l.starts_with(&format!("[{key}]")) || l.starts_with(&format!("[{key}."))
            });
            assert!(present, "site.toml from init does not have `{key}`");
        }
        let text = SITE_TOML.to_string();
        let config = crate::config::parse(&text);
        assert!(config.is_ok(), "{:?}", config.err());
    }

    #[test]
    fn the_sample_briefing_is_dated_from_today() {
        let dir = tempfile::tempdir().unwrap();
        let started = init_site(dir.path(), time::macros::date!(2031 - 02 - 03)).unwrap();
        assert!(started.kept.is_empty());
        let text = std::fs::read_to_string(dir.path().join("briefings").join(SAMPLE_NAME)).unwrap();
        assert!(text.contains("published = 2031-02-03\nreview_due = 2032-02-03\n"), "{text}");
    }
}
