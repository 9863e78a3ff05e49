//! `Framer::feed_typed` gives what `Framer::feed` then `decode_framed`
//! give, for random sessions of each vendor spec: the 3GPP base (test
//! answers with `(` lists, free text without a prefix, messages of one
//! prefix told apart by their field counts), and the u-blox and SIMCom
//! specs (payloads and glued prefixes: every line goes the way of
//! `Framer::feed` there).

#[path = "../../../wip-bindings/tests/fused_common/mod.rs"]
mod fused_common;

use fused_common::compare;
use wip_vendor_bindings::{base, simcom, ublox};

#[test]
fn base_sessions_give_the_same() {
    let t = compare::<base::Urc, base::Response>(&base::DIALECT, 0xBA5E, 800);
    println!("{t:?}");
    assert!(t.urcs_ok > 200 && t.responses_ok > 200, "{t:?}");
}

#[test]
fn ublox_sessions_give_the_same() {
    let t = compare::<ublox::Urc, ublox::Response>(&ublox::DIALECT, 0x0B10C, 300);
    println!("{t:?}");
    assert!(t.urcs_ok > 100 && t.responses_ok > 20, "{t:?}");
}

#[test]
fn simcom_sessions_give_the_same() {
    let t = compare::<simcom::Urc, simcom::Response>(&simcom::DIALECT, 0x517C, 300);
    println!("{t:?}");
    assert!(t.urcs_ok > 100 && t.responses_ok > 20, "{t:?}");
}
