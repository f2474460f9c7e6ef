//! Reading vectors from text, keeping where every entry was written so that
//! an error message can point at it.
//!
//! A vector file holds numbers in one of two forms:
//!
//! - **plain text**: one number per line, or all the numbers on a single
//!   line separated by commas or whitespace (`0.1, 0.2, 0.7`,
//!   `0.1 0.2 0.7`). A file of several lines one of which holds two or more
//!   numbers looks like a table (a CSV of index and count, say) and is
//!   refused with [`ParseError::SeveralColumns`], naming the line: which
//!   column is meant is for the user to say, with [`parse_column`] (the
//!   command line's `--column K`). A comma must stand between two numbers:
//!   `1,,2`, a leading and a trailing comma are refused as an empty entry.
//! - **JSON**: one array of numbers, `[0.1, 0.2, 0.7]`, possibly over several
//!   lines. Nested arrays are refused (a vector is flat). A number may be
//!   written as a JSON string: that is how this crate writes non-finite
//!   values (`"inf"`, `"-inf"`, `"nan"`, see `gan_theory::claims::json_number`),
//!   so its own output reads back.
//!
//! A number is anything Rust's `f64` parser accepts: decimal or scientific
//! notation (`0.25`, `2.5e-1`, `.5`), `inf`, `-inf`, `infinity` and `nan` in
//! any case. Non-finite and negative values are *read*, not refused: the
//! validation that follows (for example `Discrete::new`)
//! refuses them with the index of the entry, and [`Entries::position`] turns
//! that index into a line and column. A number too large for `f64`
//! (`1e400`) reads as infinity and is refused the same way.
//!
//! Indices count from 0, as in the library's `Error::index`, the `--json`
//! outputs and `emd`'s plan; lines and columns of the text count from 1, as
//! editors count them. Messages say which is which: `index 1 (line 1,
//! column 6)` is the second number of a vector, written at line 1, column 6.
//!
//! Text is UTF-8, with or without a byte-order mark; UTF-16 with a byte-order
//! mark (what Windows PowerShell's `>` writes) is decoded as well. Unix,
//! Windows and old Mac line endings (`\n`, `\r\n`, `\r`) are all fine. Lines
//! and columns count from 1, columns in characters.
//!
//! Input larger than [`MAX_INPUT_BYTES`] (1 GiB) is refused, and reading
//! stops at the first NUL byte of a file that is not UTF-16, so that binary
//! data or a stream like `/dev/zero` is refused at once instead of filling
//! the memory.
//!
//! A **column** of a table ([`parse_column`], [`read_column`]) is read from
//! a matrix file (below): column `k`, counted from 0, of every row, so that
//! `0,3\n1,5\n2,2\n` read at column 1 is the vector `3, 5, 2`. Positions in
//! errors are those of the file (index `i` of the vector is row `i`).
//!
//! A **matrix** file ([`parse_matrix`], [`read_matrix`]) holds one row per
//! line, its numbers separated by commas or whitespace (blank lines are
//! skipped), or one JSON array of arrays, `[[0, 1], [1, 0]]`. Every row has
//! the length of the first; a ragged row is refused with its index (from 0)
//! and line. A point cloud (one point per row) is read the same way. Errors
//! inside a row name the entry by its row and its index within the row, both
//! from 0, as `emd` names a plan entry (i, j):
//! `index (1, 2) (line 2, column 5): "x" is not a number` is the third number
//! of the second row.
//!
//! Reading is one pass over the text, linear in its length, so files of
//! millions of numbers are fine.

use std::borrow::Cow;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The most bytes [`Source::read_text`] reads: 1 GiB, which holds a hundred
/// million numbers or more; larger input is refused with
/// [`ParseError::Unreadable`] rather than exhausting the memory.
pub const MAX_INPUT_BYTES: usize = 1 << 30;

/// Where an entry was written: its index in the vector, counted from 0 (as
/// [`gan_theory::Error::index`]), and its line and column, counted from 1 (as
/// editors count them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// The entry's index in the vector, from 0.
    pub index: usize,
    /// The line it starts on, from 1.
    pub line: usize,
    /// The column (in characters) it starts at, from 1.
    pub column: usize,
}

impl Position {
    fn new(index: usize, at: LineColumn) -> Self {
        Self {
            index,
            line: at.line,
            column: at.column,
        }
    }
}

impl fmt::Display for Position {
    /// `index 2 (line 2, column 5)`: the third entry, written at line 2, column 5.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "index {} (line {}, column {})",
            self.index, self.line, self.column
        )
    }
}

/// A place in a text that is not (or not yet) an entry, such as a stray
/// bracket in JSON: line and column, counted from 1, the column in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineColumn {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

impl LineColumn {
    /// The start of a text.
    const START: Self = Self { line: 1, column: 1 };

    /// Moves past `byte` of UTF-8 text, `previous` being the byte before it
    /// (0 at the start): `\n`, `\r\n` and a lone `\r` (old Mac files) each
    /// start a new line, and the column advances once per character (on its
    /// first byte).
    #[inline]
    fn advance(&mut self, previous: u8, byte: u8) {
        match byte {
            // The line already began at the '\r' of this "\r\n".
            b'\n' if previous == b'\r' => {}
            b'\n' | b'\r' => {
                self.line += 1;
                self.column = 1;
            }
            _ if byte & 0xC0 != 0x80 => self.column += 1,
            _ => {}
        }
    }
}

impl fmt::Display for LineColumn {
    /// `line 2, column 5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// Why a text could not be read as a vector.
///
/// `Display` gives the position (when there is one) and the problem, as in
/// `index 2 (line 2, column 5): "0.2x" is not a number`; a caller puts the
/// file's name in front.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseError {
    /// The file (or standard input) could not be read.
    Unreadable {
        /// Why, in a few words ("no such file", "is a directory", ...).
        reason: String,
    },
    /// The bytes are not text in a supported encoding.
    NotText {
        /// Where the first offending byte is.
        at: LineColumn,
        /// What is wrong with it.
        detail: String,
    },
    /// The text holds no number at all (empty, blank, or `[]`).
    Empty,
    /// A token is not a number.
    NotANumber {
        /// The entry the token would have been.
        at: Position,
        /// The token, shortened to its first [`TOKEN_SHOWN`] characters.
        token: String,
    },
    /// Nothing between two commas, or a comma before the first or after the last number.
    EmptyEntry {
        /// The empty entry's index and the place of the comma that ends (or begins) it.
        at: Position,
    },
    /// The text starts like JSON but is not a well-formed array of numbers.
    MalformedJson {
        /// Where the problem was noticed.
        at: LineColumn,
        /// What was expected and what was found.
        problem: String,
    },
    /// A JSON array inside the array: a vector is one flat array.
    NestedArray {
        /// The entry the inner array stands in place of.
        at: Position,
    },
    /// A problem inside one row of a matrix: `error`'s position holds the
    /// entry's index within the row (from 0).
    InRow {
        /// The row, from 0.
        row: usize,
        /// The problem, with its place in the row.
        error: Box<ParseError>,
    },
    /// A matrix row whose length differs from the first row's.
    RaggedRow {
        /// The row, from 0.
        row: usize,
        /// Where the row starts.
        at: LineColumn,
        /// Its number of entries.
        found: usize,
        /// The first row's number of entries.
        expected: usize,
    },
    /// A JSON matrix holds a number where a row (an inner array) must stand.
    NotARow {
        /// The row, from 0.
        row: usize,
        /// Where the number is.
        at: LineColumn,
    },
    /// A plain-text vector of several lines, one of which holds two or more
    /// numbers: a table, whose column must be chosen ([`parse_column`]).
    SeveralColumns {
        /// The first line holding more than one number, from 1.
        line: usize,
        /// How many numbers it holds.
        columns: usize,
    },
    /// [`parse_column`] was asked for a column the rows do not have.
    NoSuchColumn {
        /// The column asked for, from 0.
        column: usize,
        /// How many columns every row has.
        columns: usize,
    },
}

