//! Reading the files of a site without following symbolic links out of it: sources,
//! templates, site.toml, the logo and font, bundle files. Here, below every stage, so that
//! each reads through the same guard.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::diagnostics::Diagnostic;

/// Sources larger than this are refused: a real briefing is tens of kilobytes, and reading a
/// stray video or database dump into memory helps no one.
pub const MAX_SOURCE_BYTES: u64 = 8 * 1024 * 1024;

/// The error for a file of the site that is a symbolic link: whatever it points at (another
/// user's files, `/etc/passwd`) is never read, let alone published.
pub fn symlink_refused(rel: &Path) -> Diagnostic {
    Diagnostic::error("symlink-refused", format!("{} is a symbolic link; briefing never follows one, so it was not read", rel.display()))
        .in_file(rel)
        .help("put a copy of the file itself in the site folder instead of a link to it")
}

/// The first folder on the way to `rel` (relative to `root`; the file itself left out) that
/// is a symbolic link, if any: a command that writes a new file into the site (`new`,
/// `import`, `init`) never writes through one, as a build never reads through one.
pub fn linked_folder(root: &Path, rel: &Path) -> Option<PathBuf> {
    let mut at = PathBuf::new();
    for part in rel.parent()?.components() {
        at.push(part);
        if std::fs::symlink_metadata(root.join(&at)).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(at);
        }
    }
    None
}

/// The error for a folder of the site that is a symbolic link, where a command was to write.
pub fn write_through_link_refused(rel: &Path) -> Diagnostic {
    Diagnostic::error("symlink-refused", format!("{} is a symbolic link; briefing never writes through one, so nothing was written", rel.display()))
        .in_file(rel)
        .help("make it a real folder in the site folder (move what the link points at there) and run the command again")
}

/// Opens `path` to read without following a symbolic link: a link (the file itself or, where
/// the platform tells, one swapped in between the look and the open) is an error that
/// `is_symlink_refusal` recognises; anything but a regular file is refused too. Folders above
/// `path` are the caller's to check.
pub fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    let refusal = || std::io::Error::new(std::io::ErrorKind::InvalidInput, SymlinkRefusal);
    let looked = std::fs::symlink_metadata(path)?;
    if looked.file_type().is_symlink() {
        return Err(refusal());
    }
    // A pipe or a device would block the read or never end.
    if !looked.is_file() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "it is not a regular file"));
    }
    let file = std::fs::File::open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let opened = file.metadata()?;
        if (opened.dev(), opened.ino()) != (looked.dev(), looked.ino()) {
            return Err(refusal());
        }
    }
    Ok(file)
}

/// Reads at most `limit` bytes of `path` through `open_no_follow`; a longer file is an error
/// of kind `FileTooLarge`.
pub fn read_no_follow(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let file = open_no_follow(path)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::new(std::io::ErrorKind::FileTooLarge, format!("it is over {} MB", limit / 1024 / 1024)));
    }
    Ok(bytes)
}

/// The error `open_no_follow` gives for a symbolic link.
#[derive(Debug)]
struct SymlinkRefusal;

impl std::fmt::Display for SymlinkRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("it is a symbolic link, which briefing never follows")
    }
}

impl std::error::Error for SymlinkRefusal {}

/// Whether `e` is `open_no_follow`'s refusal of a symbolic link.
pub fn is_symlink_refusal(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<SymlinkRefusal>())
}


#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_pipes_and_folders_are_refused_and_files_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "text").unwrap();
        std::os::unix::fs::symlink(&file, dir.path().join("link")).unwrap();
        assert_eq!(read_no_follow(&file, 10).unwrap(), b"text");
        assert!(read_no_follow(&file, 3).is_err(), "over the limit");
        assert!(is_symlink_refusal(&read_no_follow(&dir.path().join("link"), 10).unwrap_err()));
        assert!(read_no_follow(dir.path(), 10).is_err());
        // A pipe would block the build forever if it were opened.
        let fifo = dir.path().join("fifo");
        if std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
            let e = read_no_follow(&fifo, 10).unwrap_err();
            assert!(!is_symlink_refusal(&e) && e.to_string().contains("not a regular file"), "{e}");
        }
    }
}
