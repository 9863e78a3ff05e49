//! Prompt-and-payload commands on the blocking client: send the line,
//! wait for the prompt, (wait the form's delay,) write the payload, then
//! the typed responses and final result code.

use std::time::{Duration, Instant};

use super::{check_line, Answer, Client, ClientError, Collect, Frame, SendError};
use crate::result::Final;
use crate::transport::Transport;
use wip_schema::payload::{encode_payload, PromptCommand};
use wip_schema::ParsedCommand;

/// A prompt-and-payload request ready to go.
pub(crate) struct Prepared {
    /// The command line, without CR.
    pub(crate) line: String,
    /// Its command and form.
    pub(crate) parsed: ParsedCommand,
    /// The bytes written after the prompt.
    pub(crate) payload: Vec<u8>,
    /// The wait between the prompt and the payload.
    pub(crate) delay: Duration,
}

/// The line, its parsed form, the bytes to write after the prompt and the
/// delay before them: the request checked, the payload checked against its
/// form (a counted payload's length against its parameter, a terminated
/// one escaped and ended).
pub(crate) fn prepare_payload<C: PromptCommand>(
    client: &wip_schema::Dialect,
    req: &C,
    data: &[u8],
) -> Result<Prepared, SendError<C::Error>> {
    let (line, parsed) = super::typed::prepare(client, req)?;
    let payload = encode_payload(C::dialect(), &parsed, data).map_err(SendError::Invalid)?;
    let delay = C::prompt().map_or(0, |p| p.delay_ms);
    Ok(Prepared {
        line,
        parsed,
        payload,
        delay: Duration::from_millis(u64::from(delay)),
    })
}

impl<T: Transport> Client<'_, T> {
    /// Sends a request whose form answers with a prompt, and its payload:
    /// writes the line, waits for the prompt, waits the form's delay,
    /// writes `data` (a counted payload must be exactly as long as its
    /// count parameter says, else [`SendError::Invalid`] names the
    /// parameter and nothing is sent; a terminated payload is escaped as
    /// the form declares and ended with its terminator), then gives the
    /// typed responses and final result code as [`Client::send`] does. A
    /// final result code instead of the prompt (`ERROR`) is the answer.
    pub fn send_with_payload<C: PromptCommand>(
        &mut self,
        req: &C,
        data: &[u8],
    ) -> Result<Answer<C::Response>, SendError<C::Error>> {
        let p = prepare_payload(self.framer.dialect(), req, data)?;
        let timeout = Duration::from_millis(u64::from(C::TIMEOUT_MS));
        let mut typed = super::typed::Typed::of::<C>();
        let final_code =
            self.exchange_prompted(&p.line, &p.parsed, &p.payload, p.delay, timeout, &mut typed)?;
        typed.answer(final_code)
    }

    /// Sends `line`, writes `payload` after its prompt, and gives the
    /// frames of the reply to `into`; gives the final result code.
    fn exchange_prompted(
        &mut self,
        line: &str,
        parsed: &ParsedCommand,
        payload: &[u8],
        delay: Duration,
        timeout: Duration,
        into: &mut dyn Collect,
    ) -> Result<Final, ClientError> {
        check_line(line)?;
        self.ready_for_command()?;
        self.inbox.clear();
        self.framer.sent_parsed(parsed);
        self.awaiting = true;
        let mut wire = Vec::with_capacity(line.len() + 1);
        wire.extend_from_slice(line.as_bytes());
        wire.push(b'\r');
        self.io.write_all(&wire)?;
        self.io.flush()?;
        let deadline = super::deadline(Instant::now(), timeout);
        let mut written = false;
        loop {
            while let Some(ev) = self.inbox.pop_front() {
                match ev {
                    Frame::Prompt if !written => {
                        written = true;
                        if !delay.is_zero() {
                            std::thread::sleep(delay);
                        }
                        self.io.write_all(payload)?;
                        self.io.flush()?;
                    }
                    other => {
                        if let Some(final_code) = super::collect(into, other) {
                            return Ok(final_code);
                        }
                    }
                }
            }
            if Instant::now() >= deadline {
                self.framer.clear_pending();
                self.awaiting = false;
                return Err(ClientError::Timeout {
                    command: line.to_owned(),
                    after: timeout,
                });
            }
            self.pump(deadline)?;
        }
    }
}
