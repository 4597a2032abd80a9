//! From sources to the site model, in two passes over the briefings. The site must know the
//! theme names of all its briefings before it can look for mentions of them in any one, so
//! the first pass reads each briefing's front matter (or, in `watch`, finds its parse kept);
//! the second parses and analyses each briefing (see `site::analyse`). A build of a site whose
//! sources fit `Keep::sources` keeps each briefing's text from the first pass to the second,
//! and its HTML for rendering while that fits a `Budget`; a briefing whose HTML was not kept
//! waits in a temporary file (`Spill`), or failing that is read and parsed again, to render
//! it, so that peak memory stays in step with the model, not with the whole text.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rayon::prelude::*;
use time::Date;

use super::cache::SourceCache;
use super::spill::{Spill, Spilled};
use crate::config::Config;
use crate::core::diagnostics::{Diagnostic, Diagnostics};
use crate::core::hash;
use crate::load::{Candidate, Kind};
use crate::model::{Bodies, Pack, Site, Theme};
use crate::parse::{self, Named, ParseResult, Parsed};
use crate::site::{self, Analysed, SiteThemes};

/// Reads the text of a source: from the disk, or from the texts of a build in memory.
pub(super) type Read<'a> = &'a (dyn Fn(&Candidate) -> Result<String, Diagnostic> + Sync);

/// What modelling a site needs.
pub(super) struct Input<'a> {
    pub config: &'a Config,
    /// Include briefings marked `draft = true`.
    pub drafts: bool,
    pub today: Date,
    pub read: Read<'a>,
    /// Keep each briefing's text between the passes (else the second pass reads it again).
    pub keep_text: bool,
    /// How much of the briefings' HTML to keep for rendering.
    pub keep_html: &'a Budget,
    /// Where the HTML not kept waits for rendering; without one, rendering parses it again.
    pub spill: Option<&'a Spill>,
}

/// Where a briefing's text for rendering is.
#[derive(Debug, Clone)]
pub(super) enum Text {
    Kept(Arc<Bodies>),
    Spilled(Spilled),
    /// Nowhere: read and parse the source again.
    Again,
}

/// Bytes that may still be kept, taken from as the briefings are parsed (in parallel, so which
/// briefings are kept can differ from one build to the next; their pages cannot).
pub struct Budget(AtomicUsize);

impl Budget {
    pub fn new(bytes: usize) -> Budget {
        Budget(AtomicUsize::new(bytes))
    }

    /// Whether `bytes` more fit, taking them when they do.
    fn take(&self, bytes: usize) -> bool {
        self.0.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(bytes)).is_ok()
    }
}

/// The site, how many drafts it left out, and where each briefing's text is for rendering,
/// index-aligned with `Site::briefings`.
pub(super) struct Modelled {
    pub site: Site,
    pub drafts_skipped: usize,
    pub text: Vec<Text>,
}

/// A briefing after the first pass.
pub(super) struct First {
    pub candidate: Candidate,
    /// A hash of the text read, so that the second pass can tell whether it changed since.
    pub text: u128,
    pub named: Option<Arc<Named>>,
    /// Its parse, when the first pass has it (`watch`).
    pub parsed: Option<Arc<ParseResult>>,
    /// The text read, when kept for the second pass (`Input::keep_text`).
    pub source: Option<String>,
}

/// The site of the sources `candidates`. `None` when there were errors (in `diags`). With a
/// `cache` (`watch`), sources that cannot have changed are not read or parsed again.
pub(super) fn model(input: &Input, candidates: Vec<Candidate>, cache: Option<&mut SourceCache>, diags: &mut Diagnostics) -> Option<Modelled> {
    // Themes and packs are parsed whole in the first pass; briefings in two.
    let (others, briefings): (Vec<Candidate>, Vec<Candidate>) = candidates.into_iter().partition(|c| c.kind != Kind::Briefing);
    let (others, firsts, mut cache) = match cache {
        Some(cache) => {
            let (others, firsts) = cache.first_pass(input, others, briefings, diags);
            (others, firsts, Some(cache))
        }
        None => (parse_whole(input, others, diags), first_pass(input, briefings, diags), None),
    };
    let (themes, packs) = gather(others, diags);
    let named = site_order(&firsts, input.drafts);
    let site_themes = SiteThemes::new(themes, named.iter().flat_map(|n| n.themes.iter().map(String::as_str)));
    let analysed: Vec<Result<Second, Diagnostic>> = firsts.into_par_iter().map(|f| second_pass(input, f, &site_themes, cache.as_deref())).collect();
    let mut kept = Vec::new();
    let mut drafts = Vec::new();
    for second in analysed {
        match second {
            Ok(second) => take(second, &mut kept, &mut drafts, diags),
            Err(d) => diags.push(d),
        }
    }
    if let Some(cache) = cache.as_deref_mut() {
        cache.keep_analyses(kept.iter().map(|(key, a, _)| (*key, Arc::clone(a))));
    }
    if diags.has_errors() {
        return None;
    }
    let keys: Vec<(String, Text)> = kept.iter().map(|(_, a, text)| (a.briefing.slug.clone(), text.clone())).collect();
    // The site owns its briefings: a copy of each analysis `watch` keeps (a build keeps none,
    // so nothing is copied), made on every thread.
    let analysed = kept.into_par_iter().map(|(_, a, _)| Arc::unwrap_or_clone(a)).collect();
    let (site, found) = site::assemble(input.config.clone(), analysed, site_themes, packs, &drafts, input.today, cache.map(|c| &mut c.related));
    diags.extend(found);
    if diags.has_errors() {
        return None;
    }
    let text = in_site_order(&site, keys);
    Some(Modelled { drafts_skipped: drafts.len(), site, text })
}

