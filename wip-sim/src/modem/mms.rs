//! MMS sessions (5.1.2 mode 8, 5.3.7.6, 9.9): the options gather the
//! message, each declared file comes with one +WIPFILE in the declared
//! order (kept by the core, cut at its declared size, 6.1.9), and
//! WIP_MMS_DONE encodes it all as an OMA MMS 1.2 `m-send-req` (WSP binary
//! encoding, OMA-TS-MMS_ENC) that the driver posts to the MMSC.

use wip_schema::Val;

/// A file declared with WIP_MMS_ADD_FILE or WIP_MMS_ADD_FILE_ANY.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MmsFile {
    /// Its MIME type.
    pub mime: String,
    /// The declared size: data beyond it is cut (6.1.9).
    pub size: usize,
    /// Content-Location.
    pub name: Option<String>,
    /// Content-ID.
    pub cid: Option<String>,
    /// The text file type of WIP_MMS_ADD_FILE (0 to 3), for its charset.
    pub charset: Option<i64>,
    /// The data sent for it with +WIPFILE.
    pub data: Vec<u8>,
}

/// What the options of an MMS session hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MmsMessage {
    /// WIP_MMS_TO_PHONE / _EMAIL entries, in order.
    pub to: Vec<String>,
    /// CC entries.
    pub cc: Vec<String>,
    /// BCC entries.
    pub bcc: Vec<String>,
    /// WIP_MMS_SUBJECT.
    pub subject: Option<String>,
    /// WIP_MMS_FROM.
    pub from: Option<String>,
    /// WIP_MMS_CLASS (5.3.7.6.1): 0 personal, 1 informational, 2
    /// advertisement, 3 auto.
    pub class: i64,
    /// WIP_MMS_PRIORITY (5.3.7.6.2): 0 low, 1 normal, 2 high.
    pub priority: i64,
    /// WIP_MMS_SENDER_VISIBILITY: 0 show, 1 hide.
    pub hide_sender: bool,
    /// WIP_MMS_MULTIPART_TYPE related: the presentation's type and start.
    pub related: Option<(String, String)>,
    /// Files, in the declared order.
    pub files: Vec<MmsFile>,
    /// `(option, length)` of every value written to an option that a
    /// total of the spec counts (5.3.7.6.4.1).
    pub written: Vec<(i64, usize)>,
    /// How many files +WIPFILE has sent.
    pub sent: usize,
    /// The file being sent was cut at its declared size.
    pub cut: bool,
}

/// The MIME type of a file type of 5.3.7.6.3.
pub fn mime_of(file_type: i64) -> &'static str {
    match file_type {
        0..=3 => "text/plain",
        4 => "image/jpeg",
        5 => "image/gif",
        6 => "image/tiff",
        7 => "image/png",
        8 => "image/vnd.wap.wbmp",
        9 => "application/smil",
        _ => "application/octet-stream",
    }
}

/// The charset of a text file type (IANA MIBenum): UTF-8 106, UTF-16
/// 1015, UCS-2 1000, US-ASCII 3.
fn charset_of(mime: &str, file_type: Option<i64>) -> Option<u32> {
    if mime != "text/plain" {
        return None;
    }
    match file_type {
        Some(0) => Some(106),
        Some(1) => Some(1015),
        Some(2) => Some(1000),
        Some(3) => Some(3),
        _ => None,
    }
}

/// A recipient as the address field carries it: phone numbers get
/// `/TYPE=PLMN` (5.3.7.6.4.2).
pub fn address(entry: &str, phone: bool) -> String {
    if phone && !entry.contains("/TYPE=") {
        format!("{entry}/TYPE=PLMN")
    } else {
        entry.to_string()
    }
}

fn uintvar(mut n: usize, out: &mut Vec<u8>) {
    let mut bytes = vec![(n & 0x7f) as u8];
    n >>= 7;
    while n > 0 {
        bytes.push(((n & 0x7f) as u8) | 0x80);
        n >>= 7;
    }
    bytes.reverse();
    out.extend_from_slice(&bytes);
}

/// A value-length (WSP 8.4.2.2).
fn value_length(n: usize, out: &mut Vec<u8>) {
    if n <= 30 {
        out.push(n as u8);
    } else {
        out.push(31);
        uintvar(n, out);
    }
}

fn text(s: &str, out: &mut Vec<u8>) {
    // A text starting with a byte of 0x80 or more is quoted (WSP 8.4.2.1).
    if s.as_bytes().first().is_some_and(|b| *b >= 0x80) {
        out.push(127);
    }
    out.extend_from_slice(s.as_bytes());
    out.push(0);
}

fn short_int(v: u32, out: &mut Vec<u8>) {
    if v < 0x80 {
        out.push(0x80 | v as u8);
    } else {
        let b = v.to_be_bytes();
        let skip = b.iter().take_while(|x| **x == 0).count();
        out.push((4 - skip) as u8);
        out.extend_from_slice(b.get(skip..).unwrap_or_default());
    }
}

