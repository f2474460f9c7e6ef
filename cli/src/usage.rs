//! Usage errors: clap's message folded into one line on stderr,
//! `gan-theory: <problem> (see gan-theory ... --help)`, exit code 2. Help
//! and version are printed as clap prints them, to stdout.

use crate::input::escape_controls;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::io::{self, Write};
use std::process::ExitCode;

/// Prints help or version as clap does, or refuses a usage error in one
/// line: clap's message with its lists and tips folded into the line,
/// without the usage block that `--help` shows anyway. `command` is the
/// whole command line's definition, to name the subcommand whose `--help`
/// explains the error.
pub(crate) fn refuse(mut error: clap::Error, command: &clap::Command) -> ExitCode {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        error.exit();
    }
    error.remove(ContextKind::Usage);
    // What the user typed goes into the message: keep it on one line.
    let escaped: Vec<(ContextKind, ContextValue)> = error
        .context()
        .filter_map(|(kind, value)| Some((kind, escape_context(value)?)))
        .collect();
    for (kind, value) in escaped {
        error.insert(kind, value);
    }
    let message = one_line(&error.render().to_string());
    // If stderr itself is gone there is nobody left to tell.
    let _ = writeln!(
        io::stderr(),
        "gan-theory: {message} (see {} --help)",
        command_named(command)
    );
    ExitCode::from(2)
}

/// `value` with control characters escaped, when it holds text.
fn escape_context(value: &ContextValue) -> Option<ContextValue> {
    let escape = |text: &str| escape_controls(text).into_owned();
    Some(match value {
        ContextValue::String(text) => ContextValue::String(escape(text)),
        ContextValue::Strings(texts) => {
            ContextValue::Strings(texts.iter().map(|t| escape(t)).collect())
        }
        ContextValue::StyledStr(text) => ContextValue::StyledStr(escape(&text.to_string()).into()),
        ContextValue::StyledStrs(texts) => ContextValue::StyledStrs(
            texts
                .iter()
                .map(|t| escape(&t.to_string()).into())
                .collect(),
        ),
        _ => return None,
    })
}

/// Folds clap's rendering of an error (`error: <problem>`, indented list
/// items and `tip:` lines, then `For more information, ...`) into one line:
/// `<problem>: <item>, <item>; <tip>`.
fn one_line(rendered: &str) -> String {
    let mut lines = rendered.lines();
    let first = lines.next().unwrap_or_default();
    let mut message = first.strip_prefix("error: ").unwrap_or(first).to_string();
    for line in lines {
        let line = line.trim();
        if line.starts_with("For more information") || line.starts_with("Usage:") {
            break;
        }
        if line.is_empty() {
            continue;
        }
        if let Some(tip) = line.strip_prefix("tip: ") {
            message.push_str("; ");
            message.push_str(tip);
        } else {
            message.push_str(if message.ends_with(':') { " " } else { ", " });
            message.push_str(line);
        }
    }
    message
}

/// `gan-theory divergence` when the command line names a subcommand (the
/// first word that is not an option), else `gan-theory`: where `--help`
/// explains what went wrong.
fn command_named(command: &clap::Command) -> String {
    let first_word = std::env::args_os()
        .skip(1)
        .find(|arg| !arg.to_string_lossy().starts_with('-'));
    let subcommand = first_word.and_then(|word| {
        command
            .get_subcommands()
            .find(|s| *s.get_name() == *word)
            .map(|s| s.get_name().to_string())
    });
    match subcommand {
        Some(name) => format!("gan-theory {name}"),
        None => "gan-theory".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn clap_messages_fold_into_one_line() {
        let rendered = "error: the following required arguments were not provided:\n  --q <FILE>\n\n\
                        Usage: gan-theory divergence --p <FILE> --q <FILE>\n\n\
                        For more information, try '--help'.\n";
        assert_eq!(
            one_line(rendered),
            "the following required arguments were not provided: --q <FILE>"
        );
        let rendered = "error: unexpected argument '--jsn' found\n\n  tip: a similar argument exists: '--json'\n";
        assert_eq!(
            one_line(rendered),
            "unexpected argument '--jsn' found; a similar argument exists: '--json'"
        );
    }
}
