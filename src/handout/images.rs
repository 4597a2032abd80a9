//! What the templates need to know about an image before they place it: its format (the
//! virtual file has no extension) and, for an SVG diagram, the narrowest width at which its
//! smallest text still prints at 6 pt. A diagram that would print narrower than that is left
//! out with a note rather than printed at 3 pt.

use serde::Serialize;

/// The smallest text a handout prints, in points.
pub const MIN_TEXT_PT: f64 = 6.0;

/// An image in a slot, as the templates see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageInfo {
    pub path: String,
    pub format: &'static str,
    #[serde(rename = "min-width")]
    pub min_width: Option<f64>,
}

/// The format of an image file Typst can show, from its first bytes; None for anything else.
pub fn format_of(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else if looks_like_svg(bytes) {
        Some("svg")
    } else {
        None
    }
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    std::str::from_utf8(head).map(|s| s.contains("<svg")).unwrap_or_else(|e| {
        std::str::from_utf8(&head[..e.valid_up_to()]).is_ok_and(|s| s.contains("<svg"))
    })
}

/// The narrowest width, in points, at which an SVG's smallest text prints at `MIN_TEXT_PT`:
/// its width in user units times 6 over its smallest font size. None when it has no text or
/// no size to go by.
pub fn svg_min_width(svg: &str) -> Option<f64> {
    let width = svg_width(svg)?;
    let smallest = font_sizes(svg).fold(None, |min: Option<f64>, s| Some(min.map_or(s, |m| m.min(s))));
    let smallest = match smallest {
        Some(s) => s,
        // Text without a size is set at the default, 16 user units.
        None if svg.contains("<text") => 16.0,
        None => return None,
    };
    Some(MIN_TEXT_PT * width / smallest)
}

/// The width of the SVG's coordinate system: the viewBox's, else the `width` attribute's.
fn svg_width(svg: &str) -> Option<f64> {
    let tag_start = svg.find("<svg")?;
    let tag = &svg[tag_start..tag_start + svg[tag_start..].find('>')?];
    if let Some(view_box) = attribute(tag, "viewBox") {
        let parts: Vec<f64> = view_box.split(|c: char| c == ',' || c.is_whitespace()).filter_map(|p| p.parse().ok()).collect();
        if parts.len() == 4 && parts[2] > 0.0 {
            return Some(parts[2]);
        }
    }
    attribute(tag, "width").and_then(number).filter(|w| *w > 0.0)
}

/// The value of attribute `name` in the tag `tag`.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    while let Some(i) = rest.find(name) {
        let before = rest[..i].chars().last();
        let after = rest[i + name.len()..].trim_start();
        rest = &rest[i + name.len()..];
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let Some(value) = after.strip_prefix('=') else { continue };
        let value = value.trim_start();
        let quote = value.chars().next()?;
        if quote == '"' || quote == '\'' {
            let inner = &value[1..];
            return inner.find(quote).map(|end| &inner[..end]);
        }
    }
    None
}

/// The leading number of `s` ("12", "12px", "9.5pt"), with points made user units (px).
fn number(s: &str) -> Option<f64> {
    let s = s.trim();
    let end = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let n: f64 = s[..end].parse().ok()?;
    let unit = s[end..].trim();
    match unit {
        "" | "px" => Some(n),
        "pt" => Some(n * 4.0 / 3.0),
        _ => None,
    }
}

/// Every absolute font size in the SVG (attributes and inline CSS).
fn font_sizes(svg: &str) -> impl Iterator<Item = f64> + '_ {
    svg.match_indices("font-size").filter_map(move |(i, _)| {
        let rest = svg[i + "font-size".len()..].trim_start();
        let value = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':'))?.trim_start();
        let value = value.trim_start_matches(['"', '\'']);
        number(value.split(['"', '\'', ';', '}', ' ']).next()?).filter(|n| *n > 0.0)
    })
}

/// The most pixels a handout needs of the logo across and down: it prints at most 42 mm wide
/// and 13 mm tall (`logo-image` in common.typ), here at 600 dots an inch.
const LOGO_PIXELS: (u32, u32) = (992, 307);