/// The `m-send-req` PDU (OMA-TS-MMS_ENC-V1_2 6.1.1) with transaction id
/// `tid`.
pub fn encode_send_req(m: &MmsMessage, tid: &str) -> Vec<u8> {
    let mut o = vec![0x8C, 0x80]; // X-Mms-Message-Type: m-send-req
    o.push(0x98); // X-Mms-Transaction-ID
    text(tid, &mut o);
    o.extend_from_slice(&[0x8D, 0x92]); // X-Mms-MMS-Version: 1.2
    o.push(0x89); // From
    match &m.from {
        Some(f) => {
            let mut v = vec![0x80]; // Address-present-token
            text(f, &mut v);
            value_length(v.len(), &mut o);
            o.extend_from_slice(&v);
        }
        None => o.extend_from_slice(&[0x01, 0x81]), // Insert-address-token
    }
    for (field, list) in [(0x97, &m.to), (0x82, &m.cc), (0x81, &m.bcc)] {
        for a in list {
            o.push(field);
            text(a, &mut o);
        }
    }
    if let Some(s) = &m.subject {
        o.push(0x96);
        text(s, &mut o);
    }
    o.push(0x8A); // X-Mms-Message-Class
    o.push(match m.class {
        1 => 0x82,
        2 => 0x81,
        3 => 0x83,
        _ => 0x80,
    });
    o.push(0x8F); // X-Mms-Priority
    o.push(match m.priority {
        0 => 0x80,
        2 => 0x82,
        _ => 0x81,
    });
    o.extend_from_slice(&[0x94, if m.hide_sender { 0x80 } else { 0x81 }]);
    o.push(0x84); // Content-Type, the last header
    match &m.related {
        Some((ty, start)) => {
            let mut v = vec![0xB3]; // application/vnd.wap.multipart.related
            v.push(0x89); // Type
            text(ty, &mut v);
            v.push(0x8A); // Start
            text(start, &mut v);
            value_length(v.len(), &mut o);
            o.extend_from_slice(&v);
        }
        None => o.push(0xA3), // application/vnd.wap.multipart.mixed
    }
    uintvar(m.files.len(), &mut o);
    for f in &m.files {
        let mut ct = Vec::new();
        match charset_of(&f.mime, f.charset) {
            Some(cs) => {
                let mut v = Vec::new();
                text(&f.mime, &mut v);
                v.push(0x81); // Charset
                short_int(cs, &mut v);
                value_length(v.len(), &mut ct);
                ct.extend_from_slice(&v);
            }
            None => text(&f.mime, &mut ct),
        }
        let mut headers = Vec::new();
        if let Some(n) = &f.name {
            headers.push(0x8E); // Content-Location
            text(n, &mut headers);
        }
        if let Some(c) = &f.cid {
            headers.push(0xC0); // Content-ID, a quoted string
            headers.push(0x22);
            headers.extend_from_slice(c.as_bytes());
            headers.push(0);
        }
        uintvar(ct.len() + headers.len(), &mut o);
        uintvar(f.data.len(), &mut o);
        o.extend_from_slice(&ct);
        o.extend_from_slice(&headers);
        o.extend_from_slice(&f.data);
    }
    o
}

/// The `X-Mms-Response-Status` of an `m-send-conf` (OMA-TS-MMS_ENC 7.3.48)
/// as the manual's code: `None` when it is Ok, 890 to 897 otherwise.
pub fn send_conf_error(pdu: &[u8]) -> Option<u32> {
    if pdu.get(..2) != Some(&[0x8C, 0x81][..]) {
        return Some(891);
    }
    let mut i = 2;
    while let Some(&field) = pdu.get(i) {
        let value = pdu.get(i + 1).copied();
        match field {
            0x92 => {
                return match value.unwrap_or(0x81) {
                    0x80 => None,
                    0x82 | 0xE1 => Some(890),
                    0x83 | 0xE2 => Some(891),
                    // OMA MMS 1.2 (MMS Encapsulation 7.2.27): the
                    // transient and permanent forms of the same cause map
                    // to its code; 0xE6 (reply charging limits not met)
                    // and the other causes to 897.
                    0x84 | 0xC1 | 0xE3 => Some(892),
                    0x85 | 0xC2 | 0xE4 => Some(893),
                    0x86 | 0xC3 => Some(894),
                    0x87 | 0xE5 => Some(895),
                    0x88 => Some(896),
                    _ => Some(897),
                };
            }
            // Text values (transaction id, message id, response text).
            0x98 | 0x8B | 0x93 => {
                let end = pdu.get(i + 1..)?.iter().position(|b| *b == 0)?;
                i += end + 2;
            }
            // One-byte values (MMS version).
            0x8D => i += 2,
            _ => return Some(897),
        }
    }
    Some(897)
}

/// Reads an option value as text.
pub fn val_text(v: Option<&Val>) -> Option<String> {
    v.and_then(|v| v.as_str().map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::send_conf_error;

    /// An `m-send-conf` with `X-Mms-Response-Status` = `status`.
    fn conf(status: u8) -> Vec<u8> {
        vec![0x8C, 0x81, 0x98, b'1', 0, 0x8D, 0x92, 0x92, status]
    }

    /// 10.1's 890-897 are OMA's response statuses by name: each transient
    /// or permanent status of a cause gives that cause's code.
    #[test]
    fn response_statuses_map_to_the_codes_of_their_causes() {
        for (status, code) in [
            (0x80, None),
            (0x82, Some(890)),
            (0xE1, Some(890)),
            (0xE2, Some(891)),
            (0xC1, Some(892)),
            (0xE3, Some(892)),
            (0xC2, Some(893)),
            (0xE4, Some(893)),
            (0x86, Some(894)),
            (0xC3, Some(894)),
            (0xE5, Some(895)),
            (0x88, Some(896)),
            (0xE6, Some(897)),
            (0xC0, Some(897)),
        ] {
            assert_eq!(send_conf_error(&conf(status)), code, "{status:#x}");
        }
    }
}
