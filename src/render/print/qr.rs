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
        .min_by_key(|(_, modules)| penalty(modules, width))
        .map(|(mask, modules)| (modules, width, mask))
}

/// The SVG that the crate's renderer makes of `modules` with one unit a module and no quiet
/// zone, less its XML declaration, with `attributes` (ending in a space) first in the `svg`
/// tag. Written here because the renderer's `write!` per dark module was 7% of a build.
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
    svg.reserve(modules.len() * 10);
    let mut digits = String::new();
    for (y, row) in modules.chunks_exact(width).enumerate() {
        for (x, _) in row.iter().enumerate().filter(|(_, &c)| c == Color::Dark) {
            // The crate writes "M{x} {y}h1v1H{x}V{y}" for each dark module.
            digits.clear();
            push_number(&mut digits, x);
            let x = digits.as_str();
            svg.push('M');
            svg.push_str(x);
            svg.push(' ');
            push_number(&mut svg, y);
            svg.push_str("h1v1H");
            svg.push_str(x);
            svg.push('V');
            push_number(&mut svg, y);
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

/// The crate's `compute_total_penalty_scores` for a normal (not micro) QR code, with its
/// u16 arithmetic. Rows and columns are scored as slices of one flat array each (the
/// modules and their transpose), so scoring a mask allocates twice rather than per line.
fn penalty(modules: &[Color], width: usize) -> u16 {
    let rows: Vec<bool> = modules.iter().map(|&c| c == Color::Dark).collect();
    let mut columns = vec![false; rows.len()];
    for (y, row) in rows.chunks_exact(width).enumerate() {
        for (x, &dark) in row.iter().enumerate() {
            columns[x * width + y] = dark;
        }
    }
    let mut total: u16 = 0;
    for lines in [&rows, &columns] {
        for line in lines.chunks_exact(width) {
            total = total.wrapping_add(runs_penalty(line)).wrapping_add(finder_penalty(line));
        }
        total = total.wrapping_sub(360);
    }
    total.wrapping_add(blocks_penalty(&rows, width)).wrapping_add(balance_penalty(&rows))
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
        // Most positions fail on the first module or two: test them before the whole pattern.
        if !line[j] || line[j + 1] || line[j..j + 7] != PATTERN {
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
fn blocks_penalty(dark: &[bool], width: usize) -> u16 {
    let mut score = 0u16;
    for pair in dark.chunks_exact(width).collect::<Vec<_>>().windows(2) {
        let (top, bottom) = (pair[0], pair[1]);
        for x in 0..width - 1 {
            let c = top[x];
            if top[x + 1] == c && bottom[x] == c && bottom[x + 1] == c {
                score = score.wrapping_add(3);
            }
        }
    }
    score
}

/// How far the share of dark modules is from half, in half-percent steps.
fn balance_penalty(dark: &[bool]) -> u16 {
    let count = dark.iter().filter(|&&d| d).count();
    let ratio = count * 200 / dark.len();
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

    /// The same SVG as the crate's renderer, for codes of several sizes.
    #[test]
    fn same_svg_as_the_qrcode_crate() {
        for i in 0..40 {
            let address = format!("https://briefings.example/{}/briefings/b{i}/", "y".repeat(i * 5));
            let (modules, width) = encode(address.as_bytes()).unwrap();
            let expected = qrcode::render::Renderer::<qrcode::render::svg::Color>::new(&modules, width, 4)
                .module_dimensions(1, 1)
                .quiet_zone(false)
                .build();
            let expected = expected.replacen(r#"<?xml version="1.0" standalone="yes"?><svg "#, r#"<svg class="x" "#, 1);
            assert_eq!(svg(&modules, width, r#"class="x" "#), expected, "{address}");
        }
    }
}
