//! The split of a sheet's pieces into two columns (`best-split` in handout.typ) looks only
//! where the columns cross, found by bisection. Here it is compared, in Typst itself (so with
//! the same arithmetic), with the split found by trying every piece, as it was made before:
//! on columns of random heights, with pieces of no height (equal splits, where the earliest
//! must win), runs of pieces joined to the one before, and a room that the best split
//! between items fits or does not.

use super::script::run_script;

/// Each case split both ways; each answer recorded as metadata.
const SCRIPT: &str = r#"
#import "/handout.typ": best-split, gap-of
// The split as it was found before: every k tried in turn, a later one kept only when
// strictly better.
#let every-split(pieces, hs, s, room) = {
  let pre = (0pt,)
  let gap = (0pt,)
  for (i, p) in pieces.enumerate() {
    pre.push(pre.last() + hs.at(i))
    gap.push(gap.last() + gap-of(p, s))
  }
  let n = hs.len()
  let whole = if n == 0 { 0pt } else { pre.at(n) + gap.at(n) - gap.at(1) }
  let all = (k: n, left: whole, right: 0pt)
  let between = all
  for k in range(1, n) {
    let (l, r) = (pre.at(k) + gap.at(k) - gap.at(1), pre.at(n) - pre.at(k) + gap.at(n) - gap.at(k + 1))
    let m = calc.max(l, r)
    if m < calc.max(all.left, all.right) { all = (k: k, left: l, right: r) }
    if pieces.at(k).first and m < calc.max(between.left, between.right) { between = (k: k, left: l, right: r) }
  }
  if calc.max(between.left, between.right) <= room { between } else { all }
}
#for c in json("/data.json") {
  let pieces = c.pieces.map(((first, joined)) => (first: first, joined: joined))
  let hs = c.heights.map(h => h * 1pt)
  let (s, room) = (c.size * 1pt, c.room * 1pt)
  let (a, b) = (best-split(pieces, hs, s, room), every-split(pieces, hs, s, room))
  [#metadata((a.k, a.left / 1pt, a.right / 1pt, b.k, b.left / 1pt, b.right / 1pt)) <split>]
}
"#;

/// A small deterministic generator (a linear congruential one), so that a failure repeats.
struct Numbers(u64);

impl Numbers {
    /// A number in 0..n.
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Columns to split: every length up to 40 pieces, heights of 0 to 80 pt (a fifth of no
/// height, and some repeated), the first piece of each item marked, others joined or not,
/// and a room from a third of the total to more than all of it.
fn cases() -> serde_json::Value {
    let mut numbers = Numbers(17);
    let mut cases = Vec::new();
    for round in 0..6 {
        for n in 0..=40u64 {
            let heights: Vec<f64> = (0..n)
                .map(|_| match numbers.below(10) {
                    0 | 1 => 0.0,
                    2 => 12.5,
                    _ => numbers.below(8000) as f64 / 100.0,
                })
                .collect();
            let pieces: Vec<(bool, bool)> = (0..n).map(|i| (i == 0 || numbers.below(3) == 0, numbers.below(2) == 0)).collect();
            let total: f64 = heights.iter().sum::<f64>() + 7.0 * n as f64;
            let room = total * (0.3 + numbers.below(90) as f64 / 100.0);
            let size = [8.0, 9.5, 11.0][round % 3];
            cases.push(serde_json::json!({ "heights": heights, "pieces": pieces, "size": size, "room": room }));
        }
    }
    serde_json::Value::Array(cases)
}

#[test]
fn the_split_found_by_bisection_is_the_split_found_by_trying_every_piece() {
    let data = serde_json::to_vec(&cases()).expect("the cases as JSON");
    let answers: Vec<Vec<f64>> = run_script("/split-test.typ", SCRIPT, data, "split");
    assert_eq!(answers.len(), 6 * 41, "every case answered");
    for (i, answer) in answers.iter().enumerate() {
        assert_eq!(answer[..3], answer[3..], "case {i}: bisection (k, left, right) against every split");
    }
}