/// How many characters of a bad token an error message repeats.
pub const TOKEN_SHOWN: usize = 40;

impl ParseError {
    /// Where the problem is, as text (`index 1 (line 1, column 3)`,
    /// `index (0, 1) (line 1, column 3)` in a matrix, `row 2 (line 3,
    /// column 1)` or `line 4, column 1`); `None` when it concerns the whole
    /// input. Indices and rows count from 0, lines and columns from 1.
    pub fn position(&self) -> Option<String> {
        match self {
            ParseError::Unreadable { .. } | ParseError::Empty | ParseError::NoSuchColumn { .. } => {
                None
            }
            ParseError::SeveralColumns { line, .. } => Some(format!("line {line}")),
            ParseError::NotText { at, .. } | ParseError::MalformedJson { at, .. } => {
                Some(at.to_string())
            }
            ParseError::NotANumber { at, .. }
            | ParseError::EmptyEntry { at }
            | ParseError::NestedArray { at } => Some(at.to_string()),
            ParseError::InRow { row, error } => Some(match error.entry_position() {
                Some(at) => MatrixPosition::in_row(*row, at).to_string(),
                None => match error.position() {
                    Some(inner) => format!("row {row}, {inner}"),
                    None => format!("row {row}"),
                },
            }),
            ParseError::RaggedRow { row, at, .. } | ParseError::NotARow { row, at } => {
                Some(format!("row {row} ({at})"))
            }
        }
    }

    /// The entry a problem concerns, when it concerns one.
    fn entry_position(&self) -> Option<Position> {
        match self {
            ParseError::NotANumber { at, .. }
            | ParseError::EmptyEntry { at }
            | ParseError::NestedArray { at } => Some(*at),
            _ => None,
        }
    }

    /// The problem without its position.
    pub fn problem(&self) -> String {
        match self {
            ParseError::Unreadable { reason } => format!("cannot read: {reason}"),
            ParseError::NotText { detail, .. } => format!("not text: {detail}"),
            ParseError::Empty => "no numbers (the input is empty)".to_string(),
            ParseError::NotANumber { token, .. } if token.contains(';') => format!(
                "{token:?} is not a number (separate numbers by commas, whitespace or newlines)"
            ),
            ParseError::NotANumber { token, .. } => format!("{token:?} is not a number"),
            ParseError::EmptyEntry { .. } => {
                "empty entry: a comma must stand between two numbers".to_string()
            }
            ParseError::MalformedJson { problem, .. } => format!("malformed JSON: {problem}"),
            ParseError::NestedArray { .. } => {
                "nested array: a vector is one flat array of numbers".to_string()
            }
            ParseError::InRow { error, .. } => error.problem(),
            ParseError::RaggedRow {
                found, expected, ..
            } => format!(
                "ragged rows: this row has {found} {} but row 0 has {expected}",
                if *found == 1 { "entry" } else { "entries" }
            ),
            ParseError::NotARow { .. } => {
                "a number where a row belongs: a matrix is a JSON array of arrays".to_string()
            }
            ParseError::SeveralColumns { columns, .. } => format!(
                "{columns} columns; a vector file holds one number per line (or all its numbers \
                 on a single line), or pass --column K to read column K (counted from 0)"
            ),
            ParseError::NoSuchColumn { column, columns } => format!(
                "no column {column}: the rows have {columns} {} (counted from 0, so the last is {})",
                if *columns == 1 { "column" } else { "columns" },
                columns - 1
            ),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position() {
            Some(position) => write!(f, "{position}: {}", self.problem()),
            None => f.write_str(&self.problem()),
        }
    }
}

impl std::error::Error for ParseError {}

/// The numbers of a vector as read, each with the place it was written.
///
/// # Example
/// ```
/// use gan_theory_cli::input::{parse_vector, Position};
/// let entries = parse_vector("0.25\n0.25\n0.5")?;
/// assert_eq!(entries.values(), &[0.25, 0.25, 0.5]);
/// assert_eq!(entries.position(2), Some(Position { index: 2, line: 3, column: 1 }));
/// # Ok::<(), gan_theory_cli::input::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entries {
    values: Vec<f64>,
    starts: Vec<LineColumn>,
}

impl Entries {
    fn push(&mut self, value: f64, at: Position) {
        self.values.push(value);
        self.starts.push(LineColumn {
            line: at.line,
            column: at.column,
        });
    }

    /// The numbers, in order.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Consumes the entries, returning the numbers.
    pub fn into_values(self) -> Vec<f64> {
        self.values
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when there is no entry (never the case for a successful parse).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Where the entry of 0-based `index` (as in [`gan_theory::Error::index`]) was
    /// written; `None` when there is no such entry.
    pub fn position(&self, index: usize) -> Option<Position> {
        self.starts.get(index).map(|&at| Position::new(index, at))
    }
}

/// Reads a vector from text: plain numbers, one per line or all on a single
/// line separated by commas or whitespace, or one JSON array (when the first
/// character other than whitespace is `[` or `{`). A leading byte-order mark
/// is skipped. Several lines with more than one number on some line are a
/// table, refused (read one of its columns with [`parse_column`]).
///
/// # Errors
/// [`ParseError::Empty`], [`ParseError::NotANumber`],
/// [`ParseError::EmptyEntry`], [`ParseError::MalformedJson`],
/// [`ParseError::NestedArray`], [`ParseError::SeveralColumns`].
///
/// # Example
/// ```
/// use gan_theory_cli::input::{parse_vector, ParseError, Position};
/// let plain = parse_vector("0.1\n0.2\n0.7\n")?;
/// let one_line = parse_vector("0.1, 0.2, 0.7")?;
/// let json = parse_vector("[0.1,\n 0.2, 0.7]")?;
/// assert_eq!(plain.values(), json.values());
/// assert_eq!(one_line.values(), json.values());
///
/// // Several lines, one of them with two numbers: a table, not a vector.
/// let err = parse_vector("0.1, 0.2\n0.7\n").unwrap_err();
/// assert!(err.to_string().starts_with("line 1: 2 columns; "));
///
/// // inf and nan are read, so that validation can name the entry:
/// assert!(parse_vector("0.5 nan")?.values()[1].is_nan());
///
/// let err = parse_vector("0.5\n0.2x\n0.3").unwrap_err();
/// assert_eq!(err.to_string(), r#"index 1 (line 2, column 1): "0.2x" is not a number"#);
/// assert!(matches!(parse_vector("1,,2"), Err(ParseError::EmptyEntry { .. })));
/// assert!(matches!(parse_vector("[[1], [2]]"), Err(ParseError::NestedArray { .. })));
/// assert_eq!(parse_vector(" \n"), Err(ParseError::Empty));
/// # Ok::<(), ParseError>(())
/// ```
pub fn parse_vector(text: &str) -> Result<Entries, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut cursor = Cursor::new(text);
    cursor.skip_whitespace();
    let entries = match cursor.peek() {
        Some(b'[' | b'{') => json_vector(&mut cursor)?,
        _ => {
            let entries = plain_vector(text)?;
            refuse_several_columns(&entries)?;
            entries
        }
    };
    if entries.is_empty() {
        return Err(ParseError::Empty);
    }
    Ok(entries)
}

