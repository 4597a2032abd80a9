//! QR codes for handouts: the same modules as `qrcode::QrCode::new` but faster, drawn as an
//! SVG of one path.
//!
//! The qrcode crate tries all eight masks and scores each with penalty rules written for
//! clarity (a boxed closure per module in the finder rule): that was 80% of the time spent on
//! a QR code, and a QR code was a third of a whole build (bench/RESULTS.md). This module uses
//! the crate's own encoding, error correction, drawing and masking, and scores the masks
//! itself with the crate's exact rules over bit sets, so the chosen mask, and so the modules,
//! are what the crate makes (a test compares them).

use std::ops::{BitAnd, BitOr, Not, Shl, Shr};

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

/// `encode`, and the index in `MASKS` of the mask chosen (None when the crate chose it).
fn encode_with_mask(data: &[u8]) -> Option<(Vec<Color>, usize, Option<usize>)> {
    let ec_level = EcLevel::M;
    let bits = qrcode::bits::encode_auto(data, ec_level).ok()?;
    let version = bits.version();
    let Version::Normal(_) = version else { return None };
    let width = version.width() as usize;
    if width > MAX_WIDTH {
        let code = qrcode::QrCode::with_error_correction_level(data, ec_level).ok()?;
        return Some((code.to_colors(), width, None));
    }
    let (codewords, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec_level).ok()?;
    let mut canvas = Canvas::new(version, ec_level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&codewords, &ec);
    MASKS
        .iter()
        .map(|&mask| {
            let mut masked = canvas.clone();
            masked.apply_mask(mask);
            masked.into_colors()
        })
        .enumerate()
        .min_by_key(|(_, modules)| penalty(modules, width))
        .map(|(mask, modules)| (modules, width, Some(mask)))
}

/// An SVG of `modules` with one unit a module and no quiet zone, `attributes` (ending in a
/// space) first in the `svg` tag: a white square and one black path with a rectangle for each
/// run of dark modules in a row. The crate's renderer draws a square a module; a run a
/// rectangle is half the path for Typst to parse and the PDF to carry (the parse was 2% of a
/// handout's instructions), and prints the same.
pub fn svg(modules: &[Color], width: usize, attributes: &str) -> String {
    let mut svg = format!(
        concat!(
            r#"<svg {a}xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}" height="{w}""#,
            r#" viewBox="0 0 {w} {w}" shape-rendering="crispEdges">"#,
            r##"<rect x="0" y="0" width="{w}" height="{w}" fill="#fff"/><path fill="#000" d=""##,
        ),
        a = attributes,
        w = width
    );
    svg.reserve(modules.len() * 6);
    let mut digits = String::new();
    for (y, row) in modules.chunks_exact(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] != Color::Dark {
                x += 1;
                continue;
            }
            let run = row[x..].iter().take_while(|&&c| c == Color::Dark).count();
            // "M{x} {y}h{run}v1H{x}V{y}": along the run, down a module, back and up.
            digits.clear();
            push_number(&mut digits, x);
            svg.push('M');
            svg.push_str(&digits);
            svg.push(' ');
            push_number(&mut svg, y);
            svg.push('h');
            push_number(&mut svg, run);
            svg.push_str("v1H");
            svg.push_str(&digits);
            svg.push('V');
            push_number(&mut svg, y);
            x += run;
        }
    }
    svg.push_str(r#""/></svg>"#);
    svg
}

