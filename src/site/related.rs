//! Which briefings share learning, and which themes go together.
//!
//! A briefing links to a theme by being tagged with it (weight `TAG_WEIGHT`) or, failing that,
//! by mentioning it (weight `MENTION_WEIGHT`). A theme two briefings share scores the product
//! of their weights: 4 when both are tagged with it, 2 when one is tagged and the other
//! mentions it, 1 when both only mention it. Two briefings are as related as the sum over the
//! themes they share, and two themes as related as the sum over the briefings they share.
//! Ties always break by title, then slug, so the order never depends on hashing.

use std::cmp::Ordering;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::core::hash;
use crate::model::{Briefing, CoOccurrence, Related, Theme};

/// How many related briefings a briefing page lists.
pub const MAX_RELATED: usize = 5;
/// How many themes a theme page lists as often occurring with it.
pub const MAX_CO_OCCURRING: usize = 5;
pub const TAG_WEIGHT: u32 = 2;
pub const MENTION_WEIGHT: u32 = 1;

/// How many briefings of each theme a briefing's related list is drawn from: those tagged
/// with it before those that mention it, newest first. A theme that most of a large archive
/// names would otherwise make every briefing a candidate for every other, and the work grow
/// with the square of the archive.
pub const CANDIDATES_PER_THEME: usize = 100;

/// How many of a briefing's themes count towards co-occurrence: its strongest (tags before
/// mentions, then by theme). Every pair of them counts, so a briefing naming thousands of
/// themes would otherwise cost the square of that.
pub const THEMES_PAIRED: usize = 100;

/// One briefing's themes as (index into the themes, weight), sorted by theme.
pub type Links = Vec<(usize, u32)>;

/// The related lists last worked out, with a hash of all they were worked out from. `watch`
/// keeps it between rebuilds: most saves change no briefing's themes, title or place in the
/// site, and working the lists out again is one of the largest parts of a rebuild. It keeps
/// each briefing's finalists too, found from the links alone: a save that changes a title
/// only ranks them again.
#[derive(Default)]
pub struct RelatedMemo {
    finalists: Option<(u128, Vec<Option<Vec<Scored>>>)>,
    last: Option<(u128, Vec<Vec<Related>>)>,
}

/// A candidate for a briefing's related list: its score and its index.
type Scored = (u32, usize);

/// The most finalists the memo keeps for a briefing: a tie of thousands (briefings that share
/// one theme each with a briefing naming hundreds) would otherwise hold megabytes; such a
/// briefing's finalists are found again when it is ranked.
const KEPT_FINALISTS: usize = 64;

/// `briefings`, taken from `memo` when nothing it is worked out from changed.
pub fn briefings_kept(briefings: &[Arc<Briefing>], links: &[Links], themes: &[Theme], memo: Option<&mut RelatedMemo>) -> Vec<Vec<Related>> {
    let Some(memo) = memo else { return self::briefings(briefings, links, themes) };
    let titles: Vec<(&str, &str)> = briefings.iter().map(|b| (b.title.as_str(), b.slug.as_str())).collect();
    let theme_titles: Vec<(&str, &str)> = themes.iter().map(|t| (t.title.as_str(), t.slug.as_str())).collect();
    let by_links = hash::of(&(links, themes.len()));
    let key = hash::of(&(by_links, titles, theme_titles));
    if let Some((last, related)) = &memo.last {
        if *last == key {
            return related.clone();
        }
    }
    let candidates = std::sync::OnceLock::new();
    let candidates = || candidates.get_or_init(|| Candidates::new(links, themes.len()));
    let kept = memo.finalists.take().filter(|(kept, _)| *kept == by_links).map_or_else(|| vec![None; links.len()], |(_, finalists)| finalists);
    // Each briefing ranked from its kept finalists, or from those found again (and kept).
    let (related, finalists): (Vec<Vec<Related>>, Vec<Option<Vec<Scored>>>) = (0..links.len())
        .into_par_iter()
        .zip(kept)
        .map_init(
            || None,
            |scratch, (i, kept)| {
                let found = match kept {
                    Some(finalists) => finalists,
                    None => candidates().finalists(i, scratch.get_or_insert_with(|| candidates().scratch())),
                };
                // A copy, which holds no room for the other candidates `found` was cut from.
                let keep = (found.len() <= KEPT_FINALISTS).then(|| found.clone());
                (rank(briefings, links, themes, i, found), keep)
            },
        )
        .unzip();
    memo.finalists = Some((by_links, finalists));
    memo.last = Some((key, related.clone()));
    related
}

