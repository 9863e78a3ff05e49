//! Prompt-and-payload commands on the async client (see the blocking
//! client's `send_with_payload`).

use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

use super::prompt::prepare_payload;
use super::{check_line, Answer, AsyncClient, ClientError, Collect, Frame, SendError};
use crate::result::Final;
use wip_schema::payload::PromptCommand;
use wip_schema::ParsedCommand;

impl<IO> AsyncClient<IO>
where
    IO: AsyncRead + AsyncWrite + Send + 'static,
{
    /// Sends a request whose form answers with a prompt, and its payload,
    /// as [`Client::send_with_payload`](super::Client::send_with_payload)
    /// does: the line, the prompt, the form's delay, the payload (checked
    /// against its form before anything is sent), then the typed answer.
    pub async fn send_with_payload<C: PromptCommand>(
        &mut self,
        req: &C,
        data: &[u8],
    ) -> Result<Answer<C::Response>, SendError<C::Error>> {
        let dialect = self.with_framer(|f| f.dialect());
        let p = prepare_payload(dialect, req, data)?;
        let timeout = Duration::from_millis(u64::from(C::TIMEOUT_MS));
        let mut typed = super::typed::Typed::of::<C>();
        let final_code = self
            .exchange_prompted(&p.line, &p.parsed, &p.payload, p.delay, timeout, &mut typed)
            .await?;
        typed.answer(final_code)
    }

    /// Sends `line`, writes `payload` after its prompt, and gives the
    /// frames of the reply to `into`; gives the final result code.
    async fn exchange_prompted(
        &mut self,
        line: &str,
        parsed: &ParsedCommand,
        payload: &[u8],
        delay: Duration,
        timeout: Duration,
        into: &mut (dyn Collect + Send),
    ) -> Result<Final, ClientError> {
        check_line(line)?;
        self.settle().await?;
        self.ready_for_command().await?;
        while self.inbox.try_recv().is_ok() {}
        self.with_framer(|f| f.sent_parsed(parsed));
        self.shared.awaiting.store(true, Ordering::SeqCst);
        self.set_stale(Some(super::deadline_tokio(
            tokio::time::Instant::now(),
            timeout,
        )));
        let mut wire = Vec::with_capacity(line.len() + 1);
        wire.extend_from_slice(line.as_bytes());
        wire.push(b'\r');
        let mut written = self.writer.write_all(&wire).await;
        if written.is_ok() {
            written = self.writer.flush().await;
        }
        if let Err(e) = written {
            // The port failed: no answer to wait for.
            self.set_stale(None);
            return Err(e.into());
        }
        let collect = async {
            let mut written = false;
            loop {
                match self.inbox.recv().await {
                    None => return Err(ClientError::Closed),
                    Some(Frame::Prompt) if !written => {
                        written = true;
                        if !delay.is_zero() {
                            tokio::time::sleep(delay).await;
                        }
                        self.writer.write_all(payload).await?;
                        self.writer.flush().await?;
                    }
                    Some(other) => {
                        if let Some(final_code) = super::collect(into, other) {
                            return Ok(final_code);
                        }
                    }
                }
            }
        };
        let r = tokio::time::timeout(timeout, collect).await;
        self.set_stale(None);
        match r {
            Ok(done) => done,
            Err(_) => {
                self.with_framer(|f| f.clear_pending());
                self.shared.awaiting.store(false, Ordering::SeqCst);
                Err(ClientError::Timeout {
                    command: line.to_owned(),
                    after: timeout,
                })
            }
        }
    }
}
