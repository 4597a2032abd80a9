//! A briefing's values of the site's facets (`age = "Adults"` when site.toml declares
//! `[facets.age]`): each must be one of the values the facet lists.

use std::collections::BTreeMap;

use toml::{Spanned, Value};

use super::briefing::Meta;
use crate::config::{Config, Facet};
use crate::core::diagnostics::did_you_mean;
use crate::core::text::normalise;
use crate::model::FacetValue;

/// The facet values the front matter gives, in the order site.toml declares the facets; an
/// error in `meta` for each value the facet does not list.
pub(super) fn values(meta: &mut Meta, config: &Config) -> Vec<FacetValue> {
    if config.facets.is_empty() {
        return Vec::new();
    }
    let toml = &meta.source.text[meta.parts.front_matter.clone()];
    // The front matter has been read once already: it is valid TOML.
    let Ok(table) = toml::from_str::<BTreeMap<String, Spanned<Value>>>(toml) else { return Vec::new() };
    let mut out = Vec::new();
    for (index, facet) in config.facets.iter().enumerate() {
        let Some(given) = table.get(&facet.key) else { continue };
        match given.get_ref() {
            Value::String(name) => match facet.find(name) {
                Some(value) => out.push(FacetValue { facet: index, value }),
                None => unknown_value(meta, facet, name, given.span()),
            },
            _ => meta.error_at(
                "unknown-facet-value",
                format!("`{}` must be one of its values, in double quotes", facet.key),
                given.span(),
                format!("write it like {} = \"{}\" (the values are set in site.toml)", facet.key, facet.values[0]),
            ),
        }
    }
    out
}

/// The error for a value the facet does not list, with the nearest one.
fn unknown_value(meta: &mut Meta, facet: &Facet, name: &str, span: std::ops::Range<usize>) {
    let folded: Vec<String> = facet.values.iter().map(|v| normalise(v)).collect();
    let near = did_you_mean(&normalise(name), folded.iter().map(String::as_str)).and_then(|n| folded.iter().position(|f| f == n));
    let listed = facet.values.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", ");
    let help = match near {
        Some(i) => format!("did you mean {} = \"{}\"? The values of {} are {listed}", facet.key, facet.values[i], facet.key),
        None => format!("use one of {listed}, or add the value to [facets.{}] in site.toml", facet.key),
    };
    meta.error_at("unknown-facet-value", format!("`{name}` is not a value of the facet `{}` ({})", facet.key, facet.title), span, help);
}
