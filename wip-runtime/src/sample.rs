//! A recorded modem session, for tests, benchmarks, fuzzing and examples.
//! The command set it is read with comes from the spec (the generated
//! bindings' `DIALECT`, or a spec loaded at run time); nothing here
//! describes commands.

/// A recorded session of WIPsoft rev 009 (`spec/wipsoft-rev009.ron`): each step is the command line
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
