//! Where things are: the folders and files of a site, the names `briefing` never reads, and
//! the address of each kind of page in the output. Every page URL is built here, relative to
//! the site root; templates prefix it with `root`, the way back to the root from the page
//! being rendered (`""`, `"../../"`), so that every link is relative and the site works under
//! any sub-path and from disk.

/// The site's settings file, in the site folder.
pub const CONFIG_FILE: &str = "site.toml";
pub const BRIEFINGS_DIR: &str = "briefings";
pub const THEMES_DIR: &str = "themes";
/// The site's own templates, which replace the built-in ones of the same name.
pub const TEMPLATES_DIR: &str = "templates";
/// Training packs, one `.toml` file each.
pub const PACKS_DIR: &str = "packs";

/// Names that editors and operating systems leave behind: hidden files, swap, backup and
/// temporary files. They are never sources and never trigger a rebuild.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.contains("___jb_tmp___")
        || name.contains("___jb_old___")
}

/// The folder of a briefing's page, where its attachments and handouts go beside it.
pub fn briefing_folder(slug: &str) -> String {
    format!("briefings/{slug}/")
}

pub fn briefing_url(slug: &str) -> String {
    format!("{}index.html", briefing_folder(slug))
}

pub fn theme_url(slug: &str) -> String {
    format!("themes/{slug}/index.html")
}

/// The folder of a training pack's page, with its PDF (`<slug>.pdf`) beside it.
pub fn pack_folder(slug: &str) -> String {
    format!("{PACKS_DIR}/{slug}/")
}

/// A training pack's page.
pub fn pack_url(slug: &str) -> String {
    format!("{}index.html", pack_folder(slug))
}

/// The search page.
pub const SEARCH_URL: &str = "search/index.html";

/// The A to Z of themes.
pub const THEME_INDEX_URL: &str = "themes/index.html";

/// The listing of one format, by the format's slug.
pub fn format_url(format: &str) -> String {
    format!("formats/{format}/index.html")
}

pub fn year_url(year: i32) -> String {
    format!("years/{year}/index.html")
}

/// The full briefing's web address as a handout prints it: absolute with the site's
/// `base_url`, else relative to the site root.
pub fn briefing_address(base_url: Option<&str>, slug: &str) -> String {
    match base_url {
        Some(base) => format!("{base}briefings/{slug}/"),
        None => briefing_url(slug),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_droppings_are_ignored() {
        for name in [".child.md.swp", "child.md~", "#child.md#", ".#child.md", "child.md.tmp", "child.md___jb_tmp___"] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("child.md"));
    }
}
