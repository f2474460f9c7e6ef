//! A proof's Markdown as HTML for the pages: formulas as MathML, links that
//! would leave the output folder reduced to their text, and the hidden
//! lines of Rust examples (`# ...`, as rustdoc hides them) left out.

use crate::math::{markdown_options, tex_to_mathml};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, html};

/// The HTML of a proof, and what could not be typeset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The proof's title: the plain text of its first level-1 heading
    /// (formulas as their TeX), for the page's `<title>`.
    pub title: Option<String>,
    /// The same title as HTML (formulas as MathML). The heading itself is
    /// left out of `html`: the page shows it as its own heading.
    pub title_html: String,
    /// The body.
    pub html: String,
    /// Formulas that could not be typeset, with the reason; each shows on
    /// the page as its TeX source in a marked code span.
    pub errors: Vec<String>,
}

/// Renders `markdown` (a proof) as HTML.
pub fn render(markdown: &str) -> Rendered {
    let mut errors = Vec::new();
    let mut title: Option<String> = None;
    let mut in_title = false;
    let mut rust_block = false;
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut title_events: Vec<Event<'_>> = Vec::new();
    for event in Parser::new_ext(markdown, markdown_options()) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) if title.is_none() => {
                in_title = true;
                title = Some(String::new());
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) if in_title => in_title = false,
            _ if in_title => {
                if let (Some(t), Event::Text(text) | Event::Code(text) | Event::InlineMath(text)) =
                    (title.as_mut(), &event)
                {
                    t.push_str(text);
                }
                match event {
                    Event::InlineMath(tex) => {
                        title_events.push(math_event(&tex, false, &mut errors));
                    }
                    Event::Start(Tag::Link { .. }) | Event::End(TagEnd::Link) => {}
                    other => title_events.push(other),
                }
            }
            Event::InlineMath(tex) => events.push(math_event(&tex, false, &mut errors)),
            Event::DisplayMath(tex) => events.push(math_event(&tex, true, &mut errors)),
            // A link or an image would lead out of the page's folder (to a
            // file of the repository or the web): keep its text only.
            Event::Start(Tag::Link { .. } | Tag::Image { .. })
            | Event::End(TagEnd::Link | TagEnd::Image) => {}
            Event::Start(Tag::CodeBlock(kind)) => {
                rust_block = match &kind {
                    CodeBlockKind::Fenced(info) => {
                        let lang = info.split([',', ' ']).next().unwrap_or("");
                        lang.is_empty() || lang == "rust"
                    }
                    CodeBlockKind::Indented => false,
                };
                events.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                rust_block = false;
                events.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Text(text) if rust_block => events.push(Event::Text(visible_lines(&text))),
            Event::Text(text) if !in_code_block(&events) && text.contains('$') => {
                // A `$` the math extension did not pair (`$x = $`: a closing
                // `$` after a space closes nothing) would show as raw TeX.
                errors.push(format!("a `$` that opens no formula: {}", text.trim()));
                events.push(Event::Text(text));
            }
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(markdown.len() * 4);
    html::push_html(&mut out, events.into_iter());
    let mut title_html = String::new();
    html::push_html(&mut title_html, title_events.into_iter());
    Rendered {
        title,
        title_html,
        html: out,
        errors,
    }
}

fn math_event<'a>(tex: &str, display: bool, errors: &mut Vec<String>) -> Event<'a> {
    match tex_to_mathml(tex, display) {
        Ok(mathml) => Event::InlineHtml(CowStr::from(mathml)),
        Err(error) => {
            errors.push(error);
            Event::InlineHtml(CowStr::from(format!(
                "<code class=\"tex-error\">{}</code>",
                crate::math::escape_text(tex)
            )))
        }
    }
}

/// Whether the events so far leave a code block open.
fn in_code_block(events: &[Event<'_>]) -> bool {
    let opened = events
        .iter()
        .filter(|e| matches!(e, Event::Start(Tag::CodeBlock(_))))
        .count();
    let closed = events
        .iter()
        .filter(|e| matches!(e, Event::End(TagEnd::CodeBlock)))
        .count();
    opened > closed
}

/// A Rust example without the lines rustdoc hides (`# use ...;`, `#`).
fn visible_lines(text: &str) -> CowStr<'static> {
    let kept: String = text
        .split_inclusive('\n')
        .filter(|line| {
            let trimmed = line.trim_start();
            !(trimmed.starts_with("# ") || trimmed.trim_end() == "#")
        })
        .collect();
    CowStr::from(kept)
}
