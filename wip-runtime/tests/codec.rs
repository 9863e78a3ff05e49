//! The framer as a `tokio_util` codec, with `Framed` over a duplex pipe.

mod common;

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::codec::Framed;

use common::rev009;
use wip_runtime::client::Frame;
use wip_runtime::codec::{Payload, RawLine, WipCodec};
use wip_runtime::framer::EtxMeaning;
use wip_runtime::Final;

#[tokio::test]
async fn framed_sends_lines_and_payload_and_frames_replies_urcs_and_data() {
    let (host, mut modem) = tokio::io::duplex(1 << 16);
    let mut framed = Framed::new(host, WipCodec::new(rev009()));

    framed.send(RawLine("AT+WIPBR=3,6,11")).await.unwrap();
    let mut line = [0u8; 16];
    modem.read_exact(&mut line).await.unwrap();
    assert_eq!(&line, b"AT+WIPBR=3,6,11\r");
    modem
        .write_all(b"\r\n+WIPBR: 6,11,\"internet\"\r\n\r\nOK\r\n\r\n+WIPREADY: 2,1\r\n")
        .await
        .unwrap();
    let f = framed.next().await.unwrap().unwrap();
    let Frame::Response { line, .. } = f else {
        panic!("{f:?}")
    };
    assert_eq!(line.text, "+WIPBR: 6,11,\"internet\"");
    assert_eq!(
        framed.next().await.unwrap().unwrap(),
        Frame::Final(Final::Ok)
    );
    let f = framed.next().await.unwrap().unwrap();
    assert!(
        matches!(&f, Frame::Urc { line, .. } if line.text == "+WIPREADY: 2,1"),
        "{f:?}"
    );

    // Data mode: the session comes from the spec's outcome of the form.
    framed.send(RawLine("AT+WIPDATA=2,1,1")).await.unwrap();
    let mut line = [0u8; 17];
    modem.read_exact(&mut line).await.unwrap();
    modem
        .write_all(b"\r\nCONNECT\r\nab\x10\x03cd\x10\x10e\x03")
        .await
        .unwrap();
    assert_eq!(
        framed.next().await.unwrap().unwrap(),
        Frame::Final(Final::Connect)
    );
    assert_eq!(
        framed.next().await.unwrap().unwrap(),
        Frame::Data(bytes::Bytes::from_static(b"ab\x03cd\x10e")),
        "adjacent payload merged"
    );
    assert_eq!(
        framed.next().await.unwrap().unwrap(),
        Frame::EndOfData(Some(EtxMeaning::Shutdown))
    );
    framed.send(Payload(b"x\x03\x10")).await.unwrap();
    let mut wire = [0u8; 5];
    modem.read_exact(&mut wire).await.unwrap();
    assert_eq!(&wire, b"x\x10\x03\x10\x10");
    modem.write_all(b"\r\n+CME ERROR: 843\r\n").await.unwrap();
    assert_eq!(
        framed.next().await.unwrap().unwrap(),
        Frame::Final(Final::CmeError(Some(843)))
    );
    assert!(!framed.codec().framer().in_data_mode());
    let err = framed.send(Payload(b"late")).await.unwrap_err();
    assert_eq!(err.to_string(), "payload outside data mode");
}

#[test]
fn lines_are_slices_of_the_read_buffer() {
    use bytes::BytesMut;
    use tokio_util::codec::Decoder;

    let mut codec = WipCodec::new(rev009());
    let mut src = BytesMut::from(&b"\r\n+WIPREADY: 2,1\r\n\r\n+WIPPEERCLOSE: 2,5\r\n"[..]);
    let (start, end) = (src.as_ptr() as usize, src.as_ptr() as usize + src.len());
    let mut lines = Vec::new();
    while let Some(f) = codec.decode(&mut src).unwrap() {
        let Frame::Urc { line, .. } = f else {
            panic!("{f:?}")
        };
        lines.push(line);
    }
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].text, "+WIPREADY: 2,1");
    for l in &lines {
        let at = l.text.as_ptr() as usize;
        assert!(at >= start && at + l.text.len() <= end, "{l:?} was copied");
    }
}