/// Parses every theme and pack.
fn parse_whole(input: &Input, themes: Vec<Candidate>, diags: &mut Diagnostics) -> Vec<ParseResult> {
    let parse = |c: Candidate| -> Result<ParseResult, Diagnostic> {
        let text = (input.read)(&c)?;
        Ok(parse::parse(&c.with_text(text), input.config))
    };
    collect(themes.into_par_iter().map(parse).collect(), diags)
}

/// Reads each briefing's front matter.
fn first_pass(input: &Input, briefings: Vec<Candidate>, diags: &mut Diagnostics) -> Vec<First> {
    let first = |candidate: Candidate| -> Result<First, Diagnostic> {
        let text = (input.read)(&candidate)?;
        let source = input.keep_text.then(|| text.clone());
        Ok(First { text: hash::of(&text), named: Named::read(&text).map(Arc::new), candidate, parsed: None, source })
    };
    collect(briefings.into_par_iter().map(first).collect(), diags)
}

/// The successes of `results`, the failures into `diags`.
fn collect<T>(results: Vec<Result<T, Diagnostic>>, diags: &mut Diagnostics) -> Vec<T> {
    results.into_iter().filter_map(|r| r.map_err(|d| diags.push(d)).ok()).collect()
}

/// The themes and packs of parse results, their problems into `diags`.
fn gather(results: Vec<ParseResult>, diags: &mut Diagnostics) -> (Vec<Theme>, Vec<Pack>) {
    let (mut themes, mut packs) = (Vec::new(), Vec::new());
    for (parsed, found) in results {
        diags.extend(found);
        match parsed {
            Some(Parsed::Theme(t)) => themes.push(*t),
            Some(Parsed::Pack(p)) => packs.push(*p),
            _ => {}
        }
    }
    (themes, packs)
}

/// What the briefings of the site say of their themes, in site order: newest first, then by
/// title and slug (an undefined theme is titled as the first briefing to name it writes it).
fn site_order(firsts: &[First], include_drafts: bool) -> Vec<&Named> {
    let mut named: Vec<(&Named, &str)> =
        firsts.iter().filter_map(|f| Some((f.named.as_deref()?, f.candidate.slug.as_str()))).filter(|(n, _)| include_drafts || !n.draft).collect();
    named.sort_by(|(a, a_slug), (b, b_slug)| b.published.cmp(&a.published).then_with(|| a.title.cmp(&b.title)).then_with(|| a_slug.cmp(b_slug)));
    named.into_iter().map(|(n, _)| n).collect()
}

/// A briefing after the second pass: what became of it, its problems, and the checks its
/// front matter switches off and where (its file, or its whole bundle folder).
struct Second {
    became: Became,
    diagnostics: Vec<Diagnostic>,
    allow: Option<(PathBuf, Vec<String>)>,
}

enum Became {
    /// In the site: its analysis (with the key it is kept by in `watch`) and text.
    Analysed { key: u128, analysed: Arc<Analysed>, text: Text },
    /// A draft left out, by slug.
    Draft(String),
    /// It has errors.
    Failed,
}

/// A briefing analysed: the key of its analysis, the analysis, and where its text is.
type Kept = (u128, Arc<Analysed>, Text);

