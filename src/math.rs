//! TeX math to MathML, for the proofs' `$...$` and `$$...$$`.
//!
//! Shared by the build script (which pre-renders the math of the proofs and
//! of README for rustdoc, so that the API docs show formulas without a
//! network or a script) and by the report's pages (feature `report`). Both
//! read Markdown with pulldown-cmark's math extension and hand each formula
//! to pulldown-latex, whose MathML every current browser renders natively.
//! The TeX source rides along as a MathML annotation, which browsers do not
//! display.

use pulldown_cmark::{Event, Options, Parser};
use pulldown_latex::config::DisplayMode;
use pulldown_latex::{RenderConfig, Storage, push_mathml};

/// The Markdown extensions the proofs are written with: math, tables,
/// strikethrough, footnotes.
pub fn markdown_options() -> Options {
    Options::ENABLE_MATH
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
}

/// One formula as MathML: a `<math>` element, `display="block"` when
/// `display`, with the TeX as its annotation.
///
/// # Errors
/// The first error pulldown-latex reports (an unknown command, an unclosed
/// group), as text.
pub fn tex_to_mathml(tex: &str, display: bool) -> Result<String, String> {
    let tex = tex.trim();
    let storage = Storage::new();
    let source = operator_names(tex);
    let events: Vec<_> = pulldown_latex::Parser::new(&source, &storage).collect();
    if let Some(Err(error)) = events.iter().find(|e| e.is_err()) {
        return Err(format!("cannot typeset `{tex}`: {error}"));
    }
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: None,
        ..RenderConfig::default()
    };
    let mut rendered = String::new();
    push_mathml(&mut rendered, events.into_iter(), config)
        .map_err(|e| format!("cannot typeset `{tex}`: {e}"))?;
    // pulldown-latex writes `\ ` (a control space) as an escaped "&nbsp;".
    let rendered = well_formed(&rendered.replace('\n', " ")).replace("&amp;nbsp;", "&#160;");
    if let Some(command) = unrendered_command(&rendered) {
        return Err(format!(
            "cannot typeset `{tex}`: pulldown-latex left `{command}` as text"
        ));
    }
    // <math ...>BODY</math> -> <math ...><semantics><mrow>BODY</mrow><annotation>TeX</annotation></semantics></math>
    let (Some(open_end), Some(close)) = (rendered.find('>'), rendered.rfind("</math>")) else {
        return Err(format!("cannot typeset `{tex}`: no <math> element"));
    };
    let (open, body) = (&rendered[..=open_end], &rendered[open_end + 1..close]);
    Ok(format!(
        "{open}<semantics><mrow>{body}</mrow><annotation encoding=\"application/x-tex\">{}</annotation></semantics></math>",
        escape_text(tex)
    ))
}

/// `tex` with `\mathop{ARG}\nolimits` (an operator name with its limits at
/// the side) spelled as pulldown-latex understands it: it would print ARG
/// verbatim. `\mathop{\mathrm{Cov}}\nolimits` becomes `\operatorname{Cov}`,
/// any other ARG (`\mathbb{E}`) a group `{ARG}`.
fn operator_names(tex: &str) -> String {
    const OPEN: &str = "\\mathop{";
    let mut out = String::with_capacity(tex.len());
    let mut rest = tex;
    while let Some(at) = rest.find(OPEN) {
        let inner = &rest[at + OPEN.len()..];
        let Some(length) = group_length(inner) else {
            break;
        };
        let Some(after) = inner[length + 1..].strip_prefix("\\nolimits") else {
            out.push_str(&rest[..at + OPEN.len()]);
            rest = inner;
            continue;
        };
        let argument = &inner[..length];
        out.push_str(&rest[..at]);
        match argument
            .strip_prefix("\\mathrm{")
            .and_then(|name| name.strip_suffix('}'))
            .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric()))
        {
            Some(name) => out.push_str(&format!("\\operatorname{{{name}}}")),
            None => out.push_str(&format!("{{{argument}}}")),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The length of a brace group's content: `text` starts just after its `{`.
fn group_length(text: &str) -> Option<usize> {
    let mut depth = 1usize;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A TeX command (`\mathrm`) in the text of rendered MathML: a formula
/// pulldown-latex passed through instead of typesetting it.
fn unrendered_command(mathml: &str) -> Option<String> {
    let mut in_tag = false;
    let mut chars = mathml.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            '\\' if !in_tag && chars.peek().is_some_and(|(_, n)| n.is_ascii_alphabetic()) => {
                let name: String = mathml[i + 1..]
                    .chars()
                    .take_while(char::is_ascii_alphabetic)
                    .collect();
                return Some(format!("\\{name}"));
            }
            _ => {}
        }
    }
    None
}

/// `text` as HTML text: `&`, `<` and `>` escaped.
pub fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// MathML as pulldown-latex writes it, made well formed: the `<`, `>` and
/// `&` of its text escaped (the operator `<` comes out as `<mo><</mo>`; a
/// `<` opens a tag only when a letter or `/` follows), and attributes
/// separated by a space.
fn well_formed(mathml: &str) -> String {
    let mut out = String::with_capacity(mathml.len() + 16);
    let (mut in_tag, mut in_value) = (false, false);
    let bytes = mathml.as_bytes();
    for (i, c) in mathml.char_indices() {
        if in_tag {
            out.push(c);
            if c == '"' {
                in_value = !in_value;
                // pulldown-latex can write `stretchy="true"minsize=...`.
                if !in_value && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
                    out.push(' ');
                }
            }
            in_tag = in_value || c != '>';
            continue;
        }
        match c {
            '<' if bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/') =>
            {
                in_tag = true;
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if is_entity(&mathml[i..]) => out.push(c),
            '&' => out.push_str("&amp;"),
            _ => out.push(c),
        }
    }
    out
}

