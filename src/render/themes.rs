//! The theme pages: the A to Z index of every theme and its other names
//! (`themes/index.html`), and one page per theme (`themes/<slug>/index.html`) with its
//! description, the briefings tagged with it, the sections that mention it and its related
//! themes.

use serde::Serialize;
use tera::Context;

use super::pieces::{render_piece_with, PieceMemo, Pieces, Want};
use super::views::ThemeLink;
use super::{cards, Page, Templates};
use crate::core::diagnostics::Diagnostic;
use crate::core::hash;
use crate::core::paths::{briefing_url, theme_url};
use crate::core::text::{count, normalise};
use crate::model::{Excerpt, Mention, Site};

/// The theme pages to render.
pub(super) fn pages(site: &Site) -> impl Iterator<Item = Page> {
    std::iter::once(Page::ThemeIndex).chain((0..site.themes.len()).map(Page::Theme))
}

/// The A to Z of themes, at `THEME_INDEX_URL`: fills `context`, returns the template.
pub(super) fn index_page(site: &Site, context: &mut Context) -> &'static str {
    context.insert("root", "../");
    context.insert("nav", "themes");
    context.insert("letters", &letters(site));
    "themes.html"
}

/// A theme's page, at `theme_url`, its pieces as `want` asks: fills `context`, returns the
/// template.
pub(super) fn theme_page(site: &Site, templates: &Templates, index: usize, want: Want, context: &mut Context) -> Result<&'static str, Diagnostic> {
    let root = "../../";
    context.insert("root", root);
    context.insert("nav", "");
    let view = ThemeView::new(site, templates, index, root, want)?;
    let mut t = tera::to_value(&view).expect("a view serialises");
    // The rendered pieces are most of the page: moved into the context, not copied.
    t["tagged"] = view.tagged.into_value();
    t["mentions"] = view.mentions.into_value();
    super::insert_owned(context, "t", t);
    Ok("theme.html")
}

/// One letter of the A to Z.
#[derive(Serialize)]
struct Letter<'a> {
    /// "A", or "#" for names that do not start with a letter.
    letter: String,
    id: String,
    entries: Vec<Entry<'a>>,
}

/// A line of the A to Z: a theme, or another name of one ("see" the theme).
#[derive(Serialize)]
struct Entry<'a> {
    name: &'a str,
    url: String,
    /// For another name: the title of the theme it leads to.
    see: Option<&'a str>,
    /// "tagged in 3 briefings, mentioned in 2 more", for a theme.
    counts: String,
    #[serde(skip)]
    key: String,
}

fn letters(site: &Site) -> Vec<Letter<'_>> {
    let mut entries = Vec::new();
    for (theme, refs) in site.themes.iter().zip(&site.theme_refs) {
        let url = theme_url(&theme.slug);
        let counts = match (refs.tagged.len(), refs.mentioned_in) {
            (0, 0) => "in no briefing yet".to_string(),
            (t, 0) => format!("tagged in {}", count(t, "briefing")),
            (0, m) => format!("mentioned in {}", count(m, "briefing")),
            (t, m) => format!("tagged in {}, mentioned in {m} more", count(t, "briefing")),
        };
        entries.push(Entry { name: &theme.title, url: url.clone(), see: None, counts, key: sort_key(&theme.title) });
        let mut names = std::collections::HashSet::from([normalise(&theme.title)]);
        for alias in &theme.aliases {
            // Another spelling of a name already listed would only repeat it.
            if !names.insert(normalise(&alias.name)) {
                continue;
            }
            let see = Some(theme.title.as_str());
            entries.push(Entry { name: &alias.name, url: url.clone(), see, counts: String::new(), key: sort_key(&alias.name) });
        }
    }
    entries.sort_by(|a, b| a.key.cmp(&b.key).then_with(|| a.name.cmp(b.name)).then_with(|| a.url.cmp(&b.url)));
    let mut letters: Vec<Letter> = Vec::new();
    for entry in entries {
        let letter = match entry.key.chars().next() {
            Some(c) if c.is_ascii_alphabetic() => c.to_ascii_uppercase().to_string(),
            _ => "#".to_string(),
        };
        match letters.last_mut() {
            Some(last) if last.letter == letter => last.entries.push(entry),
            _ => {
                let id = if letter == "#" { "letter-other".to_string() } else { format!("letter-{}", letter.to_ascii_lowercase()) };
                letters.push(Letter { letter, id, entries: vec![entry] });
            }
        }
    }
    letters
}