/// For each briefing, the others it shares themes with, best first, at most `MAX_RELATED`,
/// chosen from the first `CANDIDATES_PER_THEME` of each of its themes.
pub fn briefings(briefings: &[Arc<Briefing>], links: &[Links], themes: &[Theme]) -> Vec<Vec<Related>> {
    let candidates = Candidates::new(links, themes.len());
    (0..links.len()).into_par_iter().map_init(|| candidates.scratch(), |scratch, i| rank(briefings, links, themes, i, candidates.finalists(i, scratch))).collect()
}

/// Where a briefing's candidates come from: an inverted index (theme to briefings), so that
/// the work grows with the number of briefings, not its square.
struct Candidates<'a> {
    links: &'a [Links],
    /// Each theme's first `CANDIDATES_PER_THEME` briefings: tagged before mentioning, then in
    /// the site's order (newest first).
    by_theme: Vec<Vec<(usize, u32)>>,
}

/// What finding one briefing's finalists writes in, reused from one to the next: which
/// briefings were seen, and this briefing's weight of each theme.
type Scratch = (Vec<bool>, Vec<u32>);

impl<'a> Candidates<'a> {
    fn new(links: &'a [Links], themes: usize) -> Self {
        let mut by_theme: Vec<Vec<(usize, u32)>> = vec![Vec::new(); themes];
        for (i, links) in links.iter().enumerate() {
            for &(theme, weight) in links {
                by_theme[theme].push((i, weight));
            }
        }
        for list in &mut by_theme {
            // Stable: within a weight, the site's order (newest first) stays.
            list.sort_by_key(|&(_, weight)| std::cmp::Reverse(weight));
            list.truncate(CANDIDATES_PER_THEME);
        }
        Candidates { links, by_theme }
    }

    fn scratch(&self) -> Scratch {
        (vec![false; self.links.len()], vec![0; self.by_theme.len()])
    }

    /// Every candidate that can be among briefing `i`'s `MAX_RELATED` best: those scoring at
    /// least the fifth best score (all of a tie at that score, which titles break, so that
    /// they are found from the links alone).
    fn finalists(&self, i: usize, (seen, weights): &mut Scratch) -> Vec<Scored> {
        let links = self.links;
        let mut touched = Vec::new();
        for &(theme, weight) in &links[i] {
            weights[theme] = weight;
            for &(j, _) in self.by_theme[theme].iter().filter(|&&(j, _)| j != i) {
                if !seen[j] {
                    seen[j] = true;
                    touched.push(j);
                }
            }
        }
        // Scored over every theme the two share, not only those it was found by: each of the
        // other's themes looked up in this one's weights (0 where it has none), which is
        // quicker than walking the two lists together.
        let mut scored: Vec<Scored> = touched
            .into_iter()
            .map(|j| {
                seen[j] = false;
                (links[j].iter().map(|&(theme, weight)| weights[theme] * weight).sum(), j)
            })
            .collect();
        for &(theme, _) in &links[i] {
            weights[theme] = 0;
        }
        if scored.len() > MAX_RELATED {
            let (_, &mut (bar, _), _) = scored.select_nth_unstable_by(MAX_RELATED - 1, |a, b| b.0.cmp(&a.0));
            scored.retain(|&(score, _)| score >= bar);
        }
        scored
    }
}

