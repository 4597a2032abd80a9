//! Text kept compressed in memory and, past a budget, in a temporary file.
//!
//! Every briefing's body (its HTML and its prose) is kept from parsing to rendering, since
//! theme mentions, checks, the search index and the pages all read it. For 10,000 briefings
//! that is 265 MB of strings; packed with LZ4 it is 121 MB (each section is packed on its own,
//! so it has little to draw on), and unpacking one section when a stage reads it costs far
//! less than the memory it saves.
//!
//! A one-shot command (`build`, `check`) also calls `spill_past`: packed text past the budget
//! goes to an unnamed temporary file instead of the heap, and is read back with one `pread`
//! per unpack. The kernel keeps that file in its page cache while memory is plentiful and can
//! write it out when memory is short, which it cannot do with a process's heap (there may be
//! no swap). A site whose packed text fits the budget never touches the file.

use std::fs::File;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::{fmt, io};

/// A string compressed with LZ4. `unpack` gives it back. Packing is deterministic, so equal
/// strings pack to equal bytes.
#[derive(Clone, Default)]
pub struct Packed {
    stored: Stored,
    /// The length of the string, in bytes.
    len: usize,
}

/// Where a string's packed bytes are.
#[derive(Clone)]
enum Stored {
    Held(Box<[u8]>),
    /// In the process's `Spill`, at `at`.
    Spilled { at: u64, size: usize },
}

impl Default for Stored {
    fn default() -> Self {
        Stored::Held(Box::default())
    }
}

impl Packed {
    pub fn new(text: &str) -> Packed {
        if text.is_empty() {
            return Packed::default();
        }
        let bytes = lz4_flex::block::compress(text.as_bytes());
        let stored = match SPILL.get() {
            Some(spill) => spill.keep(bytes),
            None => Stored::Held(bytes.into_boxed_slice()),
        };
        Packed { stored, len: text.len() }
    }

    pub fn unpack(&self) -> String {
        if self.len == 0 {
            return String::new();
        }
        let decompress = |bytes: &[u8]| lz4_flex::block::decompress(bytes, self.len).expect("packed by Packed::new");
        let bytes = match &self.stored {
            Stored::Held(bytes) => decompress(bytes),
            Stored::Spilled { at, size } => decompress(&SPILL.get().expect("spilled only once set").read(*at, *size)),
        };
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

/// By content, as equal strings pack to equal bytes: `watch` hashes theme descriptions into
/// page keys.
impl std::hash::Hash for Packed {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match &self.stored {
            Stored::Held(bytes) => bytes.hash(state),
            Stored::Spilled { at, size } => SPILL.get().expect("spilled only once set").read(*at, *size).hash(state),
        }
        self.len.hash(state);
    }
}

impl fmt::Debug for Packed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.unpack(), f)
    }
}

/// The process's spill file, once `spill_past` has set it up.
static SPILL: OnceLock<Spill> = OnceLock::new();

/// From now on, packed text past the first `budget` bytes goes to a temporary file (see the
/// module's comment). Where no temporary file can be made, it all stays in memory, as before.
/// Meant for one-shot commands: the file only grows until the process ends, when the system
/// deletes it (it has no name).
pub fn spill_past(budget: usize) {
    if let Ok(spill) = Spill::new(budget) {
        let _ = SPILL.set(spill);
    }
}

/// Spilled bytes are gathered into chunks of this size, each written with one call.
const CHUNK: usize = 1 << 20;

/// An append-only store of packed bytes: a temporary file, and the chunk not yet written to it.
struct Spill {
    file: File,
    /// Bytes packed so far (held or spilled): the budget is spent first.
    packed: AtomicUsize,
    budget: usize,
    /// How many bytes the file holds; spilled bytes past this are in `pending`.
    written: AtomicU64,
    pending: Mutex<Pending>,
}

struct Pending {
    bytes: Vec<u8>,
    /// Writing failed once: keep everything in `bytes` (still readable) and spill no more.
    failed: bool,
}

impl Spill {
    fn new(budget: usize) -> io::Result<Spill> {
        Ok(Spill {
            file: tempfile::tempfile()?,
            packed: AtomicUsize::new(0),
            budget,
            written: AtomicU64::new(0),
            pending: Mutex::new(Pending { bytes: Vec::new(), failed: false }),
        })
    }