/// Refuses plain-text entries written on several lines with more than one
/// number on some line ([`ParseError::SeveralColumns`], naming the first
/// such line); one line of numbers, or one number per line, is a vector.
fn refuse_several_columns(entries: &Entries) -> Result<(), ParseError> {
    let lines = &entries.starts;
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
        return Ok(());
    };
    if first.line == last.line {
        return Ok(());
    }
    // Lines only grow along the entries: a run of equal lines is one line.
    let mut run_start = 0;
    for i in 1..=lines.len() {
        if i == lines.len() || lines[i].line != lines[run_start].line {
            if i - run_start > 1 {
                return Err(ParseError::SeveralColumns {
                    line: lines[run_start].line,
                    columns: i - run_start,
                });
            }
            run_start = i;
        }
    }
    Ok(())
}

/// Reads column `column` (counted from 0) of a table: the text is read as a
/// matrix ([`parse_matrix`]: one row per line, numbers separated by commas
/// or whitespace, or a JSON array of arrays), and index `i` of the vector is
/// the number in row `i` (both from 0); its [`Position`] is where that
/// number was written.
///
/// # Errors
/// The errors of [`parse_matrix`], and [`ParseError::NoSuchColumn`] when
/// the rows have `column` columns or fewer.
///
/// # Example
/// ```
/// use gan_theory_cli::input::{parse_column, parse_vector, ParseError, Position};
/// let counts = "0,3\n1,5\n2,2\n";
/// assert!(matches!(parse_vector(counts), Err(ParseError::SeveralColumns { line: 1, columns: 2 })));
/// let entries = parse_column(counts, 1)?;
/// assert_eq!(entries.values(), &[3.0, 5.0, 2.0]);
/// assert_eq!(entries.position(1), Some(Position { index: 1, line: 2, column: 3 }));
/// assert_eq!(parse_column("[[0, 0.5], [1, 0.5]]", 1)?.values(), &[0.5, 0.5]);
/// assert!(matches!(parse_column(counts, 2), Err(ParseError::NoSuchColumn { column: 2, columns: 2 })));
/// # Ok::<(), ParseError>(())
/// ```
pub fn parse_column(text: &str, column: usize) -> Result<Entries, ParseError> {
    let matrix = parse_matrix(text)?;
    if column >= matrix.cols {
        return Err(ParseError::NoSuchColumn {
            column,
            columns: matrix.cols,
        });
    }
    let mut entries = Entries::default();
    for row in 0..matrix.rows() {
        let index = row * matrix.cols + column;
        entries.values.push(matrix.values[index]);
        entries.starts.push(matrix.starts[index]);
    }
    Ok(entries)
}

/// Reads column `column` (from 0) of a table in a file, or in standard
/// input when the path is `-` (see [`Source`] and [`parse_column`]).
///
/// # Errors
/// [`ParseError::Unreadable`], [`ParseError::NotText`], and the errors of
/// [`parse_column`].
pub fn read_column(path_or_dash: impl AsRef<Path>, column: usize) -> Result<Entries, ParseError> {
    parse_column(&Source::from_arg(path_or_dash).read_text()?, column)
}

/// Reads a vector from a file, or from standard input when the path is `-`
/// (see [`Source`] and [`parse_vector`]).
///
/// # Errors
/// [`ParseError::Unreadable`], [`ParseError::NotText`], and the errors of
/// [`parse_vector`].
///
/// # Example
/// ```
/// use gan_theory_cli::input::{read_vector, ParseError};
/// let path = std::env::temp_dir().join(format!("gan-theory-input-doc-{}.txt", std::process::id()));
/// std::fs::write(&path, "0.5\r\n0.5\r\n")?;
/// assert_eq!(read_vector(&path)?.values(), &[0.5, 0.5]);
/// std::fs::remove_file(&path)?;
/// assert!(matches!(read_vector(&path), Err(ParseError::Unreadable { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_vector(path_or_dash: impl AsRef<Path>) -> Result<Entries, ParseError> {
    parse_vector(&Source::from_arg(path_or_dash).read_text()?)
}

/// Where input comes from: a file, or standard input (written `-` on the
/// command line). `Display` gives the name to show in messages: the path, or
/// `<stdin>`.
///
/// # Example
/// ```
/// use gan_theory_cli::input::Source;
/// assert_eq!(Source::from_arg("-"), Source::Stdin);
/// assert_eq!(Source::from_arg("-").to_string(), "<stdin>");
/// assert_eq!(Source::from_arg("p.txt").to_string(), "p.txt");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Source {
    /// `-` means standard input, anything else a file path (`./-` is a file named `-`).
    pub fn from_arg(arg: impl AsRef<Path>) -> Self {
        let path = arg.as_ref();
        if path == Path::new("-") {
            Source::Stdin
        } else {
            Source::File(path.to_path_buf())
        }
    }

    /// Reads the whole input and decodes it to text: UTF-8 (a byte-order
    /// mark is dropped) or UTF-16 with a byte-order mark.
    ///
    /// # Errors
    /// [`ParseError::Unreadable`] when reading fails or the input is larger
    /// than [`MAX_INPUT_BYTES`], [`ParseError::NotText`] when the bytes are
    /// not text (invalid UTF-8, a NUL byte, broken UTF-16).
    pub fn read_text(&self) -> Result<String, ParseError> {
        let bytes = match self {
            Source::Stdin => read_bytes(std::io::stdin().lock(), MAX_INPUT_BYTES)?,
            Source::File(path) => {
                let file = std::fs::File::open(path).map_err(unreadable)?;
                read_bytes(file, MAX_INPUT_BYTES)?
            }
        };
        decode(bytes)
    }
}

impl fmt::Display for Source {
    /// The path (control characters escaped, see [`escape_controls`]), or `<stdin>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Stdin => f.write_str("<stdin>"),
            Source::File(path) => f.write_str(&escape_controls(&path.display().to_string())),
        }
    }
}