/// Briefing `i`'s finalists ranked: best score first, ties by title, then slug; the first
/// `MAX_RELATED`, each with the themes the two share.
fn rank(briefings: &[Arc<Briefing>], links: &[Links], themes: &[Theme], i: usize, mut finalists: Vec<Scored>) -> Vec<Related> {
    let better = |a: &Scored, b: &Scored| {
        let (x, y) = (&briefings[a.1], &briefings[b.1]);
        b.0.cmp(&a.0).then_with(|| x.title.cmp(&y.title)).then_with(|| x.slug.cmp(&y.slug))
    };
    finalists.sort_unstable_by(better);
    finalists.truncate(MAX_RELATED);
    finalists.into_iter().map(|(score, j)| Related { briefing: j, score, shared: shared(&links[i], &links[j], themes) }).collect()
}

/// Each theme in both `a` and `b` (sorted by theme), with the product of its two weights, in
/// theme order: one walk through the two lists together.
fn both<'a>(a: &'a Links, b: &'a Links) -> impl Iterator<Item = (usize, u32)> + 'a {
    let (mut x, mut y) = (0, 0);
    std::iter::from_fn(move || {
        while x < a.len() && y < b.len() {
            match a[x].0.cmp(&b[y].0) {
                Ordering::Less => x += 1,
                Ordering::Greater => y += 1,
                Ordering::Equal => {
                    let found = (a[x].0, a[x].1 * b[y].1);
                    x += 1;
                    y += 1;
                    return Some(found);
                }
            }
        }
        None
    })
}

/// The themes in both `a` and `b`, strongest first, then by title.
fn shared(a: &Links, b: &Links, themes: &[Theme]) -> Vec<usize> {
    let mut shared: Vec<(usize, u32)> = both(a, b).collect();
    shared.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| by_title(&themes[x.0], &themes[y.0])));
    shared.into_iter().map(|(t, _)| t).collect()
}

fn by_title(a: &Theme, b: &Theme) -> Ordering {
    a.title.cmp(&b.title).then_with(|| a.slug.cmp(&b.slug))
}

/// For each theme, the other themes that occur with it in the most briefings (weighted as
/// above), at most `MAX_CO_OCCURRING`, leaving out those it already declares related.
pub fn co_occurring(themes: &[Theme], links: &[Links], declared: &[Vec<usize>]) -> Vec<Vec<CoOccurrence>> {
    // (score, briefings) for each ordered pair of themes that occur together.
    let mut pairs: FxHashMap<(usize, usize), (u32, usize)> = FxHashMap::default();
    for links in links {
        let strongest = strongest(links);
        for &(a, wa) in &strongest {
            for &(b, wb) in strongest.iter().filter(|&&(b, _)| b != a) {
                let entry = pairs.entry((a, b)).or_default();
                entry.0 += wa * wb;
                entry.1 += 1;
            }
        }
    }
    let mut per_theme: Vec<Vec<(u32, usize, usize)>> = vec![Vec::new(); themes.len()];
    for ((a, b), (score, count)) in pairs {
        if !declared[a].contains(&b) {
            per_theme[a].push((score, b, count));
        }
    }
    per_theme
        .into_iter()
        .map(|mut list| {
            list.sort_by(|x, y| y.0.cmp(&x.0).then_with(|| by_title(&themes[x.1], &themes[y.1])));
            list.truncate(MAX_CO_OCCURRING);
            list.into_iter().map(|(_, theme, briefings)| CoOccurrence { theme, briefings }).collect()
        })
        .collect()
}

