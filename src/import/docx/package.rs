//! Opening a `.docx`: a zip of XML parts and media, read with limits that hold whatever the
//! archive's headers claim.
//!
//! - At most `MAX_ENTRIES` entries and `MAX_TOTAL_BYTES` inflated in all, counted while
//!   inflating (a zip bomb's headers lie about its sizes).
//! - Entry names with `..`, an absolute path or a drive letter are refused: nothing is ever
//!   extracted by name, but such a name means the file was made to attack something.
//! - An OLE compound file (`D0 CF 11 E0`) is what Word writes for a password-protected
//!   document (and for the old `.doc` format): a clear error, as is any damage.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use super::super::Failure;

/// Far more than the text and pictures of any briefing.
pub const MAX_TOTAL_BYTES: u64 = 200 * 1024 * 1024;
/// A Word file has a few dozen entries; one with thousands of pictures is not a briefing.
pub const MAX_ENTRIES: usize = 5_000;

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The entries of a Word file, inflated, by name.
pub struct Package {
    parts: HashMap<String, Vec<u8>>,
}

impl Package {
    /// Reads every entry of the zip in `bytes`, within the limits.
    pub fn open(bytes: &[u8]) -> Result<Package, Failure> {
        if bytes.starts_with(OLE_MAGIC) {
            return Err(protected());
        }
        if !bytes.starts_with(b"PK") {
            return Err(Failure::new(
                "not-a-word-file",
                "it is not a Word (.docx) file",
                "open it in Word and use Save As > Word Document (.docx), then import that file",
            ));
        }
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zip_failure)?;
        if archive.len() > MAX_ENTRIES {
            return Err(bomb(format!("it holds {} files inside; a Word file has a few dozen", archive.len())));
        }
        let mut parts = HashMap::new();
        let mut total: u64 = 0;
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).map_err(zip_failure)?;
            let name = entry.name().to_string();
            check_name(&name)?;
            if entry.encrypted() {
                return Err(protected());
            }
            if entry.is_dir() {
                continue;
            }
            let room = MAX_TOTAL_BYTES - total;
            // A header that admits to too much is refused at once; one that lies is caught below.
            if entry.size() > room {
                return Err(bomb(format!("it expands to more than {} MB", MAX_TOTAL_BYTES / 1024 / 1024)));
            }
            let mut data = Vec::new();
            // One byte more than there is room for tells a bomb from a file that fits exactly.
            (&mut entry).take(room + 1).read_to_end(&mut data).map_err(|e| zip_failure(e.into()))?;
            total += data.len() as u64;
            if total > MAX_TOTAL_BYTES {
                return Err(bomb(format!("it expands to more than {} MB", MAX_TOTAL_BYTES / 1024 / 1024)));
            }
            parts.insert(name, data);
        }
        Ok(Package { parts })
    }

    /// The bytes of the entry `name` (`word/document.xml`), if there is one.
    pub fn part(&self, name: &str) -> Option<&[u8]> {
        self.parts.get(name).map(Vec::as_slice)
    }
}

/// Refuses names that climb out of the archive or start at the root.
fn check_name(name: &str) -> Result<(), Failure> {
    let drive = name.len() > 1 && name.as_bytes()[1] == b':';
    let climbs = name.split(['/', '\\']).any(|segment| segment == "..");
    if climbs || name.starts_with('/') || name.starts_with('\\') || drive {
        return Err(Failure::new(
            "hostile-file",
            format!("it contains a file named `{name}`, which points outside the document: Word never writes such names"),
            "do not open this file; ask whoever sent it for a copy saved from Word",
        ));
    }
    Ok(())
}

fn protected() -> Failure {
    Failure::new(
        "protected-file",
        "it is password-protected (or an old-style .doc file), so its text cannot be read",
        "open it in Word, remove the password (File > Info > Protect Document) and Save As a .docx, then import that copy",
    )
}

fn bomb(why: String) -> Failure {
    Failure::new(
        "hostile-file",
        format!("{why}: it looks made to fill the disk or memory (a \"zip bomb\")"),
        "do not open this file; ask whoever sent it for a copy saved from Word",
    )
}

fn zip_failure(e: zip::result::ZipError) -> Failure {
    use zip::result::ZipError;
    match e {
        ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED) | ZipError::InvalidPassword => protected(),
        ZipError::UnsupportedArchive(what) => Failure::damaged(format!("it uses a kind of compression Word does not write ({what})")),
        ZipError::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Failure::damaged("it is cut short (perhaps the download or copy did not finish)".to_string()),
        other => Failure::damaged(format!("it is damaged ({other})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_leave_the_archive_are_refused() {
        for bad in ["../evil.xml", "word/../../x", "/etc/passwd", "\\x", "C:/x", "a\\..\\b"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        for good in ["word/document.xml", "[Content_Types].xml", "word/media/image1..png"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn not_a_zip_and_ole_files_are_errors() {
        assert_eq!(Package::open(b"hello").err().unwrap().code, "not-a-word-file");
        assert_eq!(Package::open(OLE_MAGIC).err().unwrap().code, "protected-file");
        assert_eq!(Package::open(b"PK\x03\x04trunc").err().unwrap().code, "damaged-file");
    }
}
