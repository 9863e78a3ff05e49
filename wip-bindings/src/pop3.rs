//! The POP3 mail listing (manual 5.3.6, 5.3.7.5) as numbers: option 73
//! answers one `+WIPOPT: 7,73,"<mail id>,<mail size>"` line per mail, a
//! string on the wire ([`Pop3OptionReading::MailListing`]); [`Mail`] reads
//! it, and [`WipFilePop3::for_mail`] retrieves or deletes a mail by the
//! `u32` id, as [`Pop3OptionValue::DeleteMail`] takes it.
//!
//! ```
//! use wip_bindings::pop3::Mail;
//! use wip_bindings::rev009::{FileMode, Pop3OptionReading, WipFilePop3, WipOptValue};
//! use wip_runtime::schema::typed::{TypedCommand, TypedMessage};
//!
//! // The lines of `AT+WIPOPT=7,1,1,73`, as `client.send(&…)` types them.
//! let lines = ["+WIPOPT: 7,73,\"1,1024\"", "+WIPOPT: 7,73,\"2,5237\""];
//! let answers: Vec<WipOptValue> = lines.iter().map(|l| WipOptValue::parse(l)).collect::<Result<_, _>>()?;
//! let mails: Vec<Mail> = answers.iter().filter_map(Mail::of_value).collect::<Result<_, _>>()?;
//! assert_eq!(mails, [Mail { id: 1, size: 1024 }, Mail { id: 2, size: 5237 }]);
//!
//! let get = WipFilePop3::for_mail(1, FileMode::Download, mails[1].id)?;
//! assert_eq!(get.to_bytes(), b"AT+WIPFILE=7,1,1,\"2\"\r");
//! # let _ = Pop3OptionReading::MailListing(String::new());
//! # Ok::<(), wip_runtime::schema::Error>(())
//! ```

#[cfg(doc)]
use crate::rev009::Pop3OptionValue;
use crate::rev009::{FileMode, Pop3OptionReading, WipFilePop3, WipOptValue, WipOptValueOption};
use wip_runtime::schema::{Error, ErrorKind};

/// One mail of the listing: its id and its size in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mail {
    /// The mail id, as `+WIPFILE` (`<filename>`) and option 74 take it.
    pub id: u32,
    /// The size of the mail, in bytes.
    pub size: u32,
}

impl Mail {
    /// Reads a listing entry, `<mail id>,<mail size>` (the quoted value of
    /// option 73, 5.3.6): two decimal numbers of at most 10 digits that
    /// fit a `u32`, separated by one comma.
    pub fn parse(listing: &str) -> Result<Mail, Error> {
        let bad = |why: &str| Error {
            kind: ErrorKind::Value,
            context: "+WIPOPT option 73 (POP3_MAIL_LISTING)".into(),
            param: Some("listing".into()),
            message: format!("= {listing:?} is not <mail id>,<mail size> (5.3.6, 5.3.7.5): {why}"),
        };
        let (id, size) = listing.split_once(',').ok_or_else(|| bad("no comma"))?;
        let number = |s: &str, what: &str| -> Result<u32, Error> {
            if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(&format!("the {what} is not 1 to 10 digits")));
            }
            s.parse()
                .map_err(|_| bad(&format!("the {what} is past 4294967295")))
        };
        Ok(Mail {
            id: number(id, "mail id")?,
            size: number(size, "mail size")?,
        })
    }

    /// The mail of a POP3 option read, when it is a listing entry
    /// (option 73); `None` for another option.
    pub fn of(reading: &Pop3OptionReading) -> Option<Result<Mail, Error>> {
        match reading {
            Pop3OptionReading::MailListing(listing) => Some(Mail::parse(listing)),
            _ => None,
        }
    }

    /// The mail of a `+WIPOPT` response, when it is a POP3 listing entry;
    /// `None` for another option or protocol.
    pub fn of_value(value: &WipOptValue) -> Option<Result<Mail, Error>> {
        match &value.option {
            WipOptValueOption::Pop3(reading) => Mail::of(reading),
            _ => None,
        }
    }
}

impl WipFilePop3 {
    /// The `+WIPFILE` of POP3 session `index` on the mail `id` of the
    /// listing: `mode` retrieves it ([`FileMode::Download`],
    /// [`FileMode::OfflineDownload`]) or retrieves and deletes it
    /// ([`FileMode::Delete`], [`FileMode::OfflineDelete`]), 6.1.5. The id
    /// is written as its `<filename>`, in decimal.
    pub fn for_mail(index: u8, mode: FileMode, id: u32) -> Result<WipFilePop3, Error> {
        WipFilePop3::new(index, mode, id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rev009::{Pop3Option, WipOptGet, WipOptGetOption};
    use wip_runtime::schema::typed::{TypedCommand, TypedMessage};

    /// The listing of 5.3.6, read through the typed response.
    #[test]
    fn reads_the_manuals_listing() {
        let lines = [
            ("+WIPOPT: 7,73,\"1,1024\"", (1, 1024)),
            ("+WIPOPT: 7,73,\"2,5237\"", (2, 5237)),
            ("+WIPOPT: 7,73,\"3,128\"", (3, 128)),
            ("+WIPOPT: 7,73,\"4,36400\"", (4, 36400)),
            ("+WIPOPT: 7,73,\"5,356\"", (5, 356)),
        ];
        for (line, (id, size)) in lines {
            let v = WipOptValue::parse(line).unwrap();
            assert_eq!(Mail::of_value(&v).unwrap().unwrap(), Mail { id, size });
        }
        // Another option or protocol is no listing entry.
        let count = WipOptValue::parse("+WIPOPT: 7,71,5").unwrap();
        assert!(Mail::of_value(&count).is_none());
        let ftp = WipOptValue::parse("+WIPOPT: 4,40,1").unwrap();
        assert!(Mail::of_value(&ftp).is_none());
        // The read it answers.
        let read = WipOptGet::new(1, WipOptGetOption::Pop3(Pop3Option::MailListing)).unwrap();
        assert_eq!(read.to_bytes(), b"AT+WIPOPT=7,1,1,73\r");
    }

    #[test]
    fn refuses_entries_not_of_two_numbers() {
        for bad in [
            "",
            "1",
            "1;2",
            ",2",
            "1,",
            "a,2",
            "1,2,3",
            "1,99999999999",
            "4294967296,1",
            " 1,2",
        ] {
            let e = Mail::parse(bad).unwrap_err().to_string();
            assert!(e.contains("is not <mail id>,<mail size>"), "{bad:?}: {e}");
        }
        assert_eq!(
            Mail::parse("4294967295,0").unwrap(),
            Mail {
                id: u32::MAX,
                size: 0
            }
        );
    }

    #[test]
    fn retrieves_a_mail_by_its_id() {
        let get = WipFilePop3::for_mail(1, FileMode::Delete, 42).unwrap();
        assert_eq!(get.to_bytes(), b"AT+WIPFILE=7,1,3,\"42\"\r");
        assert_eq!(get, WipFilePop3::new(1, FileMode::Delete, "42").unwrap());
        let e = WipFilePop3::for_mail(9, FileMode::Download, 1).unwrap_err();
        assert!(e.to_string().contains("<index>"), "{e}");
    }
}