/// `text` with its control characters (and the Unicode line and paragraph
/// separators) escaped the way Rust writes them (`\n`, `\t`, `\u{1b}`), so
/// that a file name put into a one-line message keeps it on one line and
/// cannot send commands to the terminal. Everything else, accents and
/// backslashes included, is left as it is.
///
/// # Example
/// ```
/// use gan_theory_cli::input::escape_controls;
/// assert_eq!(escape_controls("p\nq\u{1b}[2J.txt"), r"p\nq\u{1b}[2J.txt");
/// assert_eq!(escape_controls(r"C:\données\p.txt"), r"C:\données\p.txt");
/// ```
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    let needs_escape = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    if !text.contains(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            escaped.extend(c.escape_debug());
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

/// Reads `reader` to its end, a chunk at a time. Stops early, keeping the
/// bytes up to the NUL, at the first NUL byte unless the input starts with a
/// UTF-16 byte-order mark (a NUL is never part of a UTF-8 number file, and
/// [`decode`] refuses it with its position); refuses more than `limit` bytes.
fn read_bytes(mut reader: impl Read, limit: usize) -> Result<Vec<u8>, ParseError> {
    const CHUNK: usize = 64 * 1024;
    let mut bytes = Vec::new();
    let mut chunk = vec![0; CHUNK];
    loop {
        let read = match reader.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(unreadable(error)),
        };
        let start = bytes.len();
        bytes.extend_from_slice(&chunk[..read]);
        // A UTF-16 byte-order mark holds no NUL, so when the first chunk is a
        // single byte and a NUL, the input is not UTF-16 either.
        let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
        if !utf16 && let Some(nul) = bytes[start..].iter().position(|&b| b == 0) {
            bytes.truncate(start + nul + 1);
            return Ok(bytes);
        }
        if bytes.len() > limit {
            return Err(ParseError::Unreadable {
                reason: format!("the input is larger than {}", in_words(limit)),
            });
        }
    }
}

/// A number of bytes as a person says it: `1 GiB`, `64 KiB`, `10 bytes`.
fn in_words(bytes: usize) -> String {
    const UNITS: [(usize, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    UNITS
        .iter()
        .find(|(size, _)| bytes >= *size && bytes % size == 0)
        .map_or_else(
            || format!("{bytes} bytes"),
            |(size, unit)| format!("{} {unit}", bytes / size),
        )
}

/// The reason of an I/O error in the words a user expects.
fn unreadable(error: std::io::Error) -> ParseError {
    use std::io::ErrorKind;
    let reason = match error.kind() {
        ErrorKind::NotFound => "no such file".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::IsADirectory => "is a directory, not a file".to_string(),
        _ => error.to_string(),
    };
    ParseError::Unreadable { reason }
}

/// Bytes to text: UTF-16 when a UTF-16 byte-order mark says so, else UTF-8.
fn decode(bytes: Vec<u8>) -> Result<String, ParseError> {
    match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => decode_utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => decode_utf16(rest, u16::from_be_bytes),
        [0xEF, 0xBB, 0xBF, ..] => {
            let mut bytes = bytes;
            bytes.drain(..3);
            decode_utf8(bytes)
        }
        _ => decode_utf8(bytes),
    }
}

fn decode_utf8(bytes: Vec<u8>) -> Result<String, ParseError> {
    // A NUL is valid UTF-8 but never part of a number file; it is the mark of
    // binary data or of UTF-16 written without a byte-order mark.
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return Err(ParseError::NotText {
            at: line_column_after(&bytes[..nul]),
            detail: "NUL byte (binary data, or UTF-16 without a byte-order mark?)".to_string(),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let valid = e.utf8_error().valid_up_to();
        ParseError::NotText {
            at: line_column_after(&bytes[..valid]),
            detail: format!("invalid UTF-8 (byte 0x{:02x})", bytes[valid]),
        }
    })
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, ParseError> {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut at = LineColumn::START;
    let mut previous = 0;
    for decoded in char::decode_utf16(units) {
        let c = decoded.map_err(|e| ParseError::NotText {
            at,
            detail: format!("unpaired UTF-16 surrogate 0x{:04x}", e.unpaired_surrogate()),
        })?;
        if c == '\0' {
            return Err(ParseError::NotText {
                at,
                detail: "NUL character".to_string(),
            });
        }
        let mut buf = [0u8; 4];
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            at.advance(previous, b);
            previous = b;
        }
        text.push(c);
    }
    if bytes.len() % 2 == 1 {
        return Err(ParseError::NotText {
            at,
            detail: "UTF-16 text with an odd number of bytes".to_string(),
        });
    }
    Ok(text)
}

/// The line and column just after `valid_utf8_prefix`.
fn line_column_after(valid_utf8_prefix: &[u8]) -> LineColumn {
    let mut at = LineColumn::START;
    let mut previous = 0;
    for &b in valid_utf8_prefix {
        at.advance(previous, b);
        previous = b;
    }
    at
}

/// A position in a text, moved forward byte by byte, tracking line and column.
///
/// Tokens end only at ASCII bytes, so every slice it hands out starts and
/// ends on character boundaries.
struct Cursor<'a> {
    text: &'a str,
    offset: usize,
    at: LineColumn,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            offset: 0,
            at: LineColumn::START,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.offset).copied()
    }

    fn bump(&mut self) {
        if let Some(b) = self.peek() {
            let previous = match self.offset {
                0 => 0,
                i => self.text.as_bytes()[i - 1],
            };
            self.at.advance(previous, b);
            self.offset += 1;
        }
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.bump();
        }
    }

    /// The longest run of bytes from here that `keep` accepts (`keep` must
    /// refuse every non-ASCII byte or accept all of them).
    fn take_while(&mut self, keep: impl Fn(u8) -> bool) -> &'a str {
        let start = self.offset;
        while self.peek().is_some_and(&keep) {
            self.bump();
        }
        &self.text[start..self.offset]
    }

    /// The next character, quoted, or "the end of the input", for messages.
    fn describe_next(&self) -> String {
        match self.text[self.offset..].chars().next() {
            Some(c) => format!("{c:?}"),
            None => "the end of the input".to_string(),
        }
    }
}

/// Reads `token` as a number, or names it in the error.
fn number(token: &str, at: Position) -> Result<f64, ParseError> {
    token.parse::<f64>().map_err(|_| {
        let mut shown: String = token.chars().take(TOKEN_SHOWN).collect();
        if shown.len() < token.len() {
            shown.push('…');
        }
        ParseError::NotANumber { at, token: shown }
    })
}

