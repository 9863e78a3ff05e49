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
