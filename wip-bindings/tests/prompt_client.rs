//! Prompt-and-payload commands through the generated bindings of
//! tests/specs/prompt.ron (schema point 1), on the blocking and the async
//! client, against a scripted modem on a loopback TCP socket: the line,
//! the prompt, the payload exactly as the form declares it, then the
//! typed answer.

mod common;

#[deny(warnings)]
mod prompts {
    wip_macros::include_spec!("../tests/specs/prompt.ron");
}

use prompts::{CipsendSend, CmgsSent, CmgsText, UsowrBinary, UsowrWritten, DIALECT};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use wip_runtime::client::{Client, ClientConfig, SendError};
use wip_runtime::schema::payload::PromptCommand;
use wip_runtime::Final;

/// What the scripted modem saw: the command line, the payload, and how
/// long after its prompt the payload's first byte came.
struct Seen {
    line: Vec<u8>,
    payload: Vec<u8>,
    after_prompt: Duration,
}

/// A modem that reads one command line, answers `prompt`, reads exactly
/// `payload_len` bytes and answers `reply`.
fn modem(
    prompt: &'static [u8],
    payload_len: usize,
    reply: &'static [u8],
) -> (TcpStream, JoinHandle<Seen>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let t = std::thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut line = Vec::new();
        let mut b = [0u8; 1];
        while line.last() != Some(&b'\r') {
            s.read_exact(&mut b).unwrap();
            line.push(b[0]);
        }
        s.write_all(prompt).unwrap();
        let sent = Instant::now();
        let mut payload = vec![0u8; payload_len];
        s.read_exact(&mut payload).unwrap();
        let after_prompt = sent.elapsed();
        s.write_all(reply).unwrap();
        Seen {
            line,
            payload,
            after_prompt,
        }
    });
    (TcpStream::connect(addr).unwrap(), t)
}

#[test]
fn the_forms_with_a_prompt_say_so() {
    assert_eq!(CmgsText::prompt().map(|p| p.text.as_ref()), Some("\r\n> "));
    assert_eq!(UsowrBinary::prompt().map(|p| p.delay_ms), Some(50));
    assert_eq!(
        DIALECT,
        wip_codegen::load_file(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/specs/prompt.ron")
        )
        .unwrap()
        .dialect
    );
}

#[test]
fn a_27005_text_is_ended_by_ctrl_z_and_answered_typed() {
    let (io, modem) = modem(b"\r\n> ", 9, b"\r\n+CMGS: 7\r\n\r\nOK\r\n");
    let mut c = Client::new(io, &DIALECT, ClientConfig::default());
    let req = CmgsText::new("9194547830").unwrap();
    let a = c.send_with_payload(&req, b"Test SMS").unwrap();
    assert_eq!(a.responses, vec![CmgsSent { mr: 7 }]);
    assert_eq!(a.final_code, Final::Ok);
    let seen = modem.join().unwrap();
    assert_eq!(seen.line, b"AT+CMGS=\"9194547830\"\r");
    assert_eq!(seen.payload, b"Test SMS\x1A");
}

#[test]
fn a_counted_payload_is_written_after_the_declared_delay() {
    let data = b"16 bytes of data";
    let (io, modem) = modem(b"\r\n@", 16, b"\r\n+USOWR: 3,16\r\n\r\nOK\r\n");
    let mut c = Client::new(io, &DIALECT, ClientConfig::default());
    let a = c
        .send_with_payload(&UsowrBinary::new(3, 16).unwrap(), data)
        .unwrap();
    assert_eq!(
        a.responses,
        vec![UsowrWritten {
            socket: 3,
            length: 16
        }]
    );
    let seen = modem.join().unwrap();
    assert_eq!(seen.line, b"AT+USOWR=3,16\r");
    assert_eq!(seen.payload, data);
    assert!(
        seen.after_prompt >= Duration::from_millis(50),
        "{:?}",
        seen.after_prompt
    );
}