/// How the A to Z orders names: without case or accents, word by word ("Early Help" before
/// "Early intervention" before "Earlybird"), names starting with other characters first.
fn sort_key(name: &str) -> String {
    slug::slugify(name)
}

/// Everything a theme page shows.
#[derive(Serialize)]
struct ThemeView<'a> {
    title: &'a str,
    aliases: Vec<&'a str>,
    /// The description's HTML; empty for a theme that briefings name but no file describes.
    description: &'a str,
    /// The cards of the briefings tagged with it, rendered (see `cards`); put in the context
    /// apart from the rest (see `theme_page`).
    #[serde(skip)]
    tagged: Pieces,
    /// The briefings that mention it, each with the sections that do: rendered from
    /// `mention.html`, one string per briefing (see `mention_groups`); put in the context
    /// apart from the rest.
    #[serde(skip)]
    mentions: Pieces,
    declared: Vec<ThemeLink<'a>>,
    co_occurring: Vec<CoOccurrenceView<'a>>,
}

#[derive(Serialize)]
struct MentionGroup<'a> {
    title: &'a str,
    url: String,
    places: Vec<PlaceView>,
}

/// A section (or introduction) that mentions the theme, with an excerpt.
#[derive(Serialize)]
struct PlaceView {
    /// "2. Why it matters", or "Introduction".
    label: String,
    url: String,
    /// The excerpt's HTML: its text, escaped, with the theme's names in `<mark>` and an
    /// ellipsis where it was cut. Made here rather than from a list of runs in the template,
    /// as that list was most of the memory of a theme that 9,000 briefings mention.
    excerpt: String,
}

#[derive(Serialize)]
struct CoOccurrenceView<'a> {
    #[serde(flatten)]
    theme: ThemeLink<'a>,
    /// "in 3 briefings".
    together: String,
}

impl<'a> ThemeView<'a> {
    /// `root`: the way back to the site root from the theme's page.
    fn new(site: &'a Site, templates: &Templates, index: usize, root: &str, want: Want) -> Result<Self, Diagnostic> {
        let theme = &site.themes[index];
        let refs = &site.theme_refs[index];
        let link = |i: usize| ThemeLink::new(site, &site.themes[i].slug);
        Ok(ThemeView {
            title: &theme.title,
            aliases: theme.aliases.iter().map(|a| a.name.as_str()).collect(),
            description: &theme.description,
            tagged: cards::render(site, templates, &refs.tagged, root, cards::Level::Three, want)?,
            mentions: mention_groups(site, templates, index, root, want)?,
            declared: refs.declared.iter().map(|&i| link(i)).collect(),
            co_occurring: refs
                .co_occurring
                .iter()
                .map(|c| CoOccurrenceView { theme: link(c.theme), together: format!("in {}", count(c.briefings, "briefing")) })
                .collect(),
        })
    }
}

pub const MENTION_TEMPLATE: &str = "mention.html";

