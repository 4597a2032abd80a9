//! The architecture holds: each of src/'s top-level modules imports only the modules below it,
//! in the order ARCHITECTURE.md gives; no files import each other in a cycle of more than
//! three; and no source file is over 600 lines. Imports are read from the source text: every
//! `crate::a::b` and `super::a` path, with `{...}` groups expanded, resolved to the file of the
//! module it names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::repo_root;

/// src/'s top-level modules, lowest first: each may use only those before it (and itself).
const LAYERS: &[&str] = &["core", "config", "model", "load", "parse", "site", "render", "handout", "import", "write", "pipeline", "fuzzing", "app"];

/// The longest a source file may be.
const MAX_LINES: usize = 600;

/// A source file's module path (`["site", "print", "plan"]`) and its text.
fn sources() -> Vec<(Vec<String>, String)> {
    let src = repo_root().join("src");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        out.push((module_path(path.strip_prefix(&src).unwrap()), std::fs::read_to_string(path).unwrap()));
    }
    out
}

/// `site/print/mod.rs` is `site::print`; `site/print/plan.rs` is `site::print::plan`; the
/// crate roots (`lib.rs`, `main.rs`) are the empty path.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let file = parts.pop().unwrap();
    match file.as_str() {
        "mod.rs" | "lib.rs" | "main.rs" => {}
        other => parts.push(other.trim_end_matches(".rs").to_string()),
    }
    parts
}

/// The module paths `text` (the file of module `me`) refers to, as written, up to its unit
/// tests (a `#[cfg(test)]` module, last in the file, whose `super` is the file itself).
fn references(me: &[String], text: &str) -> Vec<Vec<String>> {
    let text = text.split("#[cfg(test)]").next().unwrap_or(text);
    // Comments name modules without using them.
    let text: String = text.lines().map(|line| line.split("//").next().unwrap_or(line)).collect::<Vec<_>>().join("\n");
    let text = text.as_str();
    let mut out = Vec::new();
    for (i, _) in text.match_indices("crate::").chain(text.match_indices("super::")) {
        let before = text[..i].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let mut base: Option<Vec<String>> = None;
        let mut rest = &text[i..];
        loop {
            if let Some(r) = rest.strip_prefix("crate::") {
                base = Some(Vec::new());
                rest = r;
            } else if let Some(r) = rest.strip_prefix("super::") {
                base = Some(parent(base.as_deref().unwrap_or(me)));
                rest = r;
            } else {
                break;
            }
        }
        let base = base.unwrap_or_default();
        expand(&base, rest, &mut out);
    }
    out
}

/// `me`'s parent module.
fn parent(me: &[String]) -> Vec<String> {
    me[..me.len().saturating_sub(1)].to_vec()
}

/// The paths of `rest` (what follows `crate::` or `super::`) under `base`, with `{a, b::c}`
/// groups expanded, nested or not.
fn expand(base: &[String], rest: &str, out: &mut Vec<Vec<String>>) {
    let mut path = base.to_vec();
    let mut rest = rest.trim_start();
    loop {
        if let Some(group) = rest.strip_prefix('{') {
            for part in split_group(group) {
                expand(&path, part, out);
            }
            return;
        }
        let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        path.push(rest[..end].to_string());
        match rest[end..].strip_prefix("::") {
            Some(r) => rest = r,
            None => break,
        }
    }
    out.push(path);
}

/// The comma-separated parts of a `{...}` group (`group` starts after its `{`), up to its
/// closing brace.
fn split_group(group: &str) -> Vec<&str> {
    let (mut depth, mut start, mut parts) = (0, 0, Vec::new());
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                parts.push(&group[start..i]);
                return parts;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&group[start..]);
    parts
}

/// The file (its module path) that `path` lives in: the longest prefix that is a file.
fn file_of<'a>(path: &[String], files: &'a BTreeSet<Vec<String>>) -> Option<&'a Vec<String>> {
    (1..=path.len()).rev().find_map(|n| files.get(&path[..n].to_vec()))
}