    /// Where to keep `bytes`: on the heap while the budget lasts, then in the file.
    fn keep(&self, bytes: Vec<u8>) -> Stored {
        if self.packed.fetch_add(bytes.len(), Ordering::Relaxed) + bytes.len() <= self.budget {
            return Stored::Held(bytes.into_boxed_slice());
        }
        match self.append(&bytes) {
            Some(at) => Stored::Spilled { at, size: bytes.len() },
            None => Stored::Held(bytes.into_boxed_slice()),
        }
    }

    /// Appends `bytes`, returning where they start; `None` once writing has failed.
    fn append(&self, bytes: &[u8]) -> Option<u64> {
        let mut pending = self.pending.lock().expect("no thread panics holding it");
        if pending.failed {
            return None;
        }
        let written = self.written.load(Ordering::Acquire);
        let at = written + pending.bytes.len() as u64;
        pending.bytes.extend_from_slice(bytes);
        if pending.bytes.len() >= CHUNK {
            match write_at(&self.file, &pending.bytes, written) {
                Ok(()) => {
                    self.written.store(written + pending.bytes.len() as u64, Ordering::Release);
                    pending.bytes.clear();
                }
                // What is pending stays readable there; later text stays on the heap.
                Err(_) => pending.failed = true,
            }
        }
        Some(at)
    }

    fn read(&self, at: u64, size: usize) -> Vec<u8> {
        let mut out = vec![0; size];
        let in_file = |written: u64| at + size as u64 <= written;
        if !in_file(self.written.load(Ordering::Acquire)) {
            let pending = self.pending.lock().expect("no thread panics holding it");
            // `written` only changes under this lock: read it again now that it is held.
            let written = self.written.load(Ordering::Acquire);
            if !in_file(written) {
                let start = (at - written) as usize;
                out.copy_from_slice(&pending.bytes[start..start + size]);
                return out;
            }
        }
        read_at(&self.file, &mut out, at).expect("could not read back the temporary file of packed text");
        out
    }
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(unix)]
fn read_at(file: &File, out: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, out, at)
}

#[cfg(windows)]
fn write_at(file: &File, mut bytes: &[u8], mut at: u64) -> io::Result<()> {
    while !bytes.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_write(file, bytes, at)?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        bytes = &bytes[n..];
        at += n as u64;
    }
    Ok(())
}

#[cfg(windows)]
fn read_at(file: &File, mut out: &mut [u8], mut at: u64) -> io::Result<()> {
    while !out.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_read(file, out, at)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        out = &mut out[n..];
        at += n as u64;
    }
    Ok(())
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
        assert!(lz4_flex::block::compress(html.as_bytes()).len() * 4 < html.len());
    }

    /// Distinct, barely compressible pieces, so that chunks fill and are written.
    fn pieces(n: usize) -> Vec<Vec<u8>> {
        (0..n).map(|i| (0..5_000u32).map(|k| (k.wrapping_mul(2_654_435_761).wrapping_add(i as u32 * 7) >> 13) as u8).collect()).collect()
    }

    #[test]
    fn the_budget_is_held_and_the_rest_read_back_from_the_file_or_the_pending_chunk() {
        let spill = Spill::new(12_000).unwrap();
        let pieces = pieces(600);
        let kept: Vec<Stored> = pieces.iter().map(|p| spill.keep(p.clone())).collect();
        assert!(matches!(kept[0], Stored::Held(_)) && matches!(kept[1], Stored::Held(_)), "the first 12,000 bytes stay in memory");
        assert!(kept[2..].iter().all(|k| matches!(k, Stored::Spilled { .. })));
        let written = spill.written.load(Ordering::Acquire);
        assert!(written >= CHUNK as u64 && !spill.pending.lock().unwrap().bytes.is_empty(), "some in the file, some pending");
        for (piece, kept) in pieces.iter().zip(&kept) {
            match kept {
                Stored::Held(bytes) => assert_eq!(&bytes[..], &piece[..]),
                Stored::Spilled { at, size } => assert_eq!(&spill.read(*at, *size), piece),
            }
        }
    }

    #[test]
    fn threads_spilling_at_once_each_read_back_their_own() {
        let spill = Spill::new(0).unwrap();
        std::thread::scope(|s| {
            for t in 0..4 {
                let spill = &spill;
                s.spawn(move || {
                    let mine: Vec<Vec<u8>> = pieces(300).into_iter().map(|mut p| { p[0] = t; p }).collect();
                    let kept: Vec<Stored> = mine.iter().map(|p| spill.keep(p.clone())).collect();
                    for (piece, kept) in mine.iter().zip(kept) {
                        let Stored::Spilled { at, size } = kept else { panic!("a budget of 0 spills everything") };
                        assert_eq!(&spill.read(at, size), piece);
                    }
                });
            }
        });
    }
}