/// The first `THEMES_PAIRED` of `links` by weight (then by theme).
fn strongest(links: &Links) -> Links {
    let mut strongest = links.clone();
    if strongest.len() > THEMES_PAIRED {
        // Stable: within a weight, theme order stays.
        strongest.sort_by_key(|&(_, weight)| std::cmp::Reverse(weight));
        strongest.truncate(THEMES_PAIRED);
    }
    strongest
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::fixtures::{briefing, theme};

    #[test]
    fn tags_count_more_than_mentions_and_ties_go_by_title() {
        let themes = vec![theme("x", "X", &[]), theme("y", "Y", &[]), theme("z", "Z", &[])];
        let names = ["a", "f", "c", "d", "b", "e"];
        let briefings: Vec<Arc<Briefing>> = names.iter().map(|n| briefing(n, &[], "", &[])).map(Arc::new).collect();
        let (t, m) = (TAG_WEIGHT, MENTION_WEIGHT);
        let links: Vec<Links> = vec![
            vec![(0, t), (1, t)], // a
            vec![(0, t), (1, t)], // f: as close to a as b is
            vec![(0, t), (1, m)], // c
            vec![(0, m), (1, m)], // d
            vec![(0, t), (1, t)], // b
            vec![(2, t)],         // e: nothing in common
        ];
        let related = super::briefings(&briefings, &links, &themes);
        let ranked: Vec<(&str, u32)> = related[0].iter().map(|r| (briefings[r.briefing].slug.as_str(), r.score)).collect();
        assert_eq!(ranked, [("b", 8), ("f", 8), ("c", 6), ("d", 4)]);
        let shared: Vec<&str> = related[2][0].shared.iter().map(|&t| themes[t].slug.as_str()).collect();
        assert_eq!(shared, ["x", "y"], "the tag-to-tag theme is named first");
        assert!(related[5].is_empty());
    }

    #[test]
    fn candidates_are_the_newest_of_each_theme() {
        let themes = vec![theme("x", "X", &[])];
        // In site order, newest first, all tagged x alike; the oldest wins every tie by title.
        let ranked = |n: usize| {
            let names: Vec<String> = (0..n).map(|k| if k == n - 1 { "a-oldest".to_string() } else { format!("b{k:03}") }).collect();
            let briefings: Vec<Arc<Briefing>> = names.iter().map(|name| briefing(name, &[], "", &[])).map(Arc::new).collect();
            let related = super::briefings(&briefings, &vec![vec![(0, TAG_WEIGHT)]; n], &themes);
            related[0].iter().map(|r| briefings[r.briefing].slug.clone()).collect::<Vec<_>>()
        };
        assert_eq!(ranked(10)[0], "a-oldest", "among the newest hundred, it is a candidate");
        assert_eq!(ranked(CANDIDATES_PER_THEME + 2), ["b001", "b002", "b003", "b004", "b005"], "past them, it is not");
    }

    /// The memo gives back the lists it kept only while their inputs are the same: a title
    /// that breaks a tie the other way, or a theme gained, is worked out again.
    #[test]
    fn kept_related_lists_follow_every_change_of_their_inputs() {
        let themes = vec![theme("x", "X", &[]), theme("y", "Y", &[])];
        let mut briefings: Vec<Arc<Briefing>> = ["a", "b", "c"].iter().map(|n| briefing(n, &[], "", &[])).map(Arc::new).collect();
        let mut links: Vec<Links> = vec![vec![(0, TAG_WEIGHT)]; 3];
        let mut memo = RelatedMemo::default();
        let first = |briefings: &[Arc<Briefing>], links: &[Links], memo: &mut RelatedMemo| {
            let kept = briefings_kept(briefings, links, &themes, Some(memo));
            assert_eq!(kept, super::briefings(briefings, links, &themes));
            briefings[kept[0][0].briefing].slug.clone()
        };
        assert_eq!(first(&briefings, &links, &mut memo), "b", "a tie, by title");
        assert_eq!(first(&briefings, &links, &mut memo), "b", "the same, from the memo");
        Arc::make_mut(&mut briefings[1]).title = "z".to_string();
        assert_eq!(first(&briefings, &links, &mut memo), "c", "b's new title loses the tie");
        links[1].push((1, TAG_WEIGHT));
        links[0].push((1, MENTION_WEIGHT));
        assert_eq!(first(&briefings, &links, &mut memo), "b", "b now shares two themes with a");
    }

    /// Past the fifth place, the memo keeps every candidate tied at the fifth score (or, for a
    /// tie too large to keep, finds them again): a title that wins the tie brings one of them in.
    #[test]
    fn a_title_change_ranks_the_kept_finalists_again() {
        for n in [9, KEPT_FINALISTS + 10] {
            let themes = vec![theme("x", "X", &[])];
            let mut briefings: Vec<Arc<Briefing>> = (0..n).map(|k| briefing(&format!("b{k}"), &[], "", &[])).map(Arc::new).collect();
            let links: Vec<Links> = vec![vec![(0, TAG_WEIGHT)]; n];
            let mut memo = RelatedMemo::default();
            let mut top = |briefings: &[Arc<Briefing>]| {
                let kept = briefings_kept(briefings, &links, &themes, Some(&mut memo));
                assert_eq!(kept, super::briefings(briefings, &links, &themes));
                kept[0].iter().map(|r| briefings[r.briefing].slug.clone()).collect::<Vec<_>>()
            };
            // Titles are the slugs in capitals: all tie, so the first five titles win.
            let mut first: Vec<String> = (1..n).map(|k| format!("b{k}")).collect();
            first.sort_by_key(|slug| slug.to_uppercase());
            first.truncate(MAX_RELATED);
            assert_eq!(top(&briefings), first);
            // "A" comes before them all.
            Arc::make_mut(&mut briefings[n - 1]).title = "A".to_string();
            assert_eq!(top(&briefings)[0], format!("b{}", n - 1), "{n} briefings");
            let kept = memo.finalists.as_ref().map(|(_, f)| f[0].is_some());
            assert_eq!(kept, Some(n <= KEPT_FINALISTS), "{n} briefings");
        }
    }

    /// The memo keeps a briefing's finalists without the room its other candidates took: at
    /// 10,000 briefings that room was a hundred megabytes of a watch session.
    #[test]
    fn kept_finalists_hold_no_room_for_the_other_candidates() {
        let themes = vec![theme("x", "X", &[]), theme("y", "Y", &[])];
        let briefings: Vec<Arc<Briefing>> = (0..40).map(|k| briefing(&format!("b{k:02}"), &[], "", &[])).map(Arc::new).collect();
        // b00 to b05 share both themes; the rest only x.
        let links: Vec<Links> = (0..40).map(|k| if k < 6 { vec![(0, TAG_WEIGHT), (1, TAG_WEIGHT)] } else { vec![(0, TAG_WEIGHT)] }).collect();
        let mut memo = RelatedMemo::default();
        briefings_kept(&briefings, &links, &themes, Some(&mut memo));
        let kept = memo.finalists.as_ref().and_then(|(_, f)| f[0].as_ref()).expect("b00's finalists kept");
        assert_eq!(kept.len(), MAX_RELATED, "b01 to b05, ahead of the 34 others");
        assert!(kept.capacity() < 39, "room for {} kept", kept.capacity());
    }

    #[test]
    fn co_occurring_themes_leave_out_declared_ones() {
        let themes = vec![theme("x", "X", &[]), theme("y", "Y", &[]), theme("z", "Z", &[])];
        let links: Vec<Links> = vec![vec![(0, 2), (1, 2), (2, 1)], vec![(0, 2), (2, 2)], vec![(0, 1), (1, 2)]];
        let co = co_occurring(&themes, &links, &[vec![], vec![], vec![0]]);
        let x: Vec<(usize, usize)> = co[0].iter().map(|c| (c.theme, c.briefings)).collect();
        assert_eq!(x, [(1, 2), (2, 2)], "y scores 4 + 2, z 2 + 4: a tie broken by title");
        assert_eq!(co[2].iter().map(|c| c.theme).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn only_a_briefings_strongest_themes_are_paired() {
        // Mentions first in theme order, then five tags: the tags are kept.
        let links: Links = (0..THEMES_PAIRED + 5).map(|t| (t, if t >= THEMES_PAIRED { TAG_WEIGHT } else { MENTION_WEIGHT })).collect();
        let kept = strongest(&links);
        assert_eq!(kept.len(), THEMES_PAIRED);
        assert!(kept[..5].iter().all(|&(_, w)| w == TAG_WEIGHT) && kept[5] == (0, MENTION_WEIGHT), "{:?}", &kept[..6]);
    }
}
