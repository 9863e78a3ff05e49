//! `wip term`: an interactive terminal on a modem's serial line that knows
//! the command set.

pub mod editor;
pub mod session;
pub mod spec;
