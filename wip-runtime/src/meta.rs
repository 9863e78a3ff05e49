//! Static metadata that generated bindings hand to the runtime.
//!
//! The code generator emits one [`Dialect`] per spec as plain `'static`
//! data (`pub static DIALECT: ::wip_runtime::meta::Dialect = ...;`). The
//! framer reads it to tell an information response from a URC that shares
//! its prefix (`+WIPBR:`, `+WIPDATA:`, `+WIPOPT:`), by the command in
//! flight and by the number of fields.

/// The shape of one line the modem may send: an information response of a
/// command or an unsolicited result code (manual 2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineShape {
    /// The prefix without its colon (`"+WIPBR"`); `None` for a bare line
    /// such as the `<bid>,<state>` lines of `AT+WIPBR?` (4.2.2).
    pub prefix: Option<&'static str>,
    /// The fewest comma-separated fields after the prefix.
    pub min_fields: usize,
    /// The most fields; `None` when unbounded.
    pub max_fields: Option<usize>,
    /// A free-text line: any content after the prefix, fields not counted.
    pub text: bool,
}

impl LineShape {
    /// A prefixed line with between `min` and `max` fields.
    pub const fn prefixed(prefix: &'static str, min: usize, max: usize) -> Self {
        LineShape {
            prefix: Some(prefix),
            min_fields: min,
            max_fields: Some(max),
            text: false,
        }
    }

    /// A prefixed line with exactly `n` fields.
    pub const fn exact(prefix: &'static str, n: usize) -> Self {
        Self::prefixed(prefix, n, n)
    }

    /// A bare line (no prefix) with between `min` and `max` fields.
    pub const fn bare(min: usize, max: usize) -> Self {
        LineShape {
            prefix: None,
            min_fields: min,
            max_fields: Some(max),
            text: false,
        }
    }

    /// A free-text line, with a prefix or without one.
    pub const fn free_text(prefix: Option<&'static str>) -> Self {
        LineShape {
            prefix,
            min_fields: 0,
            max_fields: None,
            text: true,
        }
    }

    /// Whether a line with `fields` fields fits this shape.
    pub const fn accepts(&self, fields: usize) -> bool {
        if self.text {
            return true;
        }
        if fields < self.min_fields {
            return false;
        }
        match self.max_fields {
            Some(max) => fields <= max,
            None => true,
        }
    }

    /// How many field counts the shape accepts (`usize::MAX` when
    /// unbounded or free text). The narrower of two matching shapes wins a
    /// tie between a response and a URC (see [`crate::framer`]).
    pub const fn width(&self) -> usize {
        if self.text {
            return usize::MAX;
        }
        match self.max_fields {
            Some(max) => max.saturating_sub(self.min_fields),
            None => usize::MAX,
        }
    }
}

/// Which kind of data mode a command can open with `CONNECT`.
///
/// The runtime needs this to know, when `CONNECT` arrives, whether DLE/ETX
/// escaping applies and what a lone ETX means (6.1.1, 6.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DataMode {
    /// The command never answers `CONNECT`.
    #[default]
    None,
    /// `+WIPDATA`: `<protocol>,<idx>,<mode>`; mode 1 is continuous, 2 is
    /// continuous transparent (6.2.7).
    Socket,
    /// `+WIPFILE`: continuous, or transparent for FTP with `<dle_mode>`=1
    /// (6.1.1, 6.1.3).
    File,
}

/// What the generated code knows about one command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandMeta {
    /// The command name with its `+` (`"+WIPBR"`).
    pub name: &'static str,
    /// Every information response line any form of the command may return.
    pub responses: &'static [LineShape],
    /// How long to wait for the final result code, in milliseconds.
    pub timeout_ms: u32,
    /// Whether and how the command can switch the line to data mode.
    pub data_mode: DataMode,
}

/// Everything the runtime needs to know about one command set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    /// All commands, in any order.
    pub commands: &'static [CommandMeta],
    /// All unsolicited result codes. A URC without a prefix is ignored:
    /// it would match every line.
    pub urcs: &'static [LineShape],
}

impl Dialect {
    /// An empty dialect: every line is a final result code or unknown.
    pub const EMPTY: Dialect = Dialect {
        commands: &[],
        urcs: &[],
    };

    /// Finds a command by name (`"+WIPBR"`, any ASCII case) and gives its
    /// index in [`Dialect::commands`].
    pub fn command(&self, name: &str) -> Option<(usize, &'static CommandMeta)> {
        self.commands
            .iter()
            .enumerate()
            .find(|(_, c)| c.name.eq_ignore_ascii_case(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static D: Dialect = Dialect {
        commands: &[CommandMeta {
            name: "+WIPBR",
            responses: &[LineShape::exact("+WIPBR", 3), LineShape::bare(2, 2)],
            timeout_ms: 1000,
            data_mode: DataMode::None,
        }],
        urcs: &[LineShape::exact("+WIPBR", 6)],
    };

    #[test]
    fn shapes_accept_their_arity() {
        let s = LineShape::prefixed("+X", 3, 5);
        assert!(!s.accepts(2) && s.accepts(3) && s.accepts(5) && !s.accepts(6));
        assert_eq!(s.width(), 2);
        assert!(LineShape::free_text(None).accepts(99));
        assert_eq!(LineShape::free_text(None).width(), usize::MAX);
    }

    #[test]
    fn command_lookup_ignores_case() {
        assert_eq!(D.command("+wipbr").map(|(i, _)| i), Some(0));
        assert!(D.command("+WIPCFG").is_none());
    }
}
