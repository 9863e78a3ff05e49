//! The manual's examples, staged under `tests/replay/`, replayed against
//! the emulator on loopback.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use wip_schema::Dialect;
use wip_sim::replay::{replay, Options};

fn dialect() -> Arc<Dialect> {
    static D: OnceLock<Arc<Dialect>> = OnceLock::new();
    Arc::clone(D.get_or_init(|| Arc::new(wip_sim::default_dialect().unwrap())))
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/replay")
}

fn opts() -> Options {
    Options {
        guard: Duration::from_millis(40),
        // 7.1.6 waits 3 s for the second of two pings (2 s apart, 1 s timeout).
        timeout: Duration::from_secs(5),
        quiet: Duration::from_millis(60),
        ..Options::default()
    }
}

fn run(name: &str) {
    let path = dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    if let Err(m) = replay(dialect(), &text, &opts(), None) {
        panic!("{}:{}: {}", path.display(), m.line, m.message);
    }
}

macro_rules! replays {
    ($($f:ident => $name:literal,)*) => {$(
        #[test]
        fn $f() {
            run($name);
        }
    )*};
}

replays! {
    r_4_1_6 => "4.1.6-wipcfg.at",
    r_4_2_6 => "4.2.6-wipbr.at",
    r_5_1_6 => "5.1.6-wipcreate.at",
    r_5_2_6 => "5.2.6-wipclose.at",
    r_5_3_6 => "5.3.6-wipopt.at",
    r_6_2_10 => "6.2.10-wipdata.at",
    r_6_1_8 => "6.1.8-wipfile.at",
    r_6_3_6 => "6.3.6-wipdatarw.at",
    r_7_1_6 => "7.1.6-wipping.at",
    r_9_1_1_1 => "9.1.1.1-tcp-server-gprs.at",
    r_9_1_1_2 => "9.1.1.2-tcp-server-gsm.at",
    r_9_1_2_1 => "9.1.2.1-tcp-client-gprs.at",
    r_5_3_7_6_4_2 => "5.3.7.6.4.2-mms-recipients.at",
    r_9_1_2_2 => "9.1.2.2-tcp-client-gsm.at",
    r_9_2 => "9.2-udp.at",
    r_9_3 => "9.3-ping.at",
    r_9_4 => "9.4-ftp.at",
    r_9_5 => "9.5-ftp-data-offline.at",
    r_9_6 => "9.6-http.at",
    r_9_7 => "9.7-smtp.at",
    r_9_8 => "9.8-pop3.at",
    r_9_9 => "9.9-mms.at",
    r_9_10 => "9.10-tcp-server-max-spawn.at",
    r_9_11 => "9.11-reserved-index-server.at",
    r_9_12 => "9.12-reserved-index-client.at",
    r_9_13 => "9.13-max-sockets.at",
    r_9_14 => "9.14-max-sock-num.at",
    r_9_15 => "9.15-max-sockets-and-session.at",
    r_9_17 => "9.17-client-server-same-cpu.at",
}

/// Every file of `tests/replay/` is replayed above.
#[test]
fn every_staged_file_is_replayed() {
    let src = include_str!("replay.rs");
    for e in std::fs::read_dir(dir()).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".at") {
            assert!(
                src.contains(&format!("\"{name}\"")),
                "{name} is not replayed"
            );
        }
    }
}

/// A replay fails at the line that is not what the modem sends.
#[test]
fn mismatches_are_reported_at_their_line() {
    let cases = [
        (
            "9.10-tcp-server-max-spawn.at",
            "+WIPACCEPT: 1,6 ",
            "+WIPACCEPT: 1,7 ",
            "expected `+WIPACCEPT: 1,7`, got `+WIPACCEPT: 1,6`",
        ),
        (
            "9.17-client-server-same-cpu.at",
            "<< abc",
            "<< abd",
            "expected \"abd\", got \"abc\"",
        ),
        (
            "9.13-max-sockets.at",
            "+CME ERROR: 840",
            "+CME ERROR: 841",
            "got `+CME ERROR: 840`",
        ),
        (
            "9.2-udp.at",
            "@expect www \"hello\"",
            "@expect www \"hellO\"",
            "expected \"hellO\" at peer www, got \"hello\"",
        ),
        (
            "9.10-tcp-server-max-spawn.at",
            "@expect-closed c7",
            "@expect www \"x\"",
            "no peer `www`",
        ),
    ];
    for (file, from, to, want) in cases {
        let text = std::fs::read_to_string(dir().join(file)).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        let line = text[..text.find(from).unwrap()].lines().count() + 1;
        let broken = text.replacen(from, to, 1);
        let m = replay(dialect(), &broken, &opts(), None).expect_err(file);
        assert!(m.message.contains(want), "{file}: {}", m.message);
        assert_eq!(m.line, line, "{file}: {}", m.message);
    }
}

