//! Prompt-and-payload commands on the async client (see the blocking
//! client's `send_with_payload`).

use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};

use super::prompt::prepare_payload;
use super::{check_line, Answer, AsyncClient, ClientError, Frame, Reply, ReplyLine, SendError};
use crate::framer::OwnedLine;
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
        let reply = self
            .exchange_prompted(&p.line, &p.parsed, &p.payload, p.delay, timeout)
            .await?;
        super::typed::answer::<C>(reply)
    }

    async fn exchange_prompted(
        &mut self,
        line: &str,
        parsed: &ParsedCommand,
        payload: &[u8],
        delay: Duration,
        timeout: Duration,
    ) -> Result<Reply, ClientError> {
        check_line(line)?;
        while self.inbox.try_recv().is_ok() {}
        self.with_framer(|f| f.sent_parsed(parsed));
        self.shared.awaiting.store(true, Ordering::SeqCst);
        let mut wire = Vec::with_capacity(line.len() + 1);
        wire.extend_from_slice(line.as_bytes());
        wire.push(b'\r');
        self.writer.write_all(&wire).await?;
        self.writer.flush().await?;
        let mut lines = Vec::new();
        let mut final_line = None;
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
                    Some(Frame::Response { message, line, .. }) => lines.push(ReplyLine {
                        message: Some(message),
                        line,
                        payload: None,
                    }),
                    Some(Frame::Unknown(b)) => lines.push(ReplyLine {
                        message: None,
                        line: OwnedLine::parse(&String::from_utf8_lossy(&b)),
                        payload: None,
                    }),
                    Some(Frame::Payload(b)) => super::payloads::attach(&mut lines, b),
                    Some(Frame::FinalLine(l)) => final_line = Some(l),
                    Some(Frame::Final(f)) => return Ok(f),
                    Some(_) => {}
                }
            }
        };
        match tokio::time::timeout(timeout, collect).await {
            Ok(Ok(final_code)) => Ok(Reply {
                lines,
                final_code,
                final_line,
            }),
            Ok(Err(e)) => Err(e),
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
