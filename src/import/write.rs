//! Putting an imported briefing into the site: never over anything that exists, and all or
//! nothing. Everything is written first into a hidden temporary folder inside `briefings/`
//! (hidden names are never read as sources), then moved into place with one rename; a
//! single file is linked into place, which fails rather than replace a file that appeared
//! meanwhile.

use std::path::{Path, PathBuf};

use super::{ImportError, Imported};
use crate::core::files::{linked_folder, write_through_link_refused};
use crate::core::paths::BRIEFINGS_DIR;

/// Writes `imported` into the site at `root`: `briefings/<slug>.md`, or with pictures the
/// bundle `briefings/<slug>/index.md` and the pictures beside it. Returns the briefing's path
/// relative to `root`. Refuses (naming the file) when either form of the slug exists.
pub fn write(root: &Path, imported: &Imported) -> Result<PathBuf, ImportError> {
    let briefings = root.join(BRIEFINGS_DIR);
    if !briefings.is_dir() {
        return Err(ImportError::new(
            "no-briefings",
            format!("there is no {BRIEFINGS_DIR}/ folder in {}", root.display()),
            "run briefing import in a site folder (one with a briefings/ folder), or name one with --root",
        )
        .in_file(root));
    }
    let slug = &imported.slug;
    let file = Path::new(BRIEFINGS_DIR).join(format!("{slug}.md"));
    let folder = Path::new(BRIEFINGS_DIR).join(slug);
    if let Some(link) = linked_folder(root, &file) {
        let refused = write_through_link_refused(&link);
        return Err(ImportError::new(refused.code, refused.message.clone(), refused.help.clone().unwrap_or_default()).in_file(&link));
    }
    for existing in [&file, &folder] {
        if root.join(existing).symlink_metadata().is_ok() {
            return Err(exists(existing));
        }
    }
    let staging = tempfile::Builder::new().prefix(".import-").tempdir_in(&briefings).map_err(|e| failed(&briefings, e))?;
    let bundle = staging.path().join(slug);
    std::fs::create_dir(&bundle).map_err(|e| failed(&folder, e))?;
    std::fs::write(bundle.join("index.md"), &imported.text).map_err(|e| failed(&folder, e))?;
    for (name, bytes) in &imported.pictures {
        std::fs::write(bundle.join(name), bytes).map_err(|e| failed(&folder.join(name), e))?;
    }
    if imported.pictures.is_empty() {
        place_file(&bundle.join("index.md"), &root.join(&file)).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => exists(&file),
            _ => failed(&file, e),
        })?;
        return Ok(file);
    }
    // A rename replaces only an empty folder; the check above makes that a race to lose.
    if root.join(&folder).symlink_metadata().is_ok() {
        return Err(exists(&folder));
    }
    std::fs::rename(&bundle, root.join(&folder)).map_err(|e| failed(&folder, e))?;
    Ok(folder.join("index.md"))
}

/// Moves a file into place without replacing one: a hard link (which fails if the name is
/// taken), or where the file system has none, a copy to a file created new.
fn place_file(from: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        Err(_) => {
            use std::io::Write;
            let bytes = std::fs::read(from)?;
            let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(to)?;
            file.write_all(&bytes).inspect_err(|_| {
                let _ = std::fs::remove_file(to);
            })
        }
    }
}

fn exists(rel: &Path) -> ImportError {
    ImportError::new(
        "already-exists",
        format!("{} already exists, and importing never replaces a briefing", rel.display()),
        "import it under another name with --slug NAME, or move the existing briefing away first",
    )
    .in_file(rel)
}

fn failed(rel: &Path, e: std::io::Error) -> ImportError {
    ImportError::new("write-failed", format!("could not write {}: {e}", rel.display()), "check there is space on the disk and that you may write to the site folder; nothing was written")
        .in_file(rel)
}