/// Lines the modem sends that the transcript does not have are reported.
#[test]
fn extra_modem_lines_are_reported() {
    let text = "AT+WIPCFG=1\nOK\nAT+WIPCFG=1\n";
    let m = replay(dialect(), text, &opts(), None).expect_err("extra");
    assert!(m.message.contains("ERROR"), "{}", m.message);
    assert_eq!(m.line, 3);
}

/// The events of a transcript that are traffic: comments, trailing
/// comments and directives left out.
fn traffic(text: &str) -> Vec<(String, wip_transcript::Event)> {
    use wip_transcript::Event;
    wip_transcript::parse_str(text)
        .unwrap()
        .into_iter()
        .filter_map(|e| {
            let v = match e.value {
                Event::Comment(_) | Event::Directive { .. } => return None,
                Event::Command { text, .. } => Event::Command {
                    text,
                    comment: None,
                },
                Event::ModemLine { text, .. } => Event::ModemLine {
                    text,
                    comment: None,
                },
                Event::Escape { .. } => Event::Escape { comment: None },
                other => other,
            };
            Some((e.channel, v))
        })
        .collect()
}

/// A staged copy differs from the manual's transcript only by directive
/// lines and comments: the manual's lines stay intact.
#[test]
fn staged_copies_keep_the_manuals_lines() {
    let originals = dir().join("../transcripts");
    for e in std::fs::read_dir(dir()).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_none_or(|x| x != "at") {
            continue;
        }
        let staged = std::fs::read_to_string(&path).unwrap();
        let original = std::fs::read_to_string(originals.join(path.file_name().unwrap())).unwrap();
        assert_eq!(traffic(&staged), traffic(&original), "{}", path.display());
        // And the directives added are all replay's own or @channel.
        for ev in wip_transcript::parse_str(&staged).unwrap() {
            if let wip_transcript::Event::Directive { name, args, .. } = ev.value {
                let known = name == "channel"
                    || wip_sim::replay::parse_directive(&name, &args)
                        .unwrap()
                        .is_some();
                assert!(known, "{}:{}: @{name}", path.display(), ev.line);
            }
        }
    }
}

/// `@match` captures a value the modem picks, and directives use it.
#[test]
fn captured_values_reach_directives() {
    let text = r#"
AT+WIPCFG=1
OK
AT+WIPBR=1,6
OK
AT+WIPBR=4,6,0
OK
@peer udp p 10.9.9.9:9
AT+WIPCREATE=1,1,,"10.9.9.9",9
OK
+WIPREADY: 1,1
AT+WIPOPT=1,1,1,0
@match +WIPOPT: 1,0,{port}
+WIPOPT: 1,0,49152
OK
@send p to {port} "hello[ETX]"
+WIPDATA: 1,1,6,"10.9.9.9",9
AT+WIPDATA=1,1,1
CONNECT
<< hello[DLE][ETX][ETX]
>> back[ETX]
@expect p "back"
@reset p
"#;
    let r = replay(dialect(), text, &opts(), None);
    // `@reset` has no connection to act on for a UDP peer.
    let m = r.expect_err("reset on udp");
    assert!(m.message.contains("no connection"), "{}", m.message);
    assert_eq!(m.line, 23);
    let ok = text.replace("@reset p\n", "+++\nOK\n");
    replay(dialect(), &ok, &opts(), None).unwrap();
}

/// A TCP peer that resets while the socket is mapped: ETX, then 843; a
/// peer staged again under the same name closes the old one's
/// connections: +WIPPEERCLOSE.
#[test]
fn peer_reset_and_peer_close() {
    let text = r#"
AT+CMEE=1
OK
AT+WIPCFG=1
OK
AT+WIPBR=1,6
OK
AT+WIPBR=4,6,0
OK
@peer tcp srv listen example.com:80
AT+WIPCREATE=2,1,"example.com",80
OK
+WIPREADY: 2,1
AT+WIPCREATE=2,2,"example.com",80
OK
+WIPREADY: 2,2
AT+WIPDATA=2,2,1
CONNECT
@send srv "x"
<< x
@reset srv
<< [ETX]
+CME ERROR: 843
@peer tcp srv listen example.com:80
+WIPPEERCLOSE: 2,1
AT+WIPCREATE=2,3,"example.com",80
OK
+WIPREADY: 2,3
@close srv
+WIPPEERCLOSE: 2,3
AT+WIPCLOSE=2,3
OK
"#;
    replay(dialect(), text, &opts(), None).unwrap();
}
