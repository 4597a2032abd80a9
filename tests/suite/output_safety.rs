//! What a build does to the output folder when the file system fights back (issue 16, items 6,
//! 8 and 12): a previous site that cannot be deleted, a watched rebuild that cannot write
//! every file, a mount point and a symbolic link given as the output.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{briefing, names_in, snapshot, stderr, stdout, Site};

fn small_site(title: &str) -> Site {
    let site = Site::new();
    site.write("site.toml", "title = \"Test briefings\"\npartnership = \"Test Safeguarding Partnership\"\n");
    site.write("themes/neglect.md", "+++\ntitle = \"Neglect\"\n+++\nWhat neglect means.\n");
    retitle(&site, title);
    site.write("briefings/beta.md", briefing("title = \"Beta review\"\npublished = 2024-04-01\nthemes = [\"neglect\"]", "## Background\n\nBeta.\n"));
    site
}

fn retitle(site: &Site, title: &str) {
    site.write("briefings/alpha.md", briefing(&format!("title = \"{title}\"\npublished = 2024-05-01\nthemes = [\"neglect\"]"), "## Background\n\nAlpha.\n"));
}

/// Makes files under a folder impossible to delete, and possible again when dropped: as root,
/// which may delete anything, with the immutable attribute (`chattr +i`); otherwise by making
/// a folder read-only.
#[cfg(unix)]
struct Undeletable {
    /// The folder whose files are kept (every immutable file under it is freed on drop).
    root: PathBuf,
    as_root: bool,
}

#[cfg(unix)]
impl Undeletable {
    /// Makes `folder` (with a file in it) undeletable; `None` when this system cannot.
    fn make(root: &Path, folder: &Path) -> Option<Undeletable> {
        use std::os::unix::fs::PermissionsExt;
        std::fs::create_dir_all(folder).unwrap();
        std::fs::write(folder.join("keep.txt"), "cannot be deleted").unwrap();
        let as_root = crate::common::is_root();
        let guard = Undeletable { root: root.to_path_buf(), as_root };
        if as_root {
            let made = Command::new("chattr").arg("+i").arg(folder.join("keep.txt")).status().is_ok_and(|s| s.success());
            made.then_some(guard)
        } else {
            std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o555)).unwrap();
            Some(guard)
        }
    }
}

#[cfg(unix)]
impl Drop for Undeletable {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.as_root {
            let _ = Command::new("chattr").arg("-R").arg("-i").arg(&self.root).status();
        } else {
            for entry in walkdir::WalkDir::new(&self.root).into_iter().flatten().filter(|e| e.file_type().is_dir()) {
                let _ = std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o755));
            }
        }
    }
}

/// Issue 16, item 6: when the previous site could not be deleted after the new one was
/// swapped in, the build exited 2 saying the output "was left as it was" while it showed the
/// new site. Now it succeeds and warns, naming the folder left behind; once that folder can be
/// deleted, a later build removes it.
#[cfg(unix)]
#[test]
fn a_previous_site_that_cannot_be_deleted_is_a_warning_after_a_good_build() {
    let site = small_site("Alpha review");
    assert!(site.run(&["build"]).status.success());
    let Some(guard) = Undeletable::make(site.path(), &site.path().join("output/stuck")) else {
        eprintln!("skipped: this system cannot make a file undeletable");
        return;
    };
    retitle(&site, "Alpha renamed");
    let out = site.run(&["build"]);
    let (said, err) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{said}\n{err}");
    assert!(said.starts_with("Built "), "{said}");
    assert!(!err.contains("left as it was") && !said.contains("left as it was"), "{err}");
    assert!(site.read("output/index.html").contains("Alpha renamed"));
    let left: Vec<String> = names_in(site.path()).into_iter().filter(|n| n.starts_with("output.")).collect();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(site.path().join(&left[0]).join("stuck/keep.txt").is_file());
    assert!(err.contains("warning[") && err.contains(&left[0]), "the warning names the folder left behind: {err}");

    drop(guard);
    let out = site.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let left: Vec<String> = names_in(site.path()).into_iter().filter(|n| n.starts_with("output.")).collect();
    assert!(left.is_empty(), "a later build removes what it left behind: {left:?}");
}