/// A PNG logo larger than a handout prints it, scaled down to `LOGO_PIXELS` (its shape kept):
/// every PDF embeds the logo, and a 7.7 MB logo made each handout 7.7 MB. None for a logo that
/// is small enough or cannot be read (the engine then reports it as it would have). The last
/// one scaled is kept, since a site has one logo and `watch` builds many times.
pub fn logo_for_print(png: &[u8]) -> Option<Vec<u8>> {
    type Last = Option<(u64, Option<Vec<u8>>)>;
    static LAST: std::sync::Mutex<Last> = std::sync::Mutex::new(None);
    let (w, h) = super::limits::pixel_size(png).map(|(w, h)| (w as u32, h as u32))?;
    let scale = f64::min(LOGO_PIXELS.0 as f64 / w as f64, LOGO_PIXELS.1 as f64 / h as f64);
    if scale >= 1.0 {
        return None;
    }
    let hash = xxhash_rust::xxh3::xxh3_64(png);
    let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, scaled)) = last.as_ref().filter(|(h, _)| *h == hash) {
        return scaled.clone();
    }
    let size = |n: u32| ((n as f64 * scale).round() as u32).max(1);
    let scaled = image::load_from_memory_with_format(png, image::ImageFormat::Png).ok().and_then(|picture| {
        let smaller = picture.resize_exact(size(w), size(h), image::imageops::FilterType::Lanczos3);
        let mut out = std::io::Cursor::new(Vec::new());
        smaller.write_to(&mut out, image::ImageFormat::Png).ok().map(|()| out.into_inner())
    });
    *last = Some((hash, scaled.clone()));
    scaled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_magic_bytes() {
        assert_eq!(format_of(b"\x89PNG\r\n\x1a\nrest"), Some("png"));
        assert_eq!(format_of(&[0xff, 0xd8, 0xff, 0xe0]), Some("jpg"));
        assert_eq!(format_of(b"<?xml version=\"1.0\"?><svg xmlns=\"\"></svg>"), Some("svg"));
        assert_eq!(format_of(b"%PDF-1.7"), None);
    }

    #[test]
    fn diagram_text_sets_a_minimum_width() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 800"><text font-size="12">A</text><text style="font-size: 8px">b</text></svg>"#;
        assert_eq!(svg_min_width(svg), Some(6.0 * 1200.0 / 8.0));
        let svg = r#"<svg width="300" height="100"><text>A</text></svg>"#;
        assert_eq!(svg_min_width(svg), Some(6.0 * 300.0 / 16.0));
        assert_eq!(svg_min_width(r#"<svg viewBox="0 0 10 10"><rect/></svg>"#), None);
    }

    /// A PNG of `w` by `h` pixels, each different, so that it does not compress away.
    fn png(w: u32, h: u32) -> Vec<u8> {
        let picture = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 7) as u8, (y * 13) as u8, ((x ^ y) * 3) as u8]));
        let mut out = std::io::Cursor::new(Vec::new());
        picture.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_large_logo_is_scaled_to_what_a_handout_prints_and_a_small_one_kept() {
        let size = |bytes: &[u8]| imagesize::blob_size(bytes).map(|s| (s.width, s.height)).unwrap();
        let wide = logo_for_print(&png(3000, 300)).expect("scaled");
        assert_eq!(size(&wide), (992, 99), "42 mm across at 600 dots an inch");
        let tall = png(1600, 1600);
        let scaled = logo_for_print(&tall).expect("scaled");
        assert_eq!(size(&scaled), (307, 307), "13 mm tall at 600 dots an inch");
        assert!(scaled.len() * 10 < tall.len(), "{} bytes from {}", scaled.len(), tall.len());
        assert_eq!(logo_for_print(&png(400, 120)), None, "small enough");
        assert_eq!(logo_for_print(b"\x89PNG\r\n\x1a\nnot really"), None, "unreadable: the engine reports it");
    }
}