/// Splits plain text into tokens separated by whitespace or single commas and
/// hands each to `on_token` with its index (from 0) and place.
/// Returns the number of tokens.
fn plain_tokens(
    text: &str,
    mut on_token: impl FnMut(&str, Position) -> Result<(), ParseError>,
) -> Result<usize, ParseError> {
    let mut cursor = Cursor::new(text);
    let mut count = 0;
    // The comma seen since the last token, if any: a second one, or one
    // before the first token or at the end, leaves an entry empty.
    let mut pending_comma: Option<LineColumn> = None;
    loop {
        cursor.skip_whitespace();
        match cursor.peek() {
            None => {
                return match pending_comma {
                    Some(at) => Err(ParseError::EmptyEntry {
                        at: Position::new(count, at),
                    }),
                    None => Ok(count),
                };
            }
            Some(b',') => {
                if count == 0 || pending_comma.is_some() {
                    return Err(ParseError::EmptyEntry {
                        at: Position::new(count, cursor.at),
                    });
                }
                pending_comma = Some(cursor.at);
                cursor.bump();
            }
            Some(_) => {
                let at = Position::new(count, cursor.at);
                let token = cursor.take_while(|b| b != b',' && !b.is_ascii_whitespace());
                count += 1;
                pending_comma = None;
                on_token(token, at)?;
            }
        }
    }
}

fn plain_vector(text: &str) -> Result<Entries, ParseError> {
    let mut entries = Entries::default();
    plain_tokens(text, |token, at| {
        entries.push(number(token, at)?, at);
        Ok(())
    })?;
    Ok(entries)
}

fn malformed(at: LineColumn, problem: impl Into<String>) -> ParseError {
    ParseError::MalformedJson {
        at,
        problem: problem.into(),
    }
}

/// A whole JSON text that must be one array of numbers.
fn json_vector(cursor: &mut Cursor<'_>) -> Result<Entries, ParseError> {
    if cursor.peek() == Some(b'{') {
        return Err(malformed(
            cursor.at,
            "found an object; a vector is a JSON array of numbers",
        ));
    }
    let mut entries = Entries::default();
    json_numbers(cursor, |value, at| entries.push(value, at))?;
    cursor.skip_whitespace();
    if cursor.peek().is_some() {
        return Err(malformed(
            cursor.at,
            format!(
                "unexpected {} after the closing ']'",
                cursor.describe_next()
            ),
        ));
    }
    Ok(entries)
}

/// Bytes that end a bare JSON token.
fn ends_json_token(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b',' | b'[' | b']' | b'{' | b'}' | b'"' | b':')
}

/// Reads one JSON array of numbers, the cursor on its `[`, and hands each
/// number to `on_number` with its index (from 0) within this array.
fn json_numbers(
    cursor: &mut Cursor<'_>,
    mut on_number: impl FnMut(f64, Position),
) -> Result<(), ParseError> {
    const UNCLOSED: &str = "the input ends inside the array (missing ']')";
    cursor.bump(); // the '['
    cursor.skip_whitespace();
    if cursor.peek() == Some(b']') {
        cursor.bump();
        return Ok(());
    }
    let mut index = 0;
    loop {
        cursor.skip_whitespace();
        let at = Position::new(index, cursor.at);
        let value = match cursor.peek() {
            None => return Err(malformed(cursor.at, UNCLOSED)),
            Some(b'[') => return Err(ParseError::NestedArray { at }),
            Some(b'"') => number(json_string(cursor)?, at)?,
            Some(b',' | b']' | b'{' | b'}' | b':') => {
                return Err(malformed(
                    cursor.at,
                    format!("expected a number, found {}", cursor.describe_next()),
                ));
            }
            Some(_) => number(cursor.take_while(|b| !ends_json_token(b)), at)?,
        };
        on_number(value, at);
        if array_item_closes(cursor, UNCLOSED, || format!("index {index}"))? {
            return Ok(());
        }
        index += 1;
    }
}

/// After an item of a JSON array (`item` names it in a message): reads the
/// `,` that continues the array (false) or the `]` that closes it (true).
fn array_item_closes(
    cursor: &mut Cursor<'_>,
    unclosed: &str,
    item: impl FnOnce() -> String,
) -> Result<bool, ParseError> {
    cursor.skip_whitespace();
    match cursor.peek() {
        Some(b',') => {
            cursor.bump();
            Ok(false)
        }
        Some(b']') => {
            cursor.bump();
            Ok(true)
        }
        None => Err(malformed(cursor.at, unclosed)),
        Some(_) => Err(malformed(
            cursor.at,
            format!(
                "expected ',' or ']' after {}, found {}",
                item(),
                cursor.describe_next()
            ),
        )),
    }
}

/// A JSON string, the cursor on its opening quote; returns its raw contents
/// (escapes are skipped, not decoded: a number never contains one).
fn json_string<'a>(cursor: &mut Cursor<'a>) -> Result<&'a str, ParseError> {
    let open = cursor.at;
    cursor.bump();
    let start = cursor.offset;
    loop {
        match cursor.peek() {
            None => return Err(malformed(open, "string not closed")),
            Some(b'"') => {
                let contents = &cursor.text[start..cursor.offset];
                cursor.bump();
                return Ok(contents);
            }
            Some(b'\\') => {
                cursor.bump();
                cursor.bump();
            }
            Some(_) => cursor.bump(),
        }
    }
}

/// Where an entry of a matrix was written: its row and its index within the
/// row, counted from 0 (as `emd` names a plan entry (i, j), and as the
/// library's errors name a row and a column), and its line and column in the
/// text, counted from 1 (as editors count them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatrixPosition {
    /// The row, from 0.
    pub row: usize,
    /// The index within the row (the matrix column), from 0.
    pub index: usize,
    /// The line it starts on, from 1.
    pub line: usize,
    /// The column (in characters) it starts at, from 1.
    pub column: usize,
}

impl MatrixPosition {
    /// The entry of row `row` at `at`, a position within that row.
    fn in_row(row: usize, at: Position) -> Self {
        Self {
            row,
            index: at.index,
            line: at.line,
            column: at.column,
        }
    }
}

impl fmt::Display for MatrixPosition {
    /// `index (1, 2) (line 2, column 5)`: row 1, index 2 within it (the
    /// third number of the second row), written at line 2, column 5.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "index ({}, {}) (line {}, column {})",
            self.row, self.index, self.line, self.column
        )
    }
}

/// The numbers of a matrix as read, row-major, each with the place it was written.
///
/// # Example
/// ```
/// use gan_theory_cli::input::{parse_matrix, MatrixPosition};
/// let m = parse_matrix("0 1 2\n3, 4, 5\n")?;
/// assert_eq!((m.rows(), m.cols()), (2, 3));
/// assert_eq!(m.row(1), &[3.0, 4.0, 5.0]);
/// // Index 4 in row-major order is row 1, index 1 within it:
/// let at = m.position(4).unwrap();
/// assert_eq!(at, MatrixPosition { row: 1, index: 1, line: 2, column: 4 });
/// assert_eq!(at.to_string(), "index (1, 1) (line 2, column 4)");
/// # Ok::<(), gan_theory_cli::input::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MatrixEntries {
    cols: usize,
    values: Vec<f64>,
    starts: Vec<LineColumn>,
}

