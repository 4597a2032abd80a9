//! The sheet skips measuring the next larger size when `least` (handout.typ) shows that the
//! pieces cannot fit at it: each piece's height scaled by the ratio of the sizes, less the
//! growth of its `fixed` insets. That holds only while everything else in a piece is sized in
//! em and lines only wrap more at a larger size. Here every fixture's pieces (a 7-minute
//! briefing's boxes, each format's whole text and key points) are measured at every size a
//! sheet may use, and the bound is checked against what each larger size measured, piece by
//! piece, and for the columns: where their least height overflows the room, the larger size
//! must not fit. An inset changed to millimetres without its `fixed` fails this. A trial
//! that stops as soon as those bounds overflow (`trial-or-stop`) must decide as the whole
//! trial does.

use super::script::run_script;
use crate::handout::payload::Builder;
use crate::handout::testing::{fixture, generated, FIXTURES};
use crate::handout::world::default_fonts;
use crate::handout::Assets;

/// For each sheet and set of pieces, every pair of sizes: each piece's bound and its height
/// at the larger size, then the columns' bound and the room when the larger size fits.
const SCRIPT: &str = r#"
#import "/common.typ": styles
#import "/handout.typ": least, least-heights, trial, trial-or-stop, whole-pieces, key-items, wrap-sections
#import "/probe/pieces.typ" as probe
#let data = json("/data.json")
#show: styles.with(data.font)
#context for d in data.sheets.map(wrap-sections) {
  let cw = (data.page.width * 1mm - 4.5mm) / 2
  let room = data.page.height * 1mm - 60mm
  let ctx = (images: d.images, image-height: room * 0.3, measuring: true)
  let sets = (d.sections.enumerate().map(((i, sec)) => whole-pieces(i, sec, ctx)).flatten(),)
  if d.format == "seven-minute" {
    sets.push(d.sections.enumerate().map(((i, sec)) => probe.box-pieces(i, sec, ctx)).flatten())
  }
  sets.push(key-items(d, ctx).map(((i, ps)) => ps).flatten())
  for pieces in sets {
    let trials = data.sizes.map(s => trial(pieces, s * 1pt, cw, room))
    for t in trials {
      let early = trial-or-stop(pieces, t.size, cw, room)
      [#metadata(("stop", early.ok, t.ok, early.at("stopped", default: false))) <least>]
    }
    for (a, small) in trials.enumerate() {
      for big in trials.slice(0, a) {
        let lows = least-heights(pieces, small, big.size)
        let early = trial-or-stop(pieces, big.size, cw, room, lows: lows)
        [#metadata(("stop", early.ok, big.ok, early.at("stopped", default: false))) <least>]
        for (n, bound) in lows.enumerate() {
          [#metadata(("piece", bound / 1pt, big.hs.at(n) / 1pt, false)) <least>]
        }
        [#metadata(("columns", least(pieces, small, big.size, room) / 1pt, room / 1pt, big.ok)) <least>]
      }
    }
  }
}
"#;

#[test]
fn no_piece_measures_less_at_a_larger_size_than_its_least_height() {
    let assets = Assets::default();
    let mut builder = Builder::new(&assets);
    // The fixtures but the two long ones (whose pieces are of the same kinds, and slow to
    // measure thirteen times in an unoptimised build), and generated prose.
    let mut handouts: Vec<_> = FIXTURES.iter().map(|(name, _)| fixture(name)).collect();
    handouts.push(generated("generated-practitioner", "practitioner", 5, 120));
    let sheets = handouts.iter().map(|h| builder.handout(h, None)).collect();
    let mut payload = builder.payload("least", "tests", "en-GB", None, sheets);
    payload.font = default_fonts().family.clone();
    let data = serde_json::to_vec(&payload).expect("the payload as JSON");
    let checks: Vec<serde_json::Value> = run_script("/least-test.typ", SCRIPT, data, "least");
    let (stops, checks): (Vec<_>, Vec<_>) = checks.into_iter().partition(|c| c[0] == "stop");
    let checks: Vec<(String, f64, f64, bool)> = checks.into_iter().map(|c| serde_json::from_value(c).expect("a check")).collect();
    let (pieces, columns): (Vec<_>, Vec<_>) = checks.iter().partition(|(kind, ..)| kind == "piece");
    assert!(columns.len() >= 78 * 9 && pieces.len() > 10_000, "every set of pieces at every pair of sizes");
    // The same arithmetic on both sides, so only rounding separates a bound met exactly.
    let broken: Vec<_> = pieces.iter().filter(|(_, bound, height, _)| *bound > height + 1e-6).take(5).collect();
    assert!(broken.is_empty(), "least height above the height measured at the larger size: {broken:?}");
    // Where the columns' least height overflows the room, the larger size must not fit.
    let broken: Vec<_> = columns.iter().filter(|(_, least, room, fits)| least > room && *fits).take(5).collect();
    assert!(broken.is_empty(), "least height of the columns over the room, yet the larger size fits: {broken:?}");
    // The checks bite: many pieces take exactly their least height (no line wraps again),
    // and in many pairs of sizes the bound alone rules the larger size out.
    let tight = pieces.iter().filter(|(_, bound, height, _)| (height - bound).abs() < 1e-6).count();
    let ruled_out = columns.iter().filter(|(_, least, room, _)| least > room).count();
    assert!(tight > 1_000 && ruled_out > 40, "{tight} pieces at their least height, {ruled_out} sizes ruled out");
    // A trial that stops early (from no heights, or from the least heights a smaller size
    // gives) decides as the whole trial does, and does stop.
    let stops: Vec<(String, bool, bool, bool)> = stops.into_iter().map(|c| serde_json::from_value(c).expect("a stop")).collect();
    let wrong: Vec<_> = stops.iter().filter(|(_, early, whole, _)| early != whole).take(5).collect();
    assert!(wrong.is_empty(), "a trial that stops early decided otherwise than the whole trial: {wrong:?}");
    let stopped = stops.iter().filter(|(.., stopped)| *stopped).count();
    assert!(stops.len() > 800 && stopped > 50, "{stopped} of {} trials stopped early", stops.len());
}