/// Whether `text` starts with a character reference (`&lt;`, `&#42;`, `&#x2a;`).
fn is_entity(text: &str) -> bool {
    let Some(end) = text.find(';') else {
        return false;
    };
    let name = &text[1..end];
    !name.is_empty()
        && (name.chars().all(|c| c.is_ascii_alphanumeric())
            || name
                .strip_prefix('#')
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric())))
}

/// `markdown` with every formula replaced by its MathML, written so that a
/// second Markdown reader (rustdoc's) passes it through untouched: the
/// MathML is on one line and every ASCII punctuation character of its text
/// is a character reference, so that no `*`, `_`, `'` or `\` in a formula
/// becomes emphasis, a curly quote or an escape.
///
/// # Errors
/// The first formula that cannot be typeset.
#[allow(dead_code)] // The build script's; the report renders through pulldown-cmark's HTML writer.
pub fn prerender_math(markdown: &str) -> Result<String, String> {
    let mut out = String::with_capacity(markdown.len() * 3);
    let mut copied = 0;
    for (event, range) in Parser::new_ext(markdown, markdown_options()).into_offset_iter() {
        let (tex, display) = match &event {
            Event::InlineMath(tex) => (tex, false),
            Event::DisplayMath(tex) => (tex, true),
            _ => continue,
        };
        out.push_str(&markdown[copied..range.start]);
        out.push_str(&inert(&tex_to_mathml(tex, display)?));
        copied = range.end;
    }
    out.push_str(&markdown[copied..]);
    Ok(out)
}

/// MathML whose text holds no character a Markdown reader would act on:
/// tags are kept, entities are kept, every other ASCII punctuation character
/// becomes `&#N;`.
fn inert(mathml: &str) -> String {
    let mut out = String::with_capacity(mathml.len() + mathml.len() / 4);
    let mut chars = mathml.chars();
    let mut in_tag = false;
    while let Some(c) = chars.next() {
        if in_tag {
            in_tag = c != '>';
            out.push(c);
        } else if c == '<' {
            in_tag = true;
            out.push(c);
        } else if c == '&' {
            // An entity (well_formed wrote every `&` of the text as one): keep it whole.
            out.push(c);
            for next in chars.by_ref() {
                out.push(next);
                if next == ';' {
                    break;
                }
            }
        } else if c.is_ascii_punctuation() {
            out.push_str(&format!("&#{};", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// The style rules the MathML needs beyond a browser's defaults: the
/// alignment of `aligned`, `cases` and matrix columns, and wide formulas
/// scrolling instead of overflowing a narrow screen. Adapted from the
/// stylesheet that pulldown-latex ships (MIT licence).
pub const MATH_CSS: &str = "\
math[display=\"block\"]{display:block math;overflow-x:auto;overflow-y:hidden;margin:.6em 0;padding:.1em 0}
mtd{padding-left:0;padding-right:0}
mtable{border-spacing:0;border-collapse:collapse}
mtable.menv-alignlike>mtr>mtd:nth-child(odd),mtable.menv-cells-right>mtr>mtd,mtd.cell-right{text-align:right;text-align:-webkit-right}
mtable.menv-alignlike>mtr>mtd:nth-child(even),mtable.menv-cells-left>mtr>mtd,mtd.cell-left{text-align:left;text-align:-webkit-left}
mtable.menv-align>mtr>mtd:nth-child(2n+3){padding-left:1em}
mtable.menv-cases>mtr>mtd:first-child{padding-right:1em}
mtable.menv-arraylike>mtr>mtd{padding-left:.4em;padding-right:.4em}
mtable.menv-matrix>mtr>mtd:first-child{padding-left:0}
mtable.menv-matrix>mtr>mtd:last-child{padding-right:0}
mo.small{font-size:70%}
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_names_are_spelled_for_pulldown_latex() {
        assert_eq!(
            operator_names(
                r"2 \mathop{\mathrm{JSD}}\nolimits_T + \mathop{\mathbb{E}}\nolimits_y x"
            ),
            r"2 \operatorname{JSD}_T + {\mathbb{E}}_y x"
        );
        assert_eq!(operator_names(r"\mathop{x}_T"), r"\mathop{x}_T");
        assert_eq!(operator_names(r"\mathop{\frac{a}{b"), r"\mathop{\frac{a}{b");
        let mathml = tex_to_mathml(r"\mathop{\mathrm{Cov}}\nolimits(x)", false).unwrap();
        let shown = mathml.split("<annotation").next().unwrap_or("");
        assert!(unrendered_command(shown).is_none(), "{mathml}");
        assert!(mathml.contains("<mi>Cov</mi>"), "{mathml}");
    }

    #[test]
    fn a_command_left_as_text_is_an_error() {
        assert_eq!(
            unrendered_command("<math><mi>\\mathrm{X}</mi></math>").as_deref(),
            Some("\\mathrm")
        );
        assert_eq!(unrendered_command("<math><mi>x</mi></math>"), None);
    }

    #[test]
    fn the_markup_is_well_formed() {
        let mathml = tex_to_mathml(r"a < b \lt c > d \& e \bigl[ x \bigr]", false).unwrap();
        assert!(mathml.contains("<mo>&lt;</mo>"), "{mathml}");
        assert!(!mathml.contains("\"true\"minsize"), "{mathml}");
        assert!(mathml.contains("a &lt; b"), "the annotation: {mathml}");
        let space = tex_to_mathml(r"a \ b", false).unwrap();
        assert!(space.contains("<mtext>&#160;</mtext>"), "{space}");
    }
}
