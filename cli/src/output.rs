//! What every command shares for its output: why a command stops and how
//! that is told, writing and flushing stdout, numbers in JSON and in short
//! text, and plain tables (drawn by `comfy-table`).

use comfy_table::{ColumnConstraint, Table, Width, presets};
use gan_theory::claims;
use serde::{Serialize, Serializer};
use std::io::{self, Write};
use std::process::ExitCode;

/// Why a command stopped.
pub(crate) enum Failure {
    /// Bad input: one line on stderr, exit code 2.
    Input(String),
    /// Writing the output failed for another reason than a closed pipe.
    Output(io::Error),
    /// A computation failed on valid input (a solver's iteration cap or a
    /// failed certificate): one line on stderr, exit code 1.
    Computation(String),
}

impl Failure {
    /// Tells the failure on stderr, in one line, and returns its exit code.
    pub(crate) fn report(self) -> ExitCode {
        // If stderr itself is gone there is nobody left to tell.
        let mut stderr = io::stderr();
        match self {
            Failure::Input(message) => {
                let _ = writeln!(stderr, "gan-theory: {message}");
                ExitCode::from(2)
            }
            Failure::Output(error) => {
                let _ = writeln!(stderr, "gan-theory: cannot write the output: {error}");
                ExitCode::FAILURE
            }
            Failure::Computation(message) => {
                let _ = writeln!(stderr, "gan-theory: {message}");
                ExitCode::FAILURE
            }
        }
    }
}

/// Writes the output with `write` and flushes it. A reader that closed the
/// pipe early (`gan-theory verify | head -1`) is not an error: the command
/// ends quietly with the exit code it had earned.
pub(crate) fn emit<W: Write>(
    out: &mut W,
    code: ExitCode,
    write: impl FnOnce(&mut W) -> io::Result<()>,
) -> Result<ExitCode, Failure> {
    match write(out).and_then(|()| out.flush()) {
        Ok(()) => Ok(code),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(code),
        Err(error) => Err(Failure::Output(error)),
    }
}

/// Writes `rows` under `header` in left-aligned columns two spaces apart,
/// without borders, each row on one line (cells are not wrapped).
pub(crate) fn write_table(
    out: &mut impl Write,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> io::Result<()> {
    write_wrapped_table(out, header, &[], rows)
}

/// As [`write_table`], but a cell wider than its column's entry in
/// `max_widths` (missing or `None`: no limit) wraps onto further lines.
pub(crate) fn write_wrapped_table(
    out: &mut impl Write,
    header: &[&str],
    max_widths: &[Option<u16>],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> io::Result<()> {
    let mut table = Table::new();
    table.load_style(presets::NOTHING);
    table.set_header(header.to_vec());
    table.add_rows(rows);
    for (i, column) in table.column_iter_mut().enumerate() {
        column.set_padding((0, 2));
        if let Some(&Some(width)) = max_widths.get(i) {
            // The bound counts the padding.
            column.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(width + 2)));
        }
    }
    writeln!(out, "{}", table.trim_fmt())
}

/// `singular` for 1, else `plural`.
pub(crate) fn plural(n: usize, singular: &'static str, plural: &'static str) -> &'static str {
    if n == 1 { singular } else { plural }
}

/// An `f64` as JSON: a number, or "inf", "-inf", "nan".
pub(crate) fn number<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    claims::json_number(*x).serialize(s)
}

/// Numbers as JSON, `null` for `None`.
pub(crate) fn numbers_or_null<S: Serializer>(
    values: &[Option<f64>],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_seq(values.iter().map(|v| v.map(claims::json_number)))
}

/// `Some(x)` as a JSON number (see [`number`]), `None` as `null`.
pub(crate) fn optional_number<S: Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    x.map(claims::json_number).serialize(s)
}

/// A number in a few significant digits for a table meant to be read (the
/// JSON output carries every digit): six significant digits between 1e-3
/// and 1e5, else four in scientific notation, trailing zeros dropped.
pub(crate) fn short(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return x.to_string();
    }
    if (1e-3..1e5).contains(&x.abs()) {
        let magnitude = x.abs().log10().floor() as i32; // -3 ..= 4
        let decimals = (5 - magnitude).max(0) as usize;
        let fixed = format!("{x:.decimals$}");
        fixed
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        // 4 significant digits, without trailing zeros: 5e-5, 2.653e-5.
        let scientific = format!("{x:.3e}");
        let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        format!("{mantissa}e{exponent}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers() {
        assert_eq!(short(std::f64::consts::LN_2), "0.693147");
        assert_eq!(short(1.0), "1");
        assert_eq!(short(2.6534e-5), "2.653e-5");
        assert_eq!(short(5e-5), "5e-5");
        assert_eq!(short(f64::INFINITY), "inf");
        assert_eq!(short(-12345.678), "-12345.7");
    }

    #[test]
    fn tables_are_plain_columns() {
        let mut out = Vec::new();
        write_table(
            &mut out,
            &["a", "long header"],
            [
                vec!["x".to_string(), "1".to_string()],
                vec!["yyyy".to_string(), "22".to_string()],
            ],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a     long header\nx     1\nyyyy  22\n"
        );
        let mut out = Vec::new();
        write_wrapped_table(
            &mut out,
            &["id", "text"],
            &[None, Some(9)],
            [vec!["A1".to_string(), "one two three four".to_string()]],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "id  text\nA1  one two\n    three\n    four\n"
        );
    }
}
