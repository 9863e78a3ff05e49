//! The blocking client on the vendors' prompt-and-payload commands, against
//! a scripted modem on a loopback TCP connection: the line is written, the
//! payload follows the prompt (counted, or ended by Ctrl-Z), and the typed
//! answer and the completion URC come back.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::Duration;
use wip_runtime::client::{Client, ClientConfig, SendError};
use wip_runtime::schema::typed::TypedCommand;
use wip_runtime::Final;
use wip_vendor_bindings::{base, simcom, ublox};

/// How the scripted modem takes the payload after its prompt.
enum Take {
    Count(usize),
    Until(u8),
    /// Up to `end`, a byte after `escape` being data.
    Escaped {
        end: u8,
        escape: u8,
    },
}

struct Step {
    line: &'static str,
    prompt: &'static [u8],
    take: Take,
    answer: &'static [u8],
}

fn read_byte(s: &mut TcpStream) -> Option<u8> {
    let mut b = [0u8; 1];
    match s.read(&mut b) {
        Ok(1) => Some(b[0]),
        _ => None,
    }
}

/// Serves `steps` on one connection; gives back the payloads it received.
fn modem(steps: Vec<Step>) -> (TcpStream, JoinHandle<Vec<Vec<u8>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut payloads = Vec::new();
        for step in steps {
            let mut line = Vec::new();
            while let Some(b) = read_byte(&mut s) {
                if b == b'\r' {
                    break;
                }
                line.push(b);
            }
            assert_eq!(String::from_utf8_lossy(&line), step.line);
            s.write_all(step.prompt).unwrap();
            let mut got = Vec::new();
            match step.take {
                Take::Count(n) => {
                    while got.len() < n {
                        got.push(read_byte(&mut s).unwrap());
                    }
                }
                Take::Until(end) => loop {
                    let b = read_byte(&mut s).unwrap();
                    got.push(b);
                    if b == end {
                        break;
                    }
                },
                Take::Escaped { end, escape } => loop {
                    let b = read_byte(&mut s).unwrap();
                    got.push(b);
                    if b == escape {
                        got.push(read_byte(&mut s).unwrap());
                    } else if b == end {
                        break;
                    }
                },
            }
            payloads.push(got);
            s.write_all(step.answer).unwrap();
        }
        payloads
    });
    (TcpStream::connect(addr).unwrap(), handle)
}

#[test]
fn cmgs_text_is_sent_after_the_prompt_and_ended_by_ctrl_z() {
    let (io, modem) = modem(vec![Step {
        line: "AT+CMGS=\"9194547830\"",
        prompt: b"\r\n> ",
        take: Take::Until(0x1A),
        answer: b"\r\n+CMGS: 1\r\n\r\nOK\r\n",
    }]);
    let mut c = Client::new(io, &base::DIALECT, ClientConfig::default());
    let req = base::CmgsSendText::new("9194547830").unwrap();
    let answer = c.send_with_payload(&req, b"Test SMS").unwrap();
    assert_eq!(answer.final_code, Final::Ok);
    assert_eq!(answer.responses, vec![base::CmgsSent { mr: 1 }]);
    drop(c);
    assert_eq!(modem.join().unwrap(), vec![b"Test SMS\x1A".to_vec()]);
}

#[test]
fn cipsend_writes_exactly_length_bytes_and_its_completion_is_a_typed_urc() {
    let (io, modem) = modem(vec![Step {
        line: "AT+CIPSEND=5,5,\"183.230.174.137\",6031",
        prompt: b">",
        take: Take::Count(5),
        answer: b"\r\nOK\r\n\r\n+CIPSEND: 5,5,5\r\n",
    }]);
    let mut c = Client::new(io, &simcom::DIALECT, ClientConfig::default());
    let req = simcom::CipsendSend::new(5, 5)
        .and_then(|r| r.with_server_ip("183.230.174.137"))
        .and_then(|r| r.with_server_port(6031))
        .unwrap();
    // A payload of another length than <length> is refused before anything is sent.
    match c.send_with_payload(&req, b"123456") {
        Err(SendError::Invalid(e)) => assert!(e.to_string().contains("<length>"), "{e}"),
        other => panic!("{other:?}"),
    }
    let answer = c.send_with_payload(&req, b"12345").unwrap();
    assert_eq!(answer.final_code, Final::Ok);
    assert!(answer.responses.is_empty());
    let urc = c.next_urc(Duration::from_secs(10)).unwrap().unwrap();
    let result = simcom::DIALECT
        .messages
        .iter()
        .position(|m| m.id == "CipsendResult");
    assert_eq!(urc.message, result);
    drop(c);
    assert_eq!(modem.join().unwrap(), vec![b"12345".to_vec()]);
}

