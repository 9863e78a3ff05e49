//! A small hand-written [`Dialect`] of WIPsoft commands, the shape the
//! code generator emits, for tests, benchmarks, fuzzing and examples.
//! Bindings generated from the spec replace it in real use.

use crate::meta::{CommandMeta, DataMode, Dialect, LineShape};

/// `+WIPCFG`, `+WIPBR`, `+WIPCREATE`, `+WIPDATA`, `+WIPCLOSE`,
/// `+WIPDATARW` and `+WIPFILE` with their responses, and the URCs
/// `+WIPREADY`, `+WIPPEERCLOSE`, `+WIPDATA` (3 fields for TCP, 5 for UDP,
/// 6.2.6), `+WIPBR` (6 fields, 4.2.2) and `+WIPDATARW` (6.3.2).
pub static DIALECT: Dialect = Dialect {
    commands: &[
        CommandMeta {
            name: "+WIPCFG",
            // 4.1.2: `+WIPCFG: <optnum>,<value>` for the read command, free
            // text for the version (mode 3).
            responses: &[LineShape::exact("+WIPCFG", 2), LineShape::free_text(None)],
            timeout_ms: 5_000,
            data_mode: DataMode::None,
        },
        CommandMeta {
            name: "+WIPBR",
            // 4.2.2: `+WIPBR: <bid>,<opt num>,<value>` for cmdtype 3, and
            // bare `<bid>,<state>` lines for the read command.
            responses: &[LineShape::exact("+WIPBR", 3), LineShape::bare(2, 2)],
            timeout_ms: 30_000,
            data_mode: DataMode::None,
        },
        CommandMeta {
            name: "+WIPCREATE",
            responses: &[],
            timeout_ms: 10_000,
            data_mode: DataMode::None,
        },
        CommandMeta {
            name: "+WIPDATA",
            responses: &[],
            timeout_ms: 5_000,
            data_mode: DataMode::Socket,
        },
        CommandMeta {
            name: "+WIPCLOSE",
            responses: &[],
            timeout_ms: 5_000,
            data_mode: DataMode::None,
        },
        CommandMeta {
            name: "+WIPDATARW",
            responses: &[LineShape::prefixed("+WIPDATARW", 2, 3)],
            timeout_ms: 5_000,
            data_mode: DataMode::None,
        },
        CommandMeta {
            name: "+WIPFILE",
            responses: &[],
            timeout_ms: 60_000,
            data_mode: DataMode::File,
        },
    ],
    urcs: &[
        LineShape::exact("+WIPREADY", 2),
        LineShape::exact("+WIPPEERCLOSE", 2),
        LineShape::exact("+WIPDATA", 3),
        LineShape::exact("+WIPDATA", 5),
        LineShape::exact("+WIPBR", 6),
        LineShape::prefixed("+WIPDATARW", 2, 5),
    ],
};

/// Index of `+WIPREADY` in [`DIALECT`]`.urcs`.
pub const URC_READY: usize = 0;
/// Index of `+WIPPEERCLOSE` in [`DIALECT`]`.urcs`.
pub const URC_PEERCLOSE: usize = 1;
/// Index of the TCP `+WIPDATA` URC (3 fields).
pub const URC_DATA_TCP: usize = 2;
/// Index of the UDP `+WIPDATA` URC (5 fields).
pub const URC_DATA_UDP: usize = 3;
/// Index of the `+WIPBR` bearer URC (6 fields).
pub const URC_BEARER: usize = 4;
/// Index of the `+WIPDATARW` URC.
pub const URC_DATARW: usize = 5;

/// A recorded session in the sample dialect: each step is the command line
/// the host sent (`"+++"` for the escape sequence) and then the bytes the
/// modem answered. It follows
/// manual 9.1.2.1 with echo on, adds URCs between responses, a TCP data
/// exchange with escapes, a SHUTDOWN indication and a reset (6.2.5), and a
/// UDP data exchange left with `+++`.
pub static RECORDED: &[(&str, &[u8])] = &[
    ("AT+WIPCFG=1", b"AT+WIPCFG=1\r\r\nOK\r\n"),
    ("AT+WIPBR=1,6", b"\r\nOK\r\n"),
    (
        "AT+WIPBR=3,6,11",
        b"\r\n+WIPBR: 6,1,\"10.0.0.2\",\"10.0.0.1\",\"8.8.8.8\",\"8.8.4.4\"\r\n\
          \r\n+WIPBR: 6,11,\"APN, name\"\r\n\r\nOK\r\n",
    ),
    ("AT+WIPBR?", b"\r\n6,1\r\n\r\n5,0\r\n\r\nOK\r\n"),
    (
        "AT+WIPCREATE=2,1,\"10.0.0.1\",80",
        b"\r\nOK\r\n\r\n+WIPREADY: 2,1\r\n\r\n+WIPDATA: 2,1,12\r\n",
    ),
    (
        "AT+WIPDATA=2,1,1",
        b"\r\nCONNECT\r\nab\x10\x03\x10\x10\r\nSHUTDOWN\r\ncd\r\nOK\x03\r\n+CME ERROR: 843\r\n\
          \r\n+WIPPEERCLOSE: 2,1\r\n",
    ),
    ("AT+WIPDATA=1,2,1", b"\r\nCONNECT\r\nudp\x03one\x10\x03\x03"),
    (
        "+++",
        b"\r\n+WIPDATA: 1,2,10,\"192.168.1.2\",1357\r\n\r\nOK\r\n\
          \r\n+WIPDATA: 1,2,10,\"192.168.1.2\",1357\r\n",
    ),
    ("AT+WIPCLOSE=2,1", b"\r\nERROR\r\n"),
];