/// A tmpfs mounted at a folder, unmounted when dropped.
#[cfg(target_os = "linux")]
struct Mounted(PathBuf);

#[cfg(target_os = "linux")]
impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Issue 16, item 12: an empty mount point was accepted as the output, and the build then
/// failed to rename it ("Device or resource busy") with advice about disk space. It is refused
/// before any work, with a message that says what it is and what to do. Needs root to mount.
#[cfg(target_os = "linux")]
#[test]
fn an_empty_mount_point_is_refused_up_front() {
    let site = small_site("Alpha review");
    let mount = site.path().join("mnt");
    std::fs::create_dir(&mount).unwrap();
    let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"]).arg(&mount).output();
    if !mounted.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    }
    let _mounted = Mounted(mount.clone());
    let out = site.run(&["build", "--output", "mnt"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("refusing to write the site") && err.contains("mount point") && err.contains("mnt"), "{err}");
    assert!(!err.contains("disk is not full"), "{err}");
    assert!(names_in(&mount).is_empty(), "nothing was written into the mount point");
    assert!(names_in(site.path()).iter().all(|n| !n.starts_with("mnt.")), "no staging folder is left");
}

/// Issue 16, item 12: `--output link`, a symbolic link to an empty folder, was followed and
/// that folder replaced, losing its permissions. The link is refused as given.
#[cfg(unix)]
#[test]
fn a_symbolic_link_as_the_output_is_refused_and_its_folder_kept() {
    use std::os::unix::fs::PermissionsExt;
    let site = small_site("Alpha review");
    let shared = site.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o750)).unwrap();
    std::os::unix::fs::symlink(&shared, site.path().join("link")).unwrap();
    let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
    let before = inode(&shared);
    for given in ["link", "link/", "./link"] {
        let out = site.run(&["build", "--output", given]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "--output {given}: {err}");
        assert!(err.contains("symbolic link"), "{err}");
    }
    assert_eq!(inode(&shared), before, "the folder was replaced");
    assert_eq!(std::fs::metadata(&shared).unwrap().permissions().mode() & 0o777, 0o750);
    assert!(names_in(&shared).is_empty());
    assert!(std::fs::symlink_metadata(site.path().join("link")).unwrap().file_type().is_symlink());
}

/// Issue 16, item 8: a watched rebuild that could write only some of its files (a full disk)
/// left a mix of new and old pages. Now it writes every changed file aside first and puts
/// them in place only when all were written: a failure leaves the previous site whole, the
/// report says so, and the next rebuild brings the output up to date.
#[test]
fn a_watched_rebuild_that_cannot_write_every_file_changes_none() {
    use briefing::app::watch::Session;
    use briefing::{BuildOptions, Status};

    let site = small_site("Alpha review");
    let out = site.path().join("output");
    let mut session = Session::new(BuildOptions::new(site.path())).unwrap();
    assert_eq!(session.rebuild(&[]).status, Status::Ok);
    let before = snapshot(&out);

    // A folder where the new alpha page must first be written: writing it fails, as it would
    // on a full disk, while the home page and others are written.
    let blocker = out.join("briefings/alpha/.index.html.briefing-new");
    std::fs::create_dir(&blocker).unwrap();
    retitle(&site, "Alpha renamed");
    let report = session.rebuild(&[]);
    assert_eq!(report.status, Status::IoError, "{:#?}", report.diagnostics);
    assert!(snapshot(&out) == before, "a failed rebuild changed some files: {}", report.summary());
    assert!(report.summary().contains("left as it was"), "{}", report.summary());
    let stray: Vec<_> = walkdir::WalkDir::new(&out).into_iter().flatten().filter(|e| e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(".briefing-new")).collect();
    assert!(stray.is_empty(), "{stray:?}");

    std::fs::remove_dir(&blocker).unwrap();
    let report = session.rebuild(&[]);
    assert_eq!(report.status, Status::Ok, "{:#?}", report.diagnostics);
    let full = tempfile::tempdir().unwrap();
    let built = briefing::build(&BuildOptions { output: Some(full.path().join("out")), ..BuildOptions::new(site.path()) });
    assert_eq!(built.status, Status::Ok);
    assert!(snapshot(&out) == snapshot(&full.path().join("out")), "the next rebuild did not bring the output up to date");
}