impl MatrixEntries {
    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.values.len().checked_div(self.cols).unwrap_or(0)
    }

    /// Number of columns (entries per row).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Every number, row after row.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Row `i` (from 0).
    ///
    /// # Panics
    /// When `i >= rows()`.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.values[i * self.cols..(i + 1) * self.cols]
    }

    /// The rows as vectors.
    pub fn to_rows(&self) -> Vec<Vec<f64>> {
        self.values.chunks(self.cols).map(<[f64]>::to_vec).collect()
    }

    /// Where the entry of 0-based row-major `index` was written (as in a
    /// library error's [`gan_theory::Error::index`] over the flattened matrix).
    pub fn position(&self, index: usize) -> Option<MatrixPosition> {
        let at = self.starts.get(index)?;
        Some(MatrixPosition {
            row: index / self.cols,
            index: index % self.cols,
            line: at.line,
            column: at.column,
        })
    }

    /// Adds one row, checking its length against the first row's.
    fn push_row(&mut self, row: usize, at: LineColumn, entries: Entries) -> Result<(), ParseError> {
        if self.values.is_empty() {
            self.cols = entries.len();
        } else if entries.len() != self.cols {
            return Err(ParseError::RaggedRow {
                row,
                at,
                found: entries.len(),
                expected: self.cols,
            });
        }
        self.values.extend_from_slice(&entries.values);
        self.starts.extend_from_slice(&entries.starts);
        Ok(())
    }
}

/// Reads a matrix from text: one row per line (numbers separated by commas
/// or whitespace; blank lines skipped), or one JSON array of arrays (when
/// the first character other than whitespace is `[` or `{`).
///
/// # Errors
/// [`ParseError::Empty`] when there is no number, [`ParseError::RaggedRow`],
/// [`ParseError::NotARow`], [`ParseError::MalformedJson`], and
/// [`ParseError::InRow`] around the errors of [`parse_vector`] for one row.
///
/// # Example
/// ```
/// use gan_theory_cli::input::{parse_matrix, ParseError};
/// let plain = parse_matrix("0 1\n\n1 0")?;
/// let json = parse_matrix("[[0, 1],\n [1, 0]]")?;
/// assert_eq!((plain.rows(), plain.cols(), plain.values()), (json.rows(), json.cols(), json.values()));
/// let err = parse_matrix("0 1\n1 0 2").unwrap_err();
/// assert_eq!(err.to_string(),
///     "row 1 (line 2, column 1): ragged rows: this row has 3 entries but row 0 has 2");
/// let err = parse_matrix("0 1\n1 x").unwrap_err();
/// assert_eq!(err.to_string(), r#"index (1, 1) (line 2, column 3): "x" is not a number"#);
/// assert!(matches!(parse_matrix("[1, 2]"), Err(ParseError::NotARow { .. })));
/// # Ok::<(), ParseError>(())
/// ```
pub fn parse_matrix(text: &str) -> Result<MatrixEntries, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut cursor = Cursor::new(text);
    cursor.skip_whitespace();
    let matrix = match cursor.peek() {
        Some(b'[' | b'{') => json_matrix(&mut cursor)?,
        _ => plain_matrix(text)?,
    };
    if matrix.values.is_empty() {
        return Err(ParseError::Empty);
    }
    Ok(matrix)
}

/// Reads a matrix from a file, or from standard input when the path is `-`
/// (see [`Source`] and [`parse_matrix`]).
///
/// # Errors
/// [`ParseError::Unreadable`], [`ParseError::NotText`], and the errors of
/// [`parse_matrix`].
pub fn read_matrix(path_or_dash: impl AsRef<Path>) -> Result<MatrixEntries, ParseError> {
    parse_matrix(&Source::from_arg(path_or_dash).read_text()?)
}

/// One row per line; a line break is `\n`, `\r\n` or a lone `\r`.
fn plain_matrix(text: &str) -> Result<MatrixEntries, ParseError> {
    let mut matrix = MatrixEntries::default();
    let mut row = 0;
    let mut line = 1;
    let mut rest = text;
    loop {
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let content = &rest[..end];
        if !content.trim().is_empty() {
            let mut entries = plain_vector(content).map_err(|error| ParseError::InRow {
                row,
                error: Box::new(on_line(error, line)),
            })?;
            for start in &mut entries.starts {
                start.line = line;
            }
            let first = entries.starts[0];
            matrix.push_row(
                row,
                LineColumn {
                    line,
                    column: first.column,
                },
                entries,
            )?;
            row += 1;
        }
        if end == rest.len() {
            return Ok(matrix);
        }
        let skip = if rest[end..].starts_with("\r\n") {
            2
        } else {
            1
        };
        rest = &rest[end + skip..];
        line += 1;
    }
}

/// An error of [`plain_vector`] on one line's text, moved to line `line`.
fn on_line(error: ParseError, line: usize) -> ParseError {
    match error {
        ParseError::NotANumber { at, token } => ParseError::NotANumber {
            at: Position { line, ..at },
            token,
        },
        ParseError::EmptyEntry { at } => ParseError::EmptyEntry {
            at: Position { line, ..at },
        },
        other => other,
    }
}