#[test]
fn usowr_binary_waits_for_the_at_prompt_and_writes_any_byte() {
    let (io, modem) = modem(vec![Step {
        line: "AT+USOWR=3,4",
        prompt: b"@",
        take: Take::Count(4),
        answer: b"\r\n+USOWR: 3,4\r\n\r\nOK\r\n",
    }]);
    let mut c = Client::new(io, &ublox::DIALECT, ClientConfig::default());
    let req = ublox::UsowrWriteBinary::new(3, 4).unwrap();
    let answer = c.send_with_payload(&req, b"\r\n\"\x1A").unwrap();
    assert_eq!(answer.final_code, Final::Ok);
    assert_eq!(
        answer.responses,
        vec![ublox::UsowrWritten {
            socket: 3,
            length: 4
        }]
    );
    drop(c);
    assert_eq!(modem.join().unwrap(), vec![b"\r\n\"\x1A".to_vec()]);
}

#[test]
fn cipsend_with_length_left_empty_escapes_ctrl_z_esc_and_etx_and_ends_with_ctrl_z() {
    let (io, modem) = modem(vec![Step {
        line: "AT+CIPSEND=0,",
        prompt: b">",
        take: Take::Escaped {
            end: 0x1A,
            escape: 0x03,
        },
        answer: b"\r\nOK\r\n\r\n+CIPSEND: 0,7,7\r\n",
    }]);
    let mut c = Client::new(io, &simcom::DIALECT, ClientConfig::default());
    let req = simcom::CipsendSendVariable::new(0).unwrap();
    // The manual writes the comma (AT+CIPSEND=<link_num>,[<length>]); the
    // spec keeps <length> as an empty field. Both lines parse to this form.
    assert_eq!(req.encode(), "AT+CIPSEND=0,");
    for line in ["AT+CIPSEND=0", "AT+CIPSEND=0,"] {
        assert_eq!(
            simcom::Request::parse(line).unwrap(),
            simcom::Request::from(req.clone())
        );
    }
    // More than the 1500 bytes a command sends is refused before anything
    // is sent (`max_len`).
    match c.send_with_payload(&req, &[b'x'; 1501]) {
        Err(SendError::Invalid(e)) => assert!(
            e.to_string()
                .contains("payload of 1501 bytes is longer than the 1500 bytes it may hold"),
            "{e}"
        ),
        other => panic!("{other:?}"),
    }
    let answer = c.send_with_payload(&req, b"a\x1Ab\x1Bc\x03d").unwrap();
    assert_eq!(answer.final_code, Final::Ok);
    drop(c);
    assert_eq!(
        modem.join().unwrap(),
        vec![b"a\x03\x1Ab\x03\x1Bc\x03\x03d\x1A".to_vec()]
    );
}

/// SIM7600 17.2.13 (simcom-sim7600.md 2, completion row): `OK` at once, the
/// connection's outcome later as `+CIPOPEN: <link_num>,<err>`; the
/// completion of another link stays queued.
#[test]
fn cipopen_completes_with_the_cipopen_urc_of_its_own_link() {
    let (io, modem) = modem(vec![Step {
        line: "AT+CIPOPEN=0,\"TCP\",\"93.184.216.34\",80",
        prompt: b"",
        take: Take::Count(0),
        answer: b"\r\nOK\r\n\r\n+CIPOPEN: 1,4\r\n\r\n+CIPOPEN: 0,0\r\n",
    }]);
    let mut c = Client::new(io, &simcom::DIALECT, ClientConfig::default());
    let req = simcom::CipopenOpen::new(0, simcom::IpProtocol::Tcp)
        .and_then(|o| o.with_server_ip("93.184.216.34"))
        .and_then(|o| o.with_server_port(80))
        .unwrap();
    let (answer, done) = c.send_and_complete(&req).unwrap();
    assert_eq!(answer.final_code, Final::Ok);
    assert_eq!(
        done,
        simcom::CipopenResult {
            link_num: 0,
            err: simcom::TcpipError::OperationSucceeded
        }
    );
    let other = c.next_urc(Duration::from_secs(10)).unwrap().unwrap();
    assert_eq!(other.line.text, "+CIPOPEN: 1,4");
    drop(c);
    modem.join().unwrap();
}

/// SARA-R4 18.9 (ublox-sara.md +USOCO completion row): with
/// `<async_connect>` = 1 the outcome is `+UUSOCO: <socket>,<socket_error>`;
/// without it no completion is declared.
#[test]
fn async_usoco_completes_with_uusoco() {
    let (io, modem) = modem(vec![Step {
        line: "AT+USOCO=3,\"151.9.34.66\",2222,1",
        prompt: b"",
        take: Take::Count(0),
        answer: b"\r\nOK\r\n\r\n+UUSOCO: 3,0\r\n",
    }]);
    let mut c = Client::new(io, &ublox::DIALECT, ClientConfig::default());
    let blocking = ublox::UsocoConnect::new(3, "151.9.34.66", 2222).unwrap();
    assert!(matches!(
        c.send_and_complete(&blocking),
        Err(SendError::NotCompleting { .. })
    ));
    let req = blocking
        .with_async_connect(ublox::AsyncMode::Async)
        .unwrap();
    let (answer, done) = c.send_and_complete(&req).unwrap();
    assert_eq!(answer.final_code, Final::Ok);
    assert_eq!(
        done,
        ublox::UusocoResult {
            socket: 3,
            socket_error: 0
        }
    );
    drop(c);
    modem.join().unwrap();
}
