//! The vocabulary of the search index: every word of the site, grouped into families of words
//! that a search for any one of them should find.
//!
//! Words are grouped by their Porter2 stem (Snowball's English stemmer, from `rust-stemmers`),
//! so "neglected" finds "neglect". The stemmer leaves some words that belong together with
//! different stems ("curious" → curious, "curiosity" → curios; "child" and "children"), so
//! stems are joined too when they differ only after a long common beginning (see
//! [`related`]). The browser looks the words of a query up in the families: it needs no
//! stemmer of its own, and cannot disagree with this one.

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

/// Two stems are joined when they share at least this many first letters...
const STEM_PREFIX: usize = 5;

/// The site's words in families, numbered in the order of their first words.
#[derive(Debug)]
pub struct Vocabulary<'a> {
    /// Each family's words, sorted.
    pub families: Vec<Vec<&'a str>>,
    /// Each family's stems, sorted: a query word that the site does not have ("neglected")
    /// is matched to a family when it begins with one of them.
    pub stems: Vec<Vec<String>>,
    /// The family of each word.
    family_of: FxHashMap<&'a str, u32>,
}

impl<'a> Vocabulary<'a> {
    /// The vocabulary of `words` (any order, repeats allowed).
    pub fn new(mut words: Vec<&'a str>) -> Vocabulary<'a> {
        words.sort_unstable();
        words.dedup();
        let stemmer = Stemmer::create(Algorithm::English);
        let stems: Vec<String> = words.iter().map(|w| stemmer.stem(w).into_owned()).collect();
        let family_of_stem = stem_families(&stems);
        let family_of_stem: FxHashMap<String, usize> = family_of_stem.into_iter().map(|(s, f)| (s.to_string(), f)).collect();
        // Families numbered as their first words come in sorted order, so the index is the
        // same for the same site.
        let mut number: FxHashMap<usize, u32> = FxHashMap::default();
        let mut families: Vec<Vec<&str>> = Vec::new();
        let mut family_stems: Vec<Vec<String>> = Vec::new();
        let mut family_of = FxHashMap::default();
        for (word, stem) in words.iter().zip(stems) {
            let root = family_of_stem[stem.as_str()];
            let n = *number.entry(root).or_insert_with(|| {
                families.push(Vec::new());
                family_stems.push(Vec::new());
                (families.len() - 1) as u32
            });
            families[n as usize].push(*word);
            family_of.insert(*word, n);
            let stems = &mut family_stems[n as usize];
            if let Err(at) = stems.binary_search(&stem) {
                stems.insert(at, stem);
            }
        }
        Vocabulary { families, stems: family_stems, family_of }
    }

    /// The family of `word`, when the site has it.
    pub fn family(&self, word: &str) -> Option<u32> {
        self.family_of.get(word).copied()
    }

    /// The families of the words of `words` (space-separated), sorted, each once.
    pub fn families_of(&self, words: &str) -> Vec<u32> {
        let mut out: Vec<u32> = words.split(' ').filter_map(|w| self.family(w)).collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Whether two stems belong to one family: they share at least `STEM_PREFIX` first letters,
/// and all but at most the last letter of the shorter one ("curios" and "curious", "child" and
/// "children", "practic" and "practition"). A shorter shared beginning joins too much
/// ("contact" and "context").
pub fn related(a: &str, b: &str) -> bool {
    let shared = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    shared >= STEM_PREFIX && shared + 1 >= shorter
}

/// For each distinct stem, a representative of its family (an index into the sorted distinct
/// stems). Related stems share their first `STEM_PREFIX` letters, so they sit together in
/// sorted order: each run with the same first letters is compared pair by pair, and related
/// pairs joined (union-find).
fn stem_families(stems: &[String]) -> FxHashMap<&str, usize> {
    let mut distinct: Vec<&str> = stems.iter().map(String::as_str).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let mut parent: Vec<usize> = (0..distinct.len()).collect();
    let head = |s: &str| s.char_indices().nth(STEM_PREFIX).map_or(s.len(), |(i, _)| i);
    let mut start = 0;
    while start < distinct.len() {
        let first = &distinct[start][..head(distinct[start])];
        if first.chars().count() < STEM_PREFIX {
            start += 1;
            continue;
        }
        let end = start + distinct[start..].iter().take_while(|s| s.starts_with(first)).count();
        for i in start..end {
            for j in i + 1..end {
                if related(distinct[i], distinct[j]) {
                    let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                    parent[ri.max(rj)] = ri.min(rj);
                }
            }
        }
        start = end;
    }
    (0..distinct.len()).map(|i| (distinct[i], root(&mut parent, i))).collect()
}

/// The representative of `i`'s set, halving the path on the way.
fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

#[cfg(test)]
mod tests {
    use super::{related, Vocabulary};

    fn family_words<'a>(v: &Vocabulary<'a>, word: &str) -> Vec<&'a str> {
        v.families[v.family(word).expect("the word is in the vocabulary") as usize].clone()
    }

    /// Inflections share a stem: a search for one finds the others.
    #[test]
    fn inflections_are_one_family() {
        let v = Vocabulary::new(vec!["neglected", "neglect", "neglecting", "neglects", "supervision", "supervisions", "visit"]);
        assert_eq!(family_words(&v, "neglect"), ["neglect", "neglected", "neglecting", "neglects"]);
        assert_eq!(family_words(&v, "supervisions"), ["supervision", "supervisions"]);
        assert_eq!(family_words(&v, "visit"), ["visit"]);
        assert_eq!(v.families.len(), 3);
    }

    /// Porter2 stems "curious" and "curiosity" differently (curious, curios): the long shared
    /// beginning joins them, so "curious" finds what "curiosity" finds.
    #[test]
    fn curious_finds_curiosity() {
        let v = Vocabulary::new(vec!["curiosity", "curious", "curiously", "child", "children", "contact", "context"]);
        assert_eq!(v.family("curious"), v.family("curiosity"));
        assert_eq!(v.family("curiously"), v.family("curiosity"));
        assert_eq!(v.stems[v.family("curious").unwrap() as usize], ["curios", "curious"]);
        assert_eq!(v.family("child"), v.family("children"));
        assert_ne!(v.family("contact"), v.family("context"));
    }

    /// The rule for joining stems, on its own.
    #[test]
    fn stems_are_related_by_a_long_shared_beginning() {
        assert!(related("curios", "curious"));
        assert!(related("child", "children"));
        assert!(!related("care", "carer"), "too short to tell");
        assert!(!related("contact", "context"));
        assert!(!related("assess", "assist"));
    }

    /// Families are numbered in the order of their first words; `families_of` gives each once.
    #[test]
    fn families_are_numbered_in_word_order() {
        let v = Vocabulary::new(vec!["zebra", "apple", "neglect", "apples"]);
        assert_eq!(v.families, vec![vec!["apple", "apples"], vec!["neglect"], vec!["zebra"]]);
        assert_eq!(v.families_of("zebra apples apple unknown"), vec![0, 2]);
    }
}