/// A whole JSON text that must be one array of arrays of numbers.
fn json_matrix(cursor: &mut Cursor<'_>) -> Result<MatrixEntries, ParseError> {
    const UNCLOSED: &str = "the input ends inside the matrix (missing ']')";
    if cursor.peek() == Some(b'{') {
        return Err(malformed(
            cursor.at,
            "found an object; a matrix is a JSON array of arrays of numbers",
        ));
    }
    cursor.bump(); // the outer '['
    let mut matrix = MatrixEntries::default();
    let mut row = 0;
    cursor.skip_whitespace();
    if cursor.peek() == Some(b']') {
        cursor.bump();
    } else {
        loop {
            cursor.skip_whitespace();
            let at = cursor.at;
            match cursor.peek() {
                Some(b'[') => {}
                None => return Err(malformed(cursor.at, UNCLOSED)),
                Some(b',' | b']' | b'{' | b'}' | b':') => {
                    return Err(malformed(
                        cursor.at,
                        format!("expected a row '[', found {}", cursor.describe_next()),
                    ));
                }
                Some(_) => return Err(ParseError::NotARow { row, at }),
            }
            let mut entries = Entries::default();
            json_numbers(cursor, |value, at| entries.push(value, at)).map_err(
                |error| match error {
                    ParseError::NestedArray { .. } | ParseError::NotANumber { .. } => {
                        ParseError::InRow {
                            row,
                            error: Box::new(error),
                        }
                    }
                    other => other,
                },
            )?;
            if entries.is_empty() {
                return Err(if matrix.values.is_empty() {
                    ParseError::InRow {
                        row,
                        error: Box::new(ParseError::Empty),
                    }
                } else {
                    ParseError::RaggedRow {
                        row,
                        at,
                        found: 0,
                        expected: matrix.cols,
                    }
                });
            }
            matrix.push_row(row, at, entries)?;
            if array_item_closes(cursor, UNCLOSED, || format!("row {row}"))? {
                break;
            }
            row += 1;
        }
    }
    cursor.skip_whitespace();
    if cursor.peek().is_some() {
        return Err(malformed(
            cursor.at,
            format!(
                "unexpected {} after the closing ']'",
                cursor.describe_next()
            ),
        ));
    }
    Ok(matrix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(index: usize, line: usize, column: usize) -> Position {
        Position {
            index,
            line,
            column,
        }
    }

    #[test]
    fn positions_count_characters_and_lines() {
        let e = parse_vector("  0.5,\t0.25\r\n\n é").unwrap_err();
        assert_eq!(
            e,
            ParseError::NotANumber {
                at: at(2, 3, 2),
                token: "é".into()
            }
        );
        let e = parse_vector("[0.5,\n  0.5 0]").unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 2, column 7: malformed JSON: expected ',' or ']' after index 1, found '0'"
        );
    }

    #[test]
    fn commas_must_separate_numbers() {
        for (text, position) in [
            ("1,,2", at(1, 1, 3)),
            (",1", at(0, 1, 1)),
            ("1, 2,\n", at(2, 1, 5)),
            ("1 , , 2", at(1, 1, 5)),
        ] {
            assert_eq!(
                parse_vector(text),
                Err(ParseError::EmptyEntry { at: position }),
                "{text:?}"
            );
        }
        assert_eq!(
            parse_vector("1 ,\n2\n,3").unwrap().values(),
            &[1.0, 2.0, 3.0]
        );
        assert_eq!(
            parse_vector("1 ,2\n,3"),
            Err(ParseError::SeveralColumns {
                line: 1,
                columns: 2
            })
        );
    }

    #[test]
    fn a_table_is_not_a_vector_but_its_columns_are() {
        let refused = |text: &str| match parse_vector(text) {
            Err(ParseError::SeveralColumns { line, columns }) => (line, columns),
            other => panic!("{text:?}: {other:?}"),
        };
        assert_eq!(refused("0,3\n1,5\n2,2\n"), (1, 2));
        assert_eq!(refused("0.5\n\n0.25\r\n0.125 0.125 0\r\n"), (4, 3));
        assert_eq!(refused("1\r2 3"), (2, 2));
        // One line of numbers, or one number per line, is a vector.
        assert_eq!(parse_vector("0.5 0.5\n").unwrap().values(), &[0.5, 0.5]);
        assert_eq!(parse_vector("\n0.1, 0.2, 0.7\n\n").unwrap().len(), 3);
        assert_eq!(parse_vector("1,\n2,\n3").unwrap().len(), 3);
        assert_eq!(parse_vector("[0, 3,\n 1, 5]").unwrap().len(), 4);

        let column = parse_column("x 0\n\n1\t5\r\n2 2", 1);
        assert_eq!(
            column.unwrap_err().to_string(),
            r#"index (0, 0) (line 1, column 1): "x" is not a number"#
        );
        let column = parse_column("0 3\n\n1\t5\r\n2 2", 1).unwrap();
        assert_eq!(column.values(), &[3.0, 5.0, 2.0]);
        assert_eq!(column.position(2), Some(at(2, 4, 3)));
        assert_eq!(parse_column("0.5 0.5", 0).unwrap().values(), &[0.5]);
        assert_eq!(
            parse_column("1\n2\n", 1).unwrap_err().to_string(),
            "no column 1: the rows have 1 column (counted from 0, so the last is 0)"
        );
        assert!(matches!(
            parse_column("0 1\n2", 0),
            Err(ParseError::RaggedRow { row: 1, .. })
        ));
    }

    #[test]
    fn json_forms() {
        let v = parse_vector("\u{feff} [ \"inf\", \"-inf\", 1e-3, -0 ]\n").unwrap();
        assert_eq!(v.values()[..3], [f64::INFINITY, f64::NEG_INFINITY, 1e-3]);
        assert_eq!(v.position(3), Some(at(3, 1, 25)));
        // Malformed JSON and empty input: `audit::robust_parse_vector_reads_or_refuses_every_oddity`.
        assert!(matches!(
            parse_vector("[1, null]"),
            Err(ParseError::NotANumber { .. })
        ));
        assert_eq!(
            parse_vector("[1, [2]]"),
            Err(ParseError::NestedArray { at: at(1, 1, 5) })
        );
    }

    #[test]
    fn long_tokens_are_shortened() {
        let token = "x".repeat(1000);
        match parse_vector(&token) {
            Err(ParseError::NotANumber { token, .. }) => {
                assert_eq!(token.chars().count(), TOKEN_SHOWN + 1)
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn old_mac_line_endings_start_lines() {
        // Lines: "1" ends with \r\n, "2" with \r, "3" with \n, "" with \r.
        assert_eq!(
            parse_vector("1\r\n2\r3\n\rx"),
            Err(ParseError::NotANumber {
                at: at(3, 5, 1),
                token: "x".into()
            })
        );
        assert_eq!(
            decode(b"0.5\r0.\xff5".to_vec()),
            Err(ParseError::NotText {
                at: LineColumn { line: 2, column: 3 },
                detail: "invalid UTF-8 (byte 0xff)".into()
            })
        );
    }

    /// A reader that hands out one byte per call, as a slow pipe may.
    struct OneByteAtATime<'a>(&'a [u8]);

    impl Read for OneByteAtATime<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((&b, rest)), Some(slot)) => {
                    *slot = b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn reading_stops_at_a_nul_or_the_limit() {
        // An endless stream of NULs, like /dev/zero, ends at its first byte.
        let zeros = read_bytes(std::io::repeat(0), MAX_INPUT_BYTES).unwrap();
        assert_eq!(zeros, [0]);
        assert_eq!(
            decode(zeros).unwrap_err().to_string(),
            "line 1, column 1: not text: NUL byte (binary data, or UTF-16 without a byte-order mark?)"
        );
        let text = read_bytes(OneByteAtATime(b"0.5\n0.5\x00rest"), 100).unwrap();
        assert_eq!(text, b"0.5\n0.5\x00");
        // UTF-16 holds NULs: read to the end, even when the mark comes in pieces.
        let utf16 = b"\xff\xfe0\x00.\x005\x00";
        assert_eq!(read_bytes(OneByteAtATime(utf16), 100).unwrap(), utf16);
        // At most `limit` bytes, whatever the chunks.
        let ones = || std::io::repeat(b'1');
        assert_eq!(read_bytes(ones().take(10), 10).unwrap(), b"1111111111");
        assert_eq!(
            read_bytes(ones().take(11), 10),
            Err(ParseError::Unreadable {
                reason: "the input is larger than 10 bytes".into()
            })
        );
        assert!(
            read_bytes(ones(), 3 << 20).is_err(),
            "an endless stream ends"
        );
        assert_eq!(in_words(MAX_INPUT_BYTES), "1 GiB");
        assert_eq!(in_words(3 << 20), "3 MiB");
    }

    #[test]
    fn names_stay_on_one_line() {
        let source = Source::from_arg("a\nb\r\tc\u{7f}\u{2028}d é\\.txt");
        assert_eq!(source.to_string(), r"a\nb\r\tc\u{7f}\u{2028}d é\.txt");
        assert!(matches!(
            escape_controls("plain name.txt"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn decoding() {
        assert_eq!(decode(b"\xEF\xBB\xBF1 2".to_vec()).unwrap(), "1 2");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("0.5\r\n0.5".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(utf16).unwrap(), "0.5\r\n0.5");
        assert_eq!(
            decode(b"0.5\n0.\xff5".to_vec()),
            Err(ParseError::NotText {
                at: LineColumn { line: 2, column: 3 },
                detail: "invalid UTF-8 (byte 0xff)".into()
            })
        );
        assert!(matches!(
            decode(b"0\x00.5".to_vec()),
            Err(ParseError::NotText { .. })
        ));
    }

    #[test]
    fn matrix_positions_name_row_and_entry() {
        let m = parse_matrix("\u{feff}1, 2\r\n\r\n 3 4\r5 6\n").unwrap();
        assert_eq!((m.rows(), m.cols()), (3, 2));
        assert_eq!(
            m.position(3),
            Some(MatrixPosition {
                row: 1,
                index: 1,
                line: 3,
                column: 4
            })
        );
        assert_eq!(m.position(6), None);
        assert_eq!(
            parse_matrix("1 2\n3 4 5").unwrap_err(),
            ParseError::RaggedRow {
                row: 1,
                at: LineColumn { line: 2, column: 1 },
                found: 3,
                expected: 2
            }
        );
        assert_eq!(
            parse_matrix("1 2\n\n3,,4").unwrap_err().to_string(),
            "index (1, 1) (line 3, column 3): empty entry: a comma must stand between two numbers"
        );
        assert_eq!(parse_matrix("\n \n"), Err(ParseError::Empty));
    }

    #[test]
    fn json_matrices() {
        let m = parse_matrix("[[1, 2],\n [3, \"inf\"]]").unwrap();
        assert_eq!(m.values()[..3], [1.0, 2.0, 3.0]);
        assert_eq!(
            m.position(3).map(|p| (p.row, p.index, p.line)),
            Some((1, 1, 2))
        );
        assert_eq!(parse_matrix("[]"), Err(ParseError::Empty));
        assert_eq!(
            parse_matrix("[[1], []]").unwrap_err().to_string(),
            "row 1 (line 1, column 7): ragged rows: this row has 0 entries but row 0 has 1"
        );
        assert_eq!(
            parse_matrix("[[1, 2], [3, x]]").unwrap_err().to_string(),
            r#"index (1, 1) (line 1, column 14): "x" is not a number"#
        );
        assert!(matches!(
            parse_matrix("[[1], [[2]]]"),
            Err(ParseError::InRow { row: 1, .. })
        ));
        assert!(matches!(
            parse_matrix("[[1], 2]"),
            Err(ParseError::NotARow { row: 1, .. })
        ));
        for bad in ["[[1] [2]]", "[[1],", "[[1]] x", "{\"a\": 1}", "[[1],]"] {
            assert!(
                matches!(parse_matrix(bad), Err(ParseError::MalformedJson { .. })),
                "{bad}"
            );
        }
    }
}

#[cfg(test)]
mod audit {
    //! `parse_vector` turns any text into numbers or into one error that
    //! names the entry's index, line and column.
    use super::{ParseError, TOKEN_SHOWN, parse_vector};

    #[test]
    fn robust_parse_vector_reads_or_refuses_every_oddity() {
        let values = |text: &str| parse_vector(text).unwrap().values().to_vec();
        let bits = |v: Vec<f64>| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(values("-0")), bits(vec![-0.0]));
        assert_eq!(values("+1 .5 5. 2.5E-1"), vec![1.0, 0.5, 5.0, 0.25]);
        assert_eq!(
            values("1e400 -1e400 1e-400"),
            vec![f64::INFINITY, f64::NEG_INFINITY, 0.0]
        );
        assert_eq!(
            values("[\"inf\", \"-inf\", \"1e400\"]"),
            vec![f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY]
        );
        assert!(values("nAn")[0].is_nan());
        assert_eq!(values("0.5\x0c0.5"), vec![0.5, 0.5]); // form feed is whitespace
        for (text, token) in [
            ("0x10", "0x10"),
            ("\u{2212}1", "\u{2212}1"), // unicode minus
            ("1_000", "1_000"),
            ("1e", "1e"),
            ("\u{661}", "\u{661}"),   // arabic-indic digit one
            ("1\u{a0}2", "1\u{a0}2"), // no-break space is not a separator
            ("[true]", "true"),
            ("[\"\"]", ""),
            ("]", "]"),
        ] {
            match parse_vector(text) {
                Err(ParseError::NotANumber { token: t, .. }) => assert_eq!(t, token, "{text:?}"),
                other => panic!("{text:?}: {other:?}"),
            }
        }
        assert_eq!(parse_vector("[]"), Err(ParseError::Empty));
        assert_eq!(parse_vector(""), Err(ParseError::Empty));
        assert_eq!(parse_vector("\u{feff}"), Err(ParseError::Empty));
        for text in ["[[1]]", "[[]]"] {
            assert!(
                matches!(parse_vector(text), Err(ParseError::NestedArray { .. })),
                "{text:?}"
            );
        }
        for text in [
            "[",
            "  [",
            "[1,",
            "[1 2]",
            "[1]]",
            "[1] [2]",
            "{",
            "[{}]",
            "[1:2]",
            "[\"1",
            "[\"\\\"]",
            "[,]",
            "[1, 2,]",
            "[1, 2] x",
            "{\"p\": [1]}",
            "[1, \"a",
        ] {
            assert!(
                matches!(parse_vector(text), Err(ParseError::MalformedJson { .. })),
                "{text:?}: {:?}",
                parse_vector(text)
            );
        }
        for text in [",", "1,,2", "1 2 3,"] {
            assert!(
                matches!(parse_vector(text), Err(ParseError::EmptyEntry { .. })),
                "{text:?}"
            );
        }
        // Every error displays on one line, even for a token with a newline inside.
        for text in ["[\"1\n2\"]", "[\"\r\"]", "1\u{2028}2", "x\u{85}y"] {
            let message = parse_vector(text).unwrap_err().to_string();
            assert!(!message.contains(['\n', '\r']), "{message:?}");
        }
    }

    #[test]
    fn robust_parse_vector_handles_long_inputs() {
        // A 1 MB token is named by its first characters only.
        let long = "7".repeat(1 << 20) + "x";
        match parse_vector(&long) {
            Err(ParseError::NotANumber { token, .. }) => {
                assert_eq!(token.chars().count(), TOKEN_SHOWN + 1)
            }
            other => panic!("{:?}", other.map(|e| e.len())),
        }
        // A 1 MB run of digits is one (huge) number.
        assert_eq!(
            parse_vector(&"9".repeat(1 << 20)).unwrap().values(),
            &[f64::INFINITY]
        );
        // 10^6 numbers on one line, and deep nesting that must not recurse.
        assert_eq!(
            parse_vector(&"0.5 ".repeat(1_000_000)).unwrap().len(),
            1_000_000
        );
        assert!(matches!(
            parse_vector(&"[".repeat(100_000)),
            Err(ParseError::NestedArray { .. })
        ));
    }

    // ===========================================================================
    // The binary
    // ===========================================================================
}