#[test]
fn each_top_level_module_uses_only_those_below_it() {
    let sources = sources();
    let files: BTreeSet<Vec<String>> = sources.iter().map(|(m, _)| m.clone()).collect();
    let mut wrong = Vec::new();
    for (me, text) in &sources {
        let Some(top) = me.first() else { continue };
        let mine = LAYERS.iter().position(|l| l == top).unwrap_or_else(|| panic!("src/{top} is not in LAYERS: add it, and to ARCHITECTURE.md"));
        for reference in references(me, text) {
            let Some(file) = file_of(&reference, &files) else { continue };
            let Some(used) = file.first() else { continue };
            let theirs = LAYERS.iter().position(|l| l == used).unwrap();
            if theirs > mine {
                wrong.push(format!("{} uses {}", me.join("::"), reference.join("::")));
            }
        }
    }
    wrong.dedup();
    assert!(wrong.is_empty(), "imports that point up the layers:\n{}", wrong.join("\n"));
}

#[test]
fn no_files_import_each_other_in_a_cycle_of_more_than_three() {
    let sources = sources();
    let files: BTreeSet<Vec<String>> = sources.iter().map(|(m, _)| m.clone()).collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (me, text) in &sources {
        let used = references(me, text).iter().filter_map(|r| file_of(r, &files)).filter(|f| *f != me).cloned().collect();
        edges.insert(me.clone(), used);
    }
    let too_big: Vec<String> = strongly_connected(&edges)
        .into_iter()
        .filter(|c| c.len() > 3)
        .map(|c| c.iter().map(|m| m.join("::")).collect::<Vec<_>>().join(" <-> "))
        .collect();
    assert!(too_big.is_empty(), "files that import each other in a cycle:\n{}", too_big.join("\n"));
}

/// The strongly connected components of a graph (Tarjan's algorithm, recursively: the graph
/// is a crate's files).
fn strongly_connected(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    struct State<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, (usize, usize)>,
        stack: Vec<&'a Vec<String>>,
        on_stack: BTreeSet<&'a Vec<String>>,
        out: Vec<Vec<Vec<String>>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Vec<String>) {
        let n = s.index.len();
        s.index.insert(v, (n, n));
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.edges.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.index[w].1.min(s.index[v].1);
                s.index.get_mut(v).unwrap().1 = low;
            } else if s.on_stack.contains(w) {
                let low = s.index[w].0.min(s.index[v].1);
                s.index.get_mut(v).unwrap().1 = low;
            }
        }
        if s.index[v].0 == s.index[v].1 {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.clone());
                if w == v {
                    break;
                }
            }
            s.out.push(component);
        }
    }
    let mut s = State { edges, index: BTreeMap::new(), stack: Vec::new(), on_stack: BTreeSet::new(), out: Vec::new() };
    for v in edges.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let m = |s: &str| vec![s.to_string()];
    let edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = [
        (m("a"), [m("b")].into()),
        (m("b"), [m("c")].into()),
        (m("c"), [m("d")].into()),
        (m("d"), [m("a")].into()),
        (m("e"), [m("a")].into()),
    ]
    .into();
    let sizes: Vec<usize> = strongly_connected(&edges).iter().map(Vec::len).collect();
    assert!(sizes.contains(&4) && sizes.contains(&1), "{sizes:?}");
    let refs = references(&["site".into(), "xref".into()], "use super::{mentions::{self, Found}, related};\nuse crate::core::hash;");
    assert!(refs.contains(&vec!["site".into(), "mentions".into(), "self".into()]), "{refs:?}");
    assert!(refs.contains(&vec!["core".into(), "hash".into()]), "{refs:?}");
}

#[test]
fn no_source_file_is_over_six_hundred_lines() {
    let root = repo_root();
    let mut long = Vec::new();
    for dir in ["src", "tests", "fuzz/fuzz_targets", "bench"] {
        for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().filter_entry(|e| e.file_name() != "node_modules") {
            let entry = entry.unwrap();
            let is_code = entry.path().extension().is_some_and(|e| ["rs", "py", "sh", "cjs", "js", "typ"].iter().any(|x| e == *x));
            if !is_code {
                continue;
            }
            let lines = std::fs::read_to_string(entry.path()).map(|t| t.lines().count()).unwrap_or(0);
            if lines > MAX_LINES {
                long.push(format!("{} has {lines} lines", entry.path().strip_prefix(&root).unwrap().display()));
            }
        }
    }
    assert!(long.is_empty(), "files over {MAX_LINES} lines:\n{}", long.join("\n"));
}

#[test]
fn architecture_md_lists_the_layers_in_order() {
    let map = std::fs::read_to_string(repo_root().join("ARCHITECTURE.md")).unwrap();
    let mut at = 0;
    for layer in LAYERS {
        let found = map[at..].find(&format!("src/{layer}")).unwrap_or_else(|| panic!("ARCHITECTURE.md does not name src/{layer} after the layers before it"));
        at += found;
    }
}
