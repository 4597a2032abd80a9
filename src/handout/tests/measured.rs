//! A sheet plans with one copy of its pieces and prints another (see pieces.typ), and the
//! measured copy may stand in for what prints with something of the same height that costs
//! less to lay out (a table: `table-height` in common.typ). The plan holds only if each
//! piece measures the same in both copies. Here every fixture's pieces, and tables of every
//! awkward shape, are measured in both copies at every size a sheet may use.

use super::script::run_script;
use crate::handout::payload::Builder;
use crate::handout::testing::{fixture, parse, FIXTURES};
use crate::handout::world::default_fonts;
use crate::handout::Assets;

/// Each sheet's pieces, whole and (7-minute) as boxes, measured in both copies.
const SCRIPT: &str = r#"
#import "/common.typ": styles, at-size
#import "/handout.typ": whole-pieces, wrap-sections, printed
#import "/probe/pieces.typ" as probe
#let data = json("/data.json")
#show: styles.with(data.font)
#context for (n, d) in data.sheets.map(wrap-sections).enumerate() {
  let cw = (data.page.width * 1mm - 4.5mm) / 2
  let ctx = (images: d.images, image-height: 60mm, measuring: true)
  let sets = (("whole", d.sections.enumerate().map(((i, sec)) => whole-pieces(i, sec, ctx)).flatten()),)
  if d.format == "seven-minute" {
    sets.push(("boxes", d.sections.enumerate().map(((i, sec)) => probe.box-pieces(i, sec, ctx)).flatten()))
  }
  for (mode, pieces) in sets {
    let shown = printed((mode: mode, pieces: pieces), d.sections, (..ctx, measuring: false))
    for s in data.sizes {
      for (p, q) in pieces.zip(shown) {
        let (a, b) = (measure(at-size(s * 1pt, p.body), width: cw), measure(at-size(s * 1pt, q.body), width: cw))
        [#metadata((n, mode, s, a.height / 1pt, b.height / 1pt)) <measured>]
      }
    }
  }
}
"#;

/// Tables as sources write them: wrapping cells, rows shorter and longer than the header,
/// empty cells, a header alone, one column, code, a word too long for its column, and tables
/// too wide for the column at the larger sizes and at every size.
const TABLES: &str = "title: Tables of every shape\nformat: practitioner\n---\n\
## Who does what\n\
| Who | What they do | When |\n|---|---|---|\n\
| The school's safeguarding lead | Calls the family the same day and **writes down** what was said | Within a day |\n\
| Health visitor | Visits | |\n\
| Police | | Straight away, and again after a week if nothing has changed at home |\n\n\
## Ragged rows\n\
| One | Two |\n|---|---|\n| a | b | c is past the header |\n| only one |\n\n\
## One column and a header alone\n\
| A single column whose header wraps onto a second line at the larger sizes |\n|---|\n| Its one cell |\n\n\
| Header | without rows |\n|---|---|\n\n\
## Code and long words\n\
| Setting | Value |\n|---|---|\n| `review_due_days = 365` | Supercalifragilisticexpialidociousness-without-a-break |\n\n\
## Too wide at some sizes, and at all\n\
| Responsibilities | Accountability | Documentation |\n|---|---|---|\n| Safeguarding | Commissioners | Chronologies |\n\n\
| A | B | C | D | E | F | G | H | I | J | K | L | M | N | O | P | Q | R | S | T |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n\
| one | two | three | four | five | six | seven | eight | nine | ten | eleven | twelve | thirteen | fourteen | fifteen | sixteen | seventeen | eighteen | nineteen | twenty |\n";

#[test]
fn every_piece_measures_what_it_prints() {
    let assets = Assets::default();
    let mut builder = Builder::new(&assets);
    // The fixtures but the two long ones (of the same kinds of blocks, and slow to measure
    // in an unoptimised build), and the tables.
    let mut handouts: Vec<_> = FIXTURES.iter().map(|(name, _)| fixture(name)).collect();
    handouts.push(parse("tables", TABLES));
    let sheets = handouts.iter().map(|h| builder.handout(h, None)).collect();
    let mut payload = builder.payload("measured", "tests", "en-GB", None, sheets);
    payload.font = default_fonts().family.clone();
    let data = serde_json::to_vec(&payload).expect("the payload as JSON");
    let rows: Vec<(usize, String, f64, f64, f64)> = run_script("/measured-test.typ", SCRIPT, data, "measured");
    let sheets: std::collections::BTreeSet<_> = rows.iter().map(|(sheet, ..)| sheet).collect();
    assert_eq!(sheets.len(), handouts.len(), "every sheet measured: {sheets:?}");
    assert!(rows.iter().any(|(_, mode, ..)| mode == "boxes"), "7-minute boxes measured too");
    let differ: Vec<_> = rows.iter().filter(|(.., measured, shown)| (measured - shown).abs() > 1e-6).take(5).collect();
    assert!(differ.is_empty(), "pieces whose measured copy differs from what prints (sheet, mode, size, measured, printed): {differ:?}");
}
