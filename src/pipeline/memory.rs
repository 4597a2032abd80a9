//! The whole pipeline but the disk, for fuzzing and for tests of the whole pipeline.

use crate::config::{self, Config};
use crate::core::dates::today;
use crate::core::diagnostics::{Diagnostic, Diagnostics};
use crate::load;
use crate::parse;
use crate::render::{OutputFile, Templates};
use crate::site::checks;

/// Builds a site from `(path, text)` pairs (`site.toml`, `briefings/<slug>.md`,
/// `briefings/<slug>/index.md`, `themes/<slug>.md`; other paths are ignored) with the built-in
/// templates, and returns the files it would write (none when there are errors) and every
/// diagnostic, sorted.
pub fn build_in_memory(files: &[(&str, &str)]) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut diags = Diagnostics::new();
    let config = match files.iter().find(|(path, _)| *path == config::FILE_NAME) {
        Some((_, text)) => config::parse(text),
        None => Ok(Config::default()),
    };
    let config = match config {
        Ok(config) => config,
        Err(e) => {
            diags.extend(e);
            return (Vec::new(), diags.sorted());
        }
    };
    diags.allow_everywhere(&config.allow);
    let sources: Vec<load::SourceFile> =
        files.iter().filter_map(|(path, text)| load::from_memory(path, text)).filter_map(|source| source.map_err(|d| diags.push(d)).ok()).collect();
    let results = sources.iter().map(|s| parse::parse(s, &config)).collect();
    let Some((site, _)) = super::assemble(config, results, false, None, &mut diags) else {
        return (Vec::new(), diags.sorted());
    };
    diags.extend(checks::run(&site, today()));
    let templates = Templates::builtin().expect("the built-in templates parse");
    let (files, rendered) = super::render_in_memory(&site, &templates, false, None);
    if let Err(e) = rendered {
        diags.extend(e);
    }
    let files = if diags.has_errors() { Vec::new() } else { files };
    (files, diags.sorted())
}
