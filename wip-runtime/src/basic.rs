//! Typed basic commands that every modem of the family takes but the
//! WIPsoft spec does not describe: `ATE` (command echo, V.25ter 6.2.4) and
//! `AT+CMEE` (error reports, 3GPP TS 27.007 9.1). The engine writes lines
//! as `AT<name>=<values>`, which cannot describe `ATE0`, so they are
//! written here by hand until a shared base spec carries them; the clients
//! send them with `send_basic` and give their final result code typed, as
//! `send` does.

/// A command answered by a final result code only, whose line does not
/// depend on any spec.
pub trait BasicCommand {
    /// How long to wait for the final result code, in milliseconds.
    const TIMEOUT_MS: u32 = 2_000;

    /// The command line, without its `<CR>`.
    fn line(&self) -> &'static str;
}

/// `ATE<n>`: whether the modem echoes the command lines it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Echo {
    /// `ATE0`: no echo.
    Off,
    /// `ATE1`: echo (the default).
    On,
}

impl BasicCommand for Echo {
    fn line(&self) -> &'static str {
        match self {
            Echo::Off => "ATE0",
            Echo::On => "ATE1",
        }
    }
}

/// `AT+CMEE=<n>`: how the modem reports the errors of commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cmee {
    /// `AT+CMEE=0`: a bare `ERROR`.
    Disabled,
    /// `AT+CMEE=1`: `+CME ERROR: <code>`, which typed requests turn into
    /// the spec's error enum.
    Numeric,
    /// `AT+CMEE=2`: `+CME ERROR: <text>`.
    Verbose,
}

impl BasicCommand for Cmee {
    fn line(&self) -> &'static str {
        match self {
            Cmee::Disabled => "AT+CMEE=0",
            Cmee::Numeric => "AT+CMEE=1",
            Cmee::Verbose => "AT+CMEE=2",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_commands_write_their_lines() {
        assert_eq!(Echo::Off.line(), "ATE0");
        assert_eq!(Echo::On.line(), "ATE1");
        assert_eq!(Cmee::Disabled.line(), "AT+CMEE=0");
        assert_eq!(Cmee::Numeric.line(), "AT+CMEE=1");
        assert_eq!(Cmee::Verbose.line(), "AT+CMEE=2");
    }
}