/// The mentions of the theme at `theme`, one rendered `mention.html` per briefing, in site
/// order (the order they come in). Like cards (see `cards`), each is rendered on its own and
/// handed to `theme.html` as HTML: a theme that most briefings of a large site mention has
/// tens of thousands of excerpts, far larger as one template context of JSON values.
fn mention_groups(site: &Site, templates: &Templates, theme: usize, root: &str, want: Want) -> Result<Pieces, Diagnostic> {
    let groups: Vec<&[Mention]> = site.theme_refs[theme].mentions.chunk_by(|a, b| a.briefing == b.briefing).collect();
    // Keyed by what the view is made from rather than by the view: making every excerpt's
    // HTML to key a theme page cost more than rendering the few pieces that changed. That
    // hash is kept (`PieceMemo::view_hash`) by all it is made from: the briefing alone, for
    // the theme (see `Briefing::made_from`).
    let key = |group: &&[Mention]| {
        let b = &site.briefings[group[0].briefing];
        let hash_group = || {
            let places: Vec<_> = group.iter().map(|m| (m.section.map(|s| (&b.sections[s].number, &b.sections[s].title, &b.sections[s].anchor)), &m.excerpt)).collect();
            hash::of(&(&b.title, &b.slug, places))
        };
        let group = PieceMemo::briefing_view_hash(templates.pieces(), b.made_from, (MENTION_TEMPLATE, theme), hash_group);
        hash::of(&(MENTION_TEMPLATE, root, group))
    };
    let render = |group: &&[Mention]| render_piece_with(templates, MENTION_TEMPLATE, || key(group), || MentionPiece { g: mention_group(site, group), root });
    Pieces::make(templates, &groups, want, key, render)
}

/// What `mention.html` sees.
#[derive(Serialize)]
struct MentionPiece<'a> {
    g: MentionGroup<'a>,
    root: &'a str,
}

/// The mentions of a theme in one briefing.
fn mention_group<'a>(site: &'a Site, mentions: &[Mention]) -> MentionGroup<'a> {
    let b = &site.briefings[mentions[0].briefing];
    let url = briefing_url(&b.slug);
    let places = mentions
        .iter()
        .map(|m| {
            let (label, place_url) = match m.section {
                Some(s) => (format!("{}. {}", b.sections[s].number, b.sections[s].title), format!("{url}#{}", b.sections[s].anchor)),
                None => ("Introduction".to_string(), url.clone()),
            };
            PlaceView { label, url: place_url, excerpt: excerpt_html(&m.excerpt) }
        })
        .collect();
    MentionGroup { title: &b.title, url, places }
}

fn excerpt_html(excerpt: &Excerpt) -> String {
    let text = excerpt.text.as_str();
    let mut out = String::with_capacity(text.len() + 16 * excerpt.marks.len() + 8);
    let escape = |out: &mut String, s: &str| pulldown_cmark_escape::escape_html(out, s).expect("writing to a String cannot fail");
    if excerpt.cut_before {
        out.push('…');
    }
    let mut at = 0;
    for mark in &excerpt.marks {
        escape(&mut out, &text[at..mark.start]);
        out.push_str("<mark>");
        escape(&mut out, &text[mark.clone()]);
        out.push_str("</mark>");
        at = mark.end;
    }
    escape(&mut out, &text[at..]);
    if excerpt.cut_after {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_word_by_word_without_case_or_accents() {
        let mut names = ["Earlybird", "early intervention", "Early Help", "Éducation", "4 steps", "Zebra"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(names, ["4 steps", "Early Help", "early intervention", "Earlybird", "Éducation", "Zebra"]);
    }

    /// An excerpt is hashed by the key it was made with: every field it shows is in it.
    #[test]
    fn excerpts_hash_by_all_they_show() {
        let of = |text: &str, mark: std::ops::Range<usize>, before, after| crate::core::hash::of(&Excerpt::new(text.into(), std::iter::once(mark).collect(), before, after));
        let one = of("a neglect b", 2..9, false, false);
        assert_eq!(one, of("a neglect b", 2..9, false, false));
        for other in [of("a neglect c", 2..9, false, false), of("a neglect b", 3..9, false, false), of("a neglect b", 2..9, true, false), of("a neglect b", 2..9, false, true)] {
            assert_ne!(one, other);
        }
    }

    #[test]
    fn excerpts_are_escaped_with_names_marked_and_cuts_shown() {
        let e = Excerpt::new("a neglect <b> neglect".into(), [2..9, 14..21].into(), false, false);
        assert_eq!(excerpt_html(&e), "a <mark>neglect</mark> &lt;b&gt; <mark>neglect</mark>");
        let e = Excerpt::new("Neglect & harm".into(), std::iter::once(0..7).collect(), true, true);
        assert_eq!(excerpt_html(&e), "…<mark>Neglect</mark> &amp; harm…");
    }
}
