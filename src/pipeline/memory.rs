//! The whole pipeline but the disk, for fuzzing and for tests of the whole pipeline.

use super::sources::{self, Budget, Input, Modelled, Text};
use crate::config::{self, Config};
use crate::core::dates::today;
use crate::core::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, Candidate, SourceFile};
use crate::render::{Attached, BriefingText, OutputFile, Templates, Texts};

/// Builds a site from `(path, text)` pairs (`site.toml`, `briefings/<slug>.md`,
/// `briefings/<slug>/index.md`, `themes/<slug>.md`; other paths are ignored) with the built-in
/// templates, and returns the files it would write (none when there are errors) and every
/// diagnostic, sorted.
pub fn build_in_memory(files: &[(&str, &str)]) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut diags = Diagnostics::new();
    let config = match files.iter().find(|(path, _)| *path == config::FILE_NAME) {
        Some((_, text)) => config::parse_reporting(text),
        None => Ok((Config::default(), Vec::new())),
    };
    let config = match config {
        Ok((config, warnings)) => {
            diags.extend(warnings);
            config
        }
        Err(e) => {
            diags.extend(e);
            return (Vec::new(), diags.sorted());
        }
    };
    diags.allow_everywhere(&config.allow);
    let sources: Vec<SourceFile> = files.iter().filter_map(|(path, text)| load::from_memory(path, text)).filter_map(|s| s.map_err(|d| diags.push(d)).ok()).collect();
    let candidates = sources.iter().map(|s| Candidate { kind: s.kind, slug: s.slug.clone(), path: s.path.clone(), bundle: None }).collect();
    let read = |c: &Candidate| Ok(sources.iter().find(|s| s.path == c.path).map(|s| s.text.clone()).unwrap_or_default());
    let keep_html = Budget::new(usize::MAX);
    let input = Input { config: &config, drafts: false, today: today(), read: &read, keep_text: true, keep_html: &keep_html, spill: None };
    let Some(Modelled { site, text, .. }) = sources::model(&input, candidates, None, &mut diags) else {
        return (Vec::new(), diags.sorted());
    };
    let templates = Templates::builtin().expect("the built-in templates parse");
    let (files, rendered) = super::render_in_memory(&site, &templates, None, &KeptTexts(&text));
    if let Err(e) = rendered {
        diags.extend(e);
    }
    let files = if diags.has_errors() { Vec::new() } else { files };
    (files, diags.sorted())
}

/// The text of each briefing, all kept (no limit): a build in memory makes no PDFs.
struct KeptTexts<'a>(&'a [Text]);

impl Texts for KeptTexts<'_> {
    fn briefing(&self, i: usize) -> Result<BriefingText, Diagnostic> {
        let Text::Kept(bodies) = &self.0[i] else { unreachable!("kept without a limit") };
        Ok(BriefingText { bodies: bodies.clone(), attached: Attached::default() })
    }

    fn pack(&self, _: usize) -> Result<Attached, Diagnostic> {
        Ok(Attached::default())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_broken_link_is_reported_with_its_line() {
        // A BOM, which reading a source strips, must not shift the line.
        let page = "\u{feff}+++\ntitle = \"A\"\nformat = \"guidance\"\npublished = 2024-05-01\n+++\nIntro.\n\n## One\n\nSee [b](missing-one.md) now.\n";
        let (files, diags) = super::build_in_memory(&[("briefings/a.md", page)]);
        assert!(files.is_empty());
        let broken = diags.iter().find(|d| d.code == "broken-link").expect("a broken link");
        let span = broken.span.as_ref().unwrap();
        assert_eq!((span.line, span.source_line.as_str()), (10, "See [b](missing-one.md) now."));
    }
}
