//! QR codes for one-pagers, the same modules as `qrcode::QrCode::new` but faster.
//!
//! The qrcode crate tries all eight masks and scores each with penalty rules written for
//! clarity (a boxed closure per module in the finder rule): that was 80% of the time spent on
//! a QR code, and a QR code was a third of a whole build (bench/RESULTS.md). This module uses
//! the crate's own encoding, error correction, drawing and masking, and scores the masks
//! itself with the crate's exact rules over a flat array, so the chosen mask, and so the SVG,
//! are byte for byte what the crate makes (a test compares them).

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::types::{Color, EcLevel, Version};

/// The crate's order: on a tie the first mask wins, as with `Iterator::min_by_key`.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The modules of `data`'s QR code at error correction level M (as `QrCode::new`), row by
/// row, and the width. None when the data is too long for a QR code.
pub fn encode(data: &[u8]) -> Option<(Vec<Color>, usize)> {
    encode_with_mask(data).map(|(modules, width, _)| (modules, width))
}

/// `encode`, and the index in `MASKS` of the mask chosen.
fn encode_with_mask(data: &[u8]) -> Option<(Vec<Color>, usize, usize)> {
    let ec_level = EcLevel::M;
    let bits = qrcode::bits::encode_auto(data, ec_level).ok()?;
    let version = bits.version();
    let Version::Normal(_) = version else { return None };
    let (codewords, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec_level).ok()?;
    let mut canvas = Canvas::new(version, ec_level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&codewords, &ec);
    let width = version.width() as usize;
    MASKS
        .iter()
        .map(|&mask| {
            let mut masked = canvas.clone();
            masked.apply_mask(mask);
            masked.into_colors()
        })
        .enumerate()
        .min_by_key(|(_, modules)| penalty(&Grid { modules, width }))
        .map(|(mask, modules)| (modules, width, mask))
}

struct Grid<'a> {
    modules: &'a [Color],
    width: usize,
}

impl Grid<'_> {
    fn dark(&self, x: usize, y: usize) -> bool {
        self.modules[y * self.width + x] == Color::Dark
    }

    /// Line `i` as a row (`horizontal`) or a column.
    fn line(&self, i: usize, horizontal: bool) -> Vec<bool> {
        (0..self.width).map(|j| if horizontal { self.dark(j, i) } else { self.dark(i, j) }).collect()
    }
}

/// The crate's `compute_total_penalty_scores` for a normal (not micro) QR code, with its
/// u16 arithmetic.
fn penalty(grid: &Grid) -> u16 {
    let mut total: u16 = 0;
    for horizontal in [true, false] {
        let lines: Vec<Vec<bool>> = (0..grid.width).map(|i| grid.line(i, horizontal)).collect();
        total = total.wrapping_add(lines.iter().map(|l| runs_penalty(l)).fold(0, u16::wrapping_add));
        total = total.wrapping_add(lines.iter().map(|l| finder_penalty(l)).fold(0, u16::wrapping_add).wrapping_sub(360));
    }
    total.wrapping_add(blocks_penalty(grid)).wrapping_add(balance_penalty(grid))
}

/// Every run of five or more modules of one colour scores its length minus two.
fn runs_penalty(line: &[bool]) -> u16 {
    let mut score = 0u16;
    let mut run = 1usize;
    for j in 1..=line.len() {
        if j < line.len() && line[j] == line[j - 1] {
            run += 1;
        } else {
            if run >= 5 {
                score = score.wrapping_add(run as u16 - 2);
            }
            run = 1;
        }
    }
    score
}

/// Every `#.###.#` with no dark module in the four before it, or none in the four after it
/// (the edge counts as light), scores 40.
fn finder_penalty(line: &[bool]) -> u16 {
    const PATTERN: [bool; 7] = [true, false, true, true, true, false, true];
    let mut score = 0u16;
    for j in 0..line.len().saturating_sub(6) {
        if line[j..j + 7] != PATTERN {
            continue;
        }
        let dark_before = line[j.saturating_sub(4)..j].iter().any(|&d| d);
        let dark_after = line[(j + 7).min(line.len())..(j + 11).min(line.len())].iter().any(|&d| d);
        if !dark_before || !dark_after {
            score = score.wrapping_add(40);
        }
    }
    score
}

/// Every 2×2 block of one colour (overlapping) scores 3.
fn blocks_penalty(grid: &Grid) -> u16 {
    let w = grid.width;
    let mut score = 0u16;
    for y in 0..w - 1 {
        for x in 0..w - 1 {
            let c = grid.dark(x, y);
            if grid.dark(x + 1, y) == c && grid.dark(x, y + 1) == c && grid.dark(x + 1, y + 1) == c {
                score = score.wrapping_add(3);
            }
        }
    }
    score
}

/// How far the share of dark modules is from half, in half-percent steps.
fn balance_penalty(grid: &Grid) -> u16 {
    let dark = grid.modules.iter().filter(|&&c| c == Color::Dark).count();
    let ratio = dark * 200 / grid.modules.len();
    ratio.abs_diff(100) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same modules as the crate, for addresses of many lengths and so many versions
    /// and masks (seven of the eight win for some of these).
    #[test]
    fn same_modules_as_the_qrcode_crate() {
        let mut masks_won = std::collections::BTreeSet::new();
        for i in 0..300 {
            let address = format!("https://briefings.example/{}/briefings/{}-child-{i}/", "x".repeat(i % 90), i * 7919);
            let expected = qrcode::QrCode::new(address.as_bytes()).unwrap();
            let (modules, width, mask) = encode_with_mask(address.as_bytes()).unwrap();
            assert_eq!(width, expected.width(), "{address}");
            assert_eq!(modules, expected.to_colors(), "{address}");
            masks_won.insert(mask);
        }
        assert!(masks_won.len() >= 6, "the addresses should exercise most masks: {masks_won:?}");
    }
}