#[test]
fn a_payload_of_another_length_than_declared_is_not_sent() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let io = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    let (mut peer, _) = l.accept().unwrap();
    let mut c = Client::new(io, &DIALECT, ClientConfig::default());
    let e = c
        .send_with_payload(&UsowrBinary::new(3, 16).unwrap(), b"short")
        .unwrap_err();
    let SendError::Invalid(e) = e else {
        panic!("{e}")
    };
    assert_eq!(e.param.as_deref(), Some("length"));
    assert_eq!(
        e.to_string(),
        "+USOWR <length> = 16, but the payload has 5 bytes"
    );
    drop(c);
    let mut got = Vec::new();
    peer.read_to_end(&mut got).unwrap();
    assert!(got.is_empty(), "nothing was written: {got:?}");
}

#[test]
fn a_terminated_payload_escapes_its_special_bytes() {
    // SIM7600 without <length>: Ctrl-Z ends, ETX escapes Ctrl-Z, ESC and ETX.
    let (io, modem) = modem(b"\r\n>", 7, b"\r\nOK\r\n");
    let mut c = Client::new(io, &DIALECT, ClientConfig::default());
    let a = c
        .send_with_payload(&CipsendSend::new(0).unwrap(), b"a\x1Ab\x03")
        .unwrap();
    assert_eq!(a.final_code, Final::Ok);
    let seen = modem.join().unwrap();
    assert_eq!(seen.line, b"AT+CIPSEND=0\r");
    assert_eq!(seen.payload, b"a\x03\x1Ab\x03\x03\x1A");
}

#[test]
fn an_error_instead_of_the_prompt_is_the_answer() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let io = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    let (mut peer, _) = l.accept().unwrap();
    let t = std::thread::spawn(move || {
        let mut b = [0u8; 64];
        let n = peer.read(&mut b).unwrap();
        peer.write_all(b"\r\nERROR\r\n").unwrap();
        let mut rest = Vec::new();
        peer.read_to_end(&mut rest).unwrap();
        (b[..n].to_vec(), rest)
    });
    let mut c = Client::new(io, &DIALECT, ClientConfig::default());
    let e = c
        .send_with_payload(
            &CipsendSend::new(0).unwrap().with_length(4).unwrap(),
            b"data",
        )
        .unwrap_err();
    assert!(
        matches!(
            e,
            SendError::Failed {
                final_code: Final::Error,
                ..
            }
        ),
        "{e}"
    );
    drop(c);
    let (line, rest) = t.join().unwrap();
    assert_eq!(line, b"AT+CIPSEND=0,4\r");
    assert!(rest.is_empty(), "no payload without a prompt: {rest:?}");
}

#[test]
fn the_async_client_sends_a_payload_after_the_prompt() {
    let (io, modem) = modem(b"\r\n> ", 9, b"\r\n+CMGS: 9\r\n\r\nOK\r\n");
    io.set_nonblocking(true).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let a = rt.block_on(async move {
        let io = tokio::net::TcpStream::from_std(io).unwrap();
        let (mut c, _urcs) =
            wip_runtime::client::AsyncClient::new(io, &DIALECT, ClientConfig::default());
        c.send_with_payload(&CmgsText::new("1").unwrap(), b"Test SMS")
            .await
    });
    let a = a.unwrap();
    assert_eq!(a.responses, vec![CmgsSent { mr: 9 }]);
    let seen = modem.join().unwrap();
    assert_eq!(seen.line, b"AT+CMGS=\"1\"\r");
    assert_eq!(seen.payload, b"Test SMS\x1A");
}

#[test]
fn every_form_and_message_round_trips() {
    let forms = common::check_forms(&api!(crate::prompts), 64);
    assert_eq!((forms.items, forms.values), (4, 4 * 64));
    let messages = common::check_messages(&api!(crate::prompts), 64);
    assert_eq!((messages.items, messages.values), (3, 3 * 64));
}
