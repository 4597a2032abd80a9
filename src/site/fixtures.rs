//! Small themes and briefings for the cross-reference's unit tests.

use crate::core::diagnostics::Span;
use crate::model::{Body, Briefing, Format, Section, Theme, ThemeName};

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
        description: Body::default(),
        links: Vec::new(),
        external_links: Vec::new(),
        source: Some(format!("themes/{slug}.md").into()),
    }
}

/// A briefing with an introduction and one section per `(title, text)`.
pub fn briefing(slug: &str, themes: &[&str], intro: &str, sections: &[(&str, &str)]) -> Briefing {
    let body = |text: &str| Body::new(String::new(), text.to_string(), &[]);
    let sections: Vec<Section> = sections
        .iter()
        .enumerate()
        .map(|(i, (title, text))| Section {
            number: i + 1,
            title: title.to_string(),
            anchor: crate::core::text::suggest_slug(title),
            body: body(text),
            subheadings: Vec::new(),
            line: 1,
            heading: Span::locate(title, 0..title.len()),
            words: crate::core::words::count(text),
        })
        .collect();
    Briefing {
        slug: slug.to_string(),
        source: format!("briefings/{slug}.md").into(),
        bundle: None,
        title: slug.to_uppercase(),
        format: Format::SevenMinute,
        partnership: String::new(),
        published: time::macros::date!(2024 - 01 - 01),
        updated: None,
        review_due: None,
        audience: None,
        summary: None,
        theme_names: themes.iter().map(|t| name(t)).collect(),
        themes: themes.iter().map(|t| t.to_string()).collect(),
        draft: false,
        print: Vec::new(),
        intro: body(intro),
        sections: sections.into(),
        footnotes: Default::default(),
        links: Default::default(),
        external_links: Default::default(),
        attachments: Default::default(),
        words: 0,
        allow: Vec::new(),
        spans: Default::default(),
        fingerprint: 0,
    }
}
