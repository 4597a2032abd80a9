//! Text kept compressed in memory.
//!
//! Every briefing's body (its HTML and its prose) stays in memory from parsing to rendering,
//! since theme mentions, checks, the search index and the pages all read it. For 10,000
//! briefings that is 265 MB of strings; packed with LZ4 it is 121 MB (each section is packed
//! on its own, so it has little to draw on), and unpacking one section when a stage reads it
//! costs far less than the memory it saves.

use std::fmt;

/// A string compressed with LZ4. `unpack` gives it back. Packing is deterministic, so equal
/// strings pack to equal bytes and hash alike.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Packed {
    bytes: Box<[u8]>,
    /// The length of the string, in bytes.
    len: usize,
}

impl Packed {
    pub fn new(text: &str) -> Packed {
        let bytes = if text.is_empty() { Box::default() } else { lz4_flex::block::compress(text.as_bytes()).into_boxed_slice() };
        Packed { bytes, len: text.len() }
    }

    pub fn unpack(&self) -> String {
        if self.len == 0 {
            return String::new();
        }
        let bytes = lz4_flex::block::decompress(&self.bytes, self.len).expect("packed by Packed::new");
        String::from_utf8(bytes).expect("packed from a str")
    }

    /// The length of the string, in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl fmt::Debug for Packed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.unpack(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpacks_what_it_packed() {
        for text in ["", "a", "é ü — 7-minute briefing", &"<p>The same paragraph again.</p>\n".repeat(500)] {
            let packed = Packed::new(text);
            assert_eq!(packed.unpack(), text);
            assert_eq!(packed.len(), text.len());
        }
    }

    #[test]
    fn repetitive_html_takes_less_room() {
        let html = "<li><a href=\"../b1/\">A briefing about neglect</a></li>\n".repeat(200);
        assert!(Packed::new(&html).bytes.len() * 4 < html.len());
    }
}
