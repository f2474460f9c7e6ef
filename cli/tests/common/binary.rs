//! Running the `gan-theory` binary from a test, as a user runs it.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A file under the temp directory, unique to this process, test and label,
/// removed when dropped.
pub struct TempFile(PathBuf);

impl TempFile {
    /// Writes `contents` to a fresh temp file named after `test` and `label`.
    pub fn new(test: &str, label: &str, contents: impl AsRef<[u8]>) -> Self {
        let name = format!("gan-theory-{test}-{}-{label}", std::process::id());
        let path = std::env::temp_dir().join(name);
        std::fs::write(&path, contents).expect("cannot write a temp file");
        Self(path)
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// The name the binary shows in messages: the path as given.
    pub fn name(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The binary, with `RUST_BACKTRACE=1` so that a panic could not go unnoticed
/// (its message would name the variable), run in a scratch directory of this
/// process so that `verify`'s default `report/` does not land in the crate.
pub fn binary() -> Command {
    let scratch = std::env::temp_dir().join(format!("gan-theory-cwd-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("cannot create a scratch directory");
    let mut command = Command::new(env!("CARGO_BIN_EXE_gan-theory"));
    command.env("RUST_BACKTRACE", "1").current_dir(scratch);
    command
}

/// Runs the binary with `args` and an empty standard input.
pub fn run<S: AsRef<OsStr>>(args: &[S]) -> Output {
    run_with_stdin(args, b"")
}

/// Runs the binary with `args`, writing `input` to its standard input.
pub fn run_with_stdin<S: AsRef<OsStr>>(args: &[S], input: &[u8]) -> Output {
    let mut child = binary()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot start gan-theory");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // The binary may refuse its input before reading all of it; a closed pipe here is fine.
    let _ = stdin.write_all(input);
    drop(stdin);
    child.wait_with_output().expect("gan-theory did not finish")
}

/// No panic message on stderr (`RUST_BACKTRACE` is named in every one, as
/// [`binary`] sets it).
pub fn assert_no_panic(output: &Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
}

/// Bad input: exit code 2, nothing on stdout, exactly one line on stderr in
/// the form `gan-theory: ...` containing every one of `needles`, and no panic.
pub fn assert_refused(output: &Output, needles: &[&str]) {
    assert_no_panic(output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        output.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(
        stderr.ends_with('\n') && stderr.matches('\n').count() == 1,
        "not exactly one line: {stderr:?}"
    );
    assert!(stderr.starts_with("gan-theory: "), "{stderr:?}");
    for needle in needles {
        assert!(stderr.contains(needle), "{stderr:?} lacks {needle:?}");
    }
}

/// `gan-theory divergence --p P --q Q` followed by `extra` (such as `--json`).
pub fn divergence(p: &Path, q: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<&OsStr> = vec![
        "divergence".as_ref(),
        "--p".as_ref(),
        p.as_os_str(),
        "--q".as_ref(),
        q.as_os_str(),
    ];
    args.extend(extra.iter().map(|a| OsStr::new(*a)));
    run(&args)
}