/// `n` in decimal, without going through `fmt`.
fn push_number(out: &mut String, n: usize) {
    if n >= 10 {
        push_number(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// The widest code scored here: a row fits in a `u128` (version 27, about 1,000 bytes of
/// address). Wider codes, which no real address needs, are left to the crate.
const MAX_WIDTH: usize = 128;

/// The crate's `compute_total_penalty_scores` for a normal (not micro) QR code, with its
/// u16 arithmetic (which wraps, so the parts can be added in any order).
///
/// Each row and each column is a bit set (bit `x` is module `x`, set when dark), and every
/// rule is worked out for a whole line at once with shifts and masks. The modules of a QR
/// code are close to random, so a loop that branched on each one mispredicted half the time:
/// scoring the eight masks was 8% of a whole build. Lines are `u64`s when they fit (codes up
/// to version 11, which holds any usual address), as `u128` arithmetic takes twice the work.
fn penalty(modules: &[Color], width: usize) -> u16 {
    match width <= 64 {
        true => penalty_of::<u64>(modules, width),
        false => penalty_of::<u128>(modules, width),
    }
}

/// A line of modules as a bit set.
trait Line:
    Copy + Default + From<bool> + Shl<u32, Output = Self> + Shr<u32, Output = Self> + BitAnd<Output = Self> + BitOr<Output = Self> + Not<Output = Self>
{
    const BITS: u32;
    fn ones(self) -> u32;
}

impl Line for u64 {
    const BITS: u32 = u64::BITS;
    fn ones(self) -> u32 {
        self.count_ones()
    }
}

impl Line for u128 {
    const BITS: u32 = u128::BITS;
    fn ones(self) -> u32 {
        self.count_ones()
    }
}

fn penalty_of<L: Line>(modules: &[Color], width: usize) -> u16 {
    let none = L::default();
    let full = if width as u32 == L::BITS { !none } else { !(!none << width as u32) };
    let mut rows = vec![none; width];
    let mut columns = vec![none; width];
    // From the last module back to the first, so that each bit goes in with a shift by one
    // (a shift by a variable amount costs more, and this runs for every module).
    for (row, line) in rows.iter_mut().zip(modules.chunks_exact(width)).rev() {
        for (column, &colour) in columns.iter_mut().zip(line).rev() {
            let dark = L::from(colour == Color::Dark);
            *row = *row << 1 | dark;
            *column = *column << 1 | dark;
        }
    }
    let mut total: u32 = 0;
    for lines in [&rows, &columns] {
        for &dark in lines {
            total += runs_penalty(dark, !dark & full) + finder_penalty(dark, !dark & full);
        }
        total = total.wrapping_sub(360);
    }
    let blocks: u32 = rows.windows(2).map(|pair| blocks_penalty(pair[0], pair[1], full)).sum();
    let count: u32 = rows.iter().map(|r| r.ones()).sum();
    total = total.wrapping_add(blocks).wrapping_add(balance_penalty(count as usize, width * width));
    total as u16
}

/// Every run of five or more modules of one colour scores its length minus two: one for each
/// five in a row that it holds (length minus four), and two for the five that starts it.
/// `dark` and `light` are one line's modules of each colour (clear beyond its end).
fn runs_penalty<L: Line>(dark: L, light: L) -> u32 {
    [dark, light]
        .into_iter()
        .map(|c| {
            let fives = c & c >> 1 & c >> 2 & c >> 3 & c >> 4;
            // A run starts where the module before it is of the other colour, or at the edge.
            let starts = fives & !(c << 1);
            fives.ones() + 2 * starts.ones()
        })
        .sum()
}

/// Every `#.###.#` with no dark module in the four before it, or none in the four after it
/// (the edge counts as light), scores 40.
fn finder_penalty<L: Line>(dark: L, light: L) -> u32 {
    let (d, l) = (dark, light);
    let pattern = d & l >> 1 & d >> 2 & d >> 3 & d >> 4 & l >> 5 & d >> 6;
    let dark_before = d << 1 | d << 2 | d << 3 | d << 4;
    let dark_after = d >> 7 | d >> 8 | d >> 9 | d >> 10;
    40 * (pattern & !(dark_before & dark_after)).ones()
}

/// Every 2×2 block of one colour (overlapping) scores 3; `top` and `bottom` are two rows'
/// dark modules.
fn blocks_penalty<L: Line>(top: L, bottom: L, full: L) -> u32 {
    let dark = top & top >> 1 & bottom & bottom >> 1;
    let (top, bottom) = (!top & full, !bottom & full);
    let light = top & top >> 1 & bottom & bottom >> 1;
    3 * (dark.ones() + light.ones())
}

/// How far the share of dark modules is from half, in half-percent steps.
fn balance_penalty(dark: usize, modules: usize) -> u32 {
    (dark * 200 / modules).abs_diff(100) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same modules as the crate, for addresses of many lengths and so many versions
    /// and masks (seven of the eight win for some of these), up to codes too wide to score
    /// here, which the crate makes.
    #[test]
    fn same_modules_as_the_qrcode_crate() {
        let mut masks_won = std::collections::BTreeSet::new();
        let mut widths = std::collections::BTreeSet::new();
        for i in 0..360 {
            let filler: String = if i < 300 {
                "x".repeat(i % 90)
            } else {
                (0..(i - 300) * 23).map(|k| char::from(b'a' + ((k * 7 + i) % 26) as u8)).collect()
            };
            let address = format!("https://briefings.example/{filler}/briefings/{}-child-{i}/", i * 7919);
            let expected = qrcode::QrCode::new(address.as_bytes()).unwrap();
            let (modules, width, mask) = encode_with_mask(address.as_bytes()).unwrap();
            assert_eq!(width, expected.width(), "{address}");
            assert_eq!(modules, expected.to_colors(), "{address}");
            masks_won.insert(mask);
            widths.insert(width);
        }
        assert!(masks_won.len() >= 7, "the addresses should exercise most masks: {masks_won:?}");
        assert!(widths.iter().any(|&w| w <= 64) && widths.iter().any(|&w| w > 64), "lines of both sizes: {widths:?}");
        // Version 27, 125 modules wide, is the widest whose rows fit in `MAX_WIDTH` bits.
        assert!(widths.contains(&125), "a code of the widest scored here: {widths:?}");
        assert!(widths.iter().any(|&w| w > MAX_WIDTH), "a code too wide to score here: {widths:?}");
    }

    /// The dark modules that `svg`'s path covers, read back from its rectangles.
    fn covered(svg: &str, width: usize) -> Vec<Color> {
        let path = svg.split(r#" d=""#).nth(1).and_then(|rest| rest.split('"').next()).expect("a path");
        let mut grid = vec![Color::Light; width * width];
        for shape in path.split('M').filter(|s| !s.is_empty()) {
            // "{x} {y}h{run}v1H{x}V{y}"
            let numbers: Vec<usize> = shape.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).map(|n| n.parse().unwrap()).collect();
            let [x, y, run, one, x2, y2] = numbers[..] else { panic!("a rectangle: {shape}") };
            assert_eq!((one, x2, y2), (1, x, y), "{shape} closes where it started");
            assert_eq!(shape, format!("{x} {y}h{run}v1H{x}V{y}"));
            for cell in &mut grid[y * width + x..y * width + x + run] {
                assert_eq!(*cell, Color::Light, "rectangles do not overlap");
                *cell = Color::Dark;
            }
        }
        grid
    }

    #[test]
    fn the_svg_covers_exactly_the_dark_modules_in_runs() {
        for i in 0..40 {
            let address = format!("https://briefings.example/{}/briefings/b{i}/", "y".repeat(i * 5));
            let (modules, width) = encode(address.as_bytes()).unwrap();
            let svg = svg(&modules, width, r#"class="x" "#);
            assert!(svg.starts_with(&format!(r#"<svg class="x" xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" height="{width}""#)));
            assert!(svg.contains(&format!(r##"<rect x="0" y="0" width="{width}" height="{width}" fill="#fff"/>"##)));
            assert_eq!(covered(&svg, width), modules, "{address}");
            // One rectangle a run: fewer than one a dark module.
            let dark = modules.iter().filter(|&&c| c == Color::Dark).count();
            assert!(svg.matches('M').count() < dark * 3 / 4, "{address}");
        }
    }
}
