//! Small themes and briefings for the cross-reference's unit tests.

use crate::core::diagnostics::Span;
use crate::model::{Bodies, Briefing, Format, Prose, Section, Theme, ThemeName};
use crate::parse::ParsedBriefing;

pub fn name(name: &str) -> ThemeName {
    ThemeName { name: name.to_string(), span: Span::locate(name, 0..name.len()) }
}

pub fn theme(slug: &str, title: &str, aliases: &[&str]) -> Theme {
    Theme {
        slug: slug.to_string(),
        title: title.to_string(),
        title_span: None,
        aliases: aliases.iter().map(|a| name(a)).collect(),
        related: Vec::new(),
        description: String::new(),
        links: Vec::new(),
        external_links: Vec::new(),
        source: Some(format!("themes/{slug}.md").into()),
    }
}

/// A briefing with an introduction and one section per `(title, text)`: the model of it and
/// its prose (its HTML is left empty).
pub fn parsed(slug: &str, themes: &[&str], intro: &str, sections: &[(&str, &str)]) -> ParsedBriefing {
    let model_sections: Vec<Section> = sections
        .iter()
        .enumerate()
        .map(|(i, (title, text))| Section {
            number: i + 1,
            title: title.to_string(),
            anchor: crate::core::text::suggest_slug(title),
            blank: text.is_empty(),
            subheadings: Vec::new(),
            line: 1,
            heading: Span::locate(title, 0..title.len()),
            words: crate::core::words::count(text),
        })
        .collect();
    let briefing = Briefing {
        slug: slug.to_string(),
        source: format!("briefings/{slug}.md").into(),
        bundle: None,
        title: slug.to_uppercase(),
        format: Format::SevenMinute,
        partnership: String::new(),
        published: time::macros::date!(2024 - 01 - 01),
        updated: None,
        review_due: None,
        facets: Vec::new(),
        audience: None,
        summary: None,
        theme_names: themes.iter().map(|t| name(t)).collect(),
        themes: themes.iter().map(|t| t.to_string()).collect(),
        draft: false,
        print: Vec::new(),
        action_plan: false,
        sections: model_sections,
        links: Vec::new(),
        external_links: Vec::new(),
        attachments: Vec::new(),
        words: 0,
        search: Default::default(),
        allow: Vec::new(),
        spans: Default::default(),
        fingerprint: 0,
        made_from: 0,
    };
    let prose = Prose { intro: intro.to_string(), sections: sections.iter().map(|(_, text)| text.to_string()).collect() };
    let bodies = Bodies { sections: vec![Default::default(); sections.len()], ..Default::default() };
    ParsedBriefing { briefing, bodies: bodies.into(), prose }
}

/// The model of `parsed(...)`.
pub fn briefing(slug: &str, themes: &[&str], intro: &str, sections: &[(&str, &str)]) -> Briefing {
    parsed(slug, themes, intro, sections).briefing
}
