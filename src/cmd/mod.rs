//! One module per subcommand; each `run` returns the process exit code.

pub mod check;
pub mod diff;
pub mod doc;
pub mod generate;
pub mod replay;
pub mod sim;
pub mod spec;
pub mod tap;
pub mod term;
pub mod verify;

/// Writes `text` to standard output; `code` is the command's exit code
/// when that works. A reader that went away (`| head`) changes nothing;
/// any other failure (a full disk, `> /dev/full`) is an I/O error, said
/// on stderr, exit 2.
pub fn emit(text: &str, code: u8) -> u8 {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => write_failed(&e),
    }
}

/// Reports a failed write to standard output: exit 2.
pub fn write_failed(e: &std::io::Error) -> u8 {
    eprintln!("wip: cannot write to standard output: {e}");
    2
}
