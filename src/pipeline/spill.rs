//! Where a build puts the text of the briefings whose HTML it does not keep in memory, between
//! parsing them and rendering their pages: one unnamed temporary file in `TMPDIR` (where tools
//! such as `sort` spill too), made when the first briefing goes there and gone when the build
//! ends, even if it is killed. Reading a briefing's HTML back costs far less than parsing it
//! again. One that cannot be written there or read back is parsed again instead, so a full
//! temporary folder slows a build and changes nothing in it.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::{Mutex, OnceLock};

use crate::model::Bodies;

/// The temporary file, made on first use; `None` inside when it could not be made.
#[derive(Default)]
pub struct Spill {
    file: OnceLock<Option<Mutex<Written>>>,
}

/// The file, and how many bytes of it are written.
struct Written {
    file: File,
    end: u64,
}

/// Where one briefing's text is in the file.
#[derive(Debug, Clone, Copy)]
pub struct Spilled {
    at: u64,
    len: usize,
}

impl Spill {
    /// A spill into `file` (tests give one that cannot be written).
    #[cfg(test)]
    fn into(file: File) -> Spill {
        Spill { file: OnceLock::from(Some(Mutex::new(Written { file, end: 0 }))) }
    }

    fn written(&self) -> Option<&Mutex<Written>> {
        self.file.get_or_init(|| tempfile::tempfile().ok().map(|file| Mutex::new(Written { file, end: 0 }))).as_ref()
    }

    /// Writes `bodies` to the file; `None` when it could not.
    pub fn put(&self, bodies: &Bodies) -> Option<Spilled> {
        let bytes = postcard::to_allocvec(bodies).ok()?;
        let mut written = self.written()?.lock().ok()?;
        let at = written.end;
        written.file.seek(SeekFrom::Start(at)).ok()?;
        written.file.write_all(&bytes).ok()?;
        written.end += bytes.len() as u64;
        Some(Spilled { at, len: bytes.len() })
    }

    /// Reads back what `put` wrote; `None` when it cannot.
    pub fn get(&self, spilled: Spilled) -> Option<Bodies> {
        let mut bytes = vec![0; spilled.len];
        {
            let mut written = self.written()?.lock().ok()?;
            written.file.seek(SeekFrom::Start(spilled.at)).ok()?;
            written.file.read_exact(&mut bytes).ok()?;
        }
        postcard::from_bytes(&bytes).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, Footnote};

    fn bodies(words: &str) -> Bodies {
        let body = |html: &str| Body { html: html.to_string(), lead: Some(0..3) };
        Bodies {
            intro: body(&format!("<p>{words}</p>")),
            sections: vec![body("<p>One</p>"), Body { html: String::new(), lead: None }],
            footnotes: vec![Footnote { number: 1, html: "<p>Note</p>".into(), references: 2 }],
            markdown: vec!["One".into(), String::new()],
        }
    }

    #[test]
    fn what_is_put_is_got_back_whole_in_any_order() {
        let spill = Spill::default();
        let (a, b) = (bodies("first"), bodies("second, longer"));
        let (at_a, at_b) = (spill.put(&a).unwrap(), spill.put(&b).unwrap());
        let got_b = spill.get(at_b).unwrap();
        let got_a = spill.get(at_a).unwrap();
        assert_eq!(format!("{got_a:?}"), format!("{a:?}"));
        assert_eq!(format!("{got_b:?}"), format!("{b:?}"));
    }

    #[test]
    fn a_file_that_cannot_be_written_spills_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("read-only");
        std::fs::write(&path, "").unwrap();
        let spill = Spill::into(File::open(&path).unwrap());
        assert!(spill.put(&bodies("lost")).is_none(), "the briefing is then parsed again");
    }

    #[test]
    fn a_read_past_what_was_written_is_nothing() {
        let spill = Spill::default();
        let at = spill.put(&bodies("kept")).unwrap();
        assert!(spill.get(Spilled { at: at.at, len: at.len + 1 }).is_none());
        assert!(spill.get(at).is_some());
    }
}