/// Parses (unless the first pass did) and analyses one briefing.
fn second_pass(input: &Input, first: First, themes: &SiteThemes, cache: Option<&SourceCache>) -> Result<Second, Diagnostic> {
    let parsed = match first.parsed {
        Some(parsed) => parsed,
        None => Arc::new(parse_again(input, first.candidate, first.text, first.source)?),
    };
    let diagnostics = parsed.1.clone();
    let Some(Parsed::Briefing(b)) = &parsed.0 else { return Ok(Second { became: Became::Failed, diagnostics, allow: None }) };
    let briefing = &b.briefing;
    // A bundle's allow list covers the files beside its index.md too.
    let place = if briefing.bundle.is_some() { briefing.source.parent().unwrap_or(&briefing.source) } else { &briefing.source };
    let allow = Some((place.to_path_buf(), briefing.allow.clone()));
    if briefing.draft && !input.drafts {
        return Ok(Second { became: Became::Draft(briefing.slug.clone()), diagnostics, allow });
    }
    let key = site::made_from(briefing.fingerprint, themes, input.today);
    let analysed = match cache.and_then(|c| c.analysis(key)) {
        Some(analysed) => analysed,
        None => Arc::new(site::analyse(b, themes, input.config, input.today)),
    };
    let text = if input.keep_html.take(b.bodies.bytes()) {
        Text::Kept(b.bodies.clone())
    } else {
        input.spill.and_then(|spill| spill.put(&b.bodies)).map_or(Text::Again, Text::Spilled)
    };
    Ok(Second { became: Became::Analysed { key, analysed, text }, diagnostics, allow })
}

/// The parse of a briefing: of the text the first pass kept, or read again, which must be the
/// text the first pass read.
fn parse_again(input: &Input, c: Candidate, expected: u128, kept: Option<String>) -> Result<ParseResult, Diagnostic> {
    let text = match kept {
        Some(text) => text,
        None => {
            let text = (input.read)(&c)?;
            if hash::of(&text) != expected {
                return Err(changed(&c));
            }
            text
        }
    };
    Ok(parse::parse(&c.with_text(text), input.config))
}

/// The error for a source that changed while the site was being built.
pub(super) fn changed(c: &Candidate) -> Diagnostic {
    Diagnostic::error("changed-during-build", format!("{} changed while the site was being built", c.path.display()))
        .in_file(&c.path)
        .help("build again once you have finished saving it; the output was left as it was")
}

/// Files the results of the second pass: briefings of the site into `kept`, drafts into
/// `drafts`, every problem into `diags` (after the briefing's own allow list).
fn take(second: Second, kept: &mut Vec<Kept>, drafts: &mut Vec<String>, diags: &mut Diagnostics) {
    if let Some((place, codes)) = &second.allow {
        diags.allow_in(place, codes);
    }
    diags.extend(second.diagnostics);
    match second.became {
        Became::Analysed { key, analysed, text } => kept.push((key, analysed, text)),
        Became::Draft(slug) => drafts.push(slug),
        Became::Failed => {}
    }
}

/// Where the text of each of the site's briefings is, in the site's order.
fn in_site_order(site: &Site, mut by_slug: Vec<(String, Text)>) -> Vec<Text> {
    by_slug.sort_by(|a, b| a.0.cmp(&b.0));
    site.briefings.iter().map(|b| by_slug[by_slug.binary_search_by(|(slug, _)| slug.as_str().cmp(&b.slug)).expect("every briefing was kept")].1.clone()).collect()
}

/// A briefing's text for rendering when it was not kept: parsed again from its source, which
/// must be the text it was modelled from.
pub(super) fn bodies_again(config: &Config, read: Read, c: &Candidate, fingerprint: u128) -> Result<Arc<Bodies>, Diagnostic> {
    let text = read(c)?;
    let source = c.clone().with_text(text);
    if parse::fingerprint(&source, config) != fingerprint {
        return Err(changed(c));
    }
    parse::briefing::bodies(&source, config).map(Arc::new).ok_or_else(|| changed(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A build that parses a briefing again to render it must find the text it modelled: a
    /// save in between gives an error, never a page that mixes two versions.
    #[test]
    fn a_briefing_saved_during_the_build_is_an_error_not_a_mixed_page() {
        let config = Config::default();
        let c = Candidate { kind: Kind::Briefing, slug: "a".into(), path: PathBuf::from("briefings/a.md"), bundle: None };
        let text = "+++\ntitle = \"A\"\npublished = 2024-01-01\n+++\n## One\n\nFirst words.\n";
        let fingerprint = parse::fingerprint(&c.clone().with_text(text.to_string()), &config);
        let same = |_: &Candidate| Ok(text.to_string());
        let bodies = bodies_again(&config, &same, &c, fingerprint).unwrap();
        assert!(bodies.sections[0].html.contains("First words."));
        let saved = |_: &Candidate| Ok(text.replace("First", "Second"));
        let err = bodies_again(&config, &saved, &c, fingerprint).unwrap_err();
        assert_eq!((err.code, err.file.as_deref()), ("changed-during-build", Some(c.path.as_path())));
    }
}
