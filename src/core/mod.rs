//! The bottom of the crate, used by every stage and using none: diagnostics and the codes of
//! the checks, text and word helpers, paths and page addresses, the hash, dates, TOML read
//! with diagnostics that point into the file, and reading site files without following links.

pub mod codes;
pub mod dates;
pub mod diagnostics;
pub mod files;
pub(crate) mod hash;
pub(crate) mod paths;
pub mod text;
pub(crate) mod toml_doc;
pub(crate) mod toml_help;
pub(crate) mod words;
