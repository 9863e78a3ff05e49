//! FTP sessions (5.1.2 mode 4, +WIPFILE 6.1.4) with suppaftp's blocking
//! client: one thread a session owns the control connection, logs in at
//! +WIPCREATE and runs the session's transfers one after the other. The
//! manual's codes come from what the server answers: 842 when it cannot be
//! reached, 866 when it does not greet, 861 when it refuses the user, 862
//! the password, 865 the account; a file command it refuses is 860, a data
//! connection that cannot be opened 839.
//!
//! Data connections go to the control connection's address whatever a PASV
//! reply says, so a server cannot turn the emulator into a relay to a third
//! address.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use suppaftp::types::FileType;
use suppaftp::{FtpError, FtpStream, Mode, Status};

use super::transfer::{Chunk, Xfer};
use super::{resolve, Shared};
use crate::net::{FileOutcome, FtpOp, FtpReq, FtpSession, NetError, NetEvent, SockId};

/// How often an idle session looks whether it was closed.
const POLL: Duration = Duration::from_millis(50);

/// A transfer for the session's thread.
pub(super) struct Job {
    pub req: FtpReq,
    pub x: Xfer,
}

/// Logs in, then runs transfers until the session is closed.
pub(super) fn run(
    sh: &Arc<Shared>,
    id: SockId,
    s: &FtpSession,
    jobs: &mpsc::Receiver<Job>,
    stop: &AtomicBool,
) {
    let (mut ftp, control) = match login(sh, s) {
        Ok(f) => f,
        Err(code) => {
            (sh.sink)(NetEvent::Failed {
                id,
                error: NetError::Code(code),
            });
            return;
        }
    };
    (sh.sink)(NetEvent::Opened {
        id,
        local_port: 0,
        peer: None,
    });
    loop {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        match jobs.recv_timeout(POLL) {
            Ok(job) => {
                let outcome = match transfer(sh, &mut ftp, &job.req, &job.x) {
                    Ok(()) => FileOutcome::Done,
                    Err(code) => FileOutcome::Error(code),
                };
                super::lock(&sh.handles).remove(&job.x.id);
                if !job.x.stopped() {
                    (sh.sink)(NetEvent::FileDone {
                        id: job.x.id,
                        outcome,
                    });
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if control.as_ref().is_some_and(server_left) && !stop.load(Ordering::SeqCst) {
                    // The server ended the session (a `421` then its
                    // close, or a close): the session is gone.
                    (sh.sink)(NetEvent::Eof { id });
                    return;
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    let _ = ftp.quit();
}

/// Whether the server closed an idle control connection: its end of the
/// stream, or a `421` (service closing, RFC 959 4.2) sent unasked. Read
/// without blocking; the bytes of an idle connection are no reply to
/// anything, so they are taken off it.
fn server_left(control: &TcpStream) -> bool {
    if control.set_nonblocking(true).is_err() {
        return false;
    }
    let mut buf = [0u8; 512];
    let left = match control.peek(&mut buf) {
        Ok(0) => true,
        Ok(n) => {
            let closing = buf.get(..n).is_some_and(|b| b.starts_with(b"421"));
            let _ = std::io::Read::read(&mut &*control, &mut buf);
            closing
        }
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    let _ = control.set_nonblocking(false);
    left
}

fn code_of(e: &FtpError) -> Option<u32> {
    match e {
        FtpError::UnexpectedResponse(r) => Some(r.status.code()),
        _ => None,
    }
}

/// Logs in; gives the session, with a handle on its control connection
/// to watch it while idle.
fn login(sh: &Shared, s: &FtpSession) -> Result<(FtpStream, Option<TcpStream>), u32> {
    let addr = resolve(sh, &s.server, false).ok_or(842u32)?;
    let stream = TcpStream::connect_timeout(&addr, sh.cfg.connect_timeout).map_err(|_| 842u32)?;
    let t = Some(sh.cfg.service_timeout);
    let _ = stream.set_read_timeout(t);
    let _ = stream.set_write_timeout(t);
    let control = stream.try_clone().ok();
    let mut ftp = FtpStream::connect_with_stream(stream).map_err(|_| 866u32)?;
    ftp.set_passive_nat_workaround(true);
    let user = ftp
        .custom_command(
            format!("USER {}", s.user),
            &[
                Status::LoggedIn,
                Status::NeedPassword,
                Status::LoginNeedAccount,
            ],
        )
        .map_err(|_| 861u32)?;
    let mut status = user.status;
    if status == Status::NeedPassword {
        status = ftp
            .custom_command(
                format!("PASS {}", s.password),
                &[Status::LoggedIn, Status::LoginNeedAccount],
            )
            .map_err(|_| 862u32)?
            .status;
    }
    if status == Status::LoginNeedAccount {
        let acct = s.account.as_deref().ok_or(865u32)?;
        ftp.custom_command(
            format!("ACCT {acct}"),
            &[Status::LoggedIn, Status::CommandOk],
        )
        .map_err(|_| 865u32)?;
    }
    Ok((ftp, control))
}

/// The server refused a file command (860), or the data connection could
/// not be made (839).
fn file_error(e: &FtpError) -> u32 {
    match code_of(e) {
        Some(_) => 860,
        None => 839,
    }
}

fn transfer(sh: &Arc<Shared>, ftp: &mut FtpStream, r: &FtpReq, x: &Xfer) -> Result<(), u32> {
    if r.binary {
        ftp.transfer_type(FileType::Binary).map_err(|_| 860u32)?;
    } else {
        // `TYPE A`, not suppaftp's `TYPE A N`: the format control is N by
        // default (RFC 959 3.1.1.5), and some servers (pyftpdlib) refuse
        // the second argument. The streams used below convert nothing.
        ftp.custom_command("TYPE A", &[Status::CommandOk])
            .map_err(|_| 860u32)?;
    }
    ftp.set_mode(if r.passive {
        Mode::Passive
    } else {
        Mode::Active
    });
    match r.op {
        FtpOp::Get => {
            let mut data = ftp.retr_as_stream(&r.path).map_err(|e| file_error(&e))?;
            x.watch(data.get_ref().get_ref());
            let t = Some(sh.cfg.service_timeout);
            let _ = data.get_ref().get_ref().set_read_timeout(t);
            (sh.sink)(NetEvent::FileReady { id: x.id });
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = match data.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => return Err(860),
                };
                if !x.deliver(sh, buf.get(..n).unwrap_or_default()) {
                    // The modem abandoned the download (`+++`, the host's
                    // ETX, 6.1.2). Closing the data connection leaves the
                    // server one reply to the transfer: 226 when it had
                    // sent it all, else 426; `finish` reads it. ABOR would
                    // add a reply of its own, which a server done with the
                    // transfer sends after the 226, and the session's
                    // next command would read it as its answer.
                    let _ = data.finish();
                    return Err(860);
                }
            }
            x.unwatch();
            data.finish().map_err(|_| 860u32)
        }
        FtpOp::Put | FtpOp::Append => {
            let mut data = if r.op == FtpOp::Put {
                ftp.put_with_stream(&r.path)
            } else {
                ftp.append_with_stream(&r.path)
            }
            .map_err(|e| file_error(&e))?;
            x.watch(data.get_ref().get_ref());
            let t = Some(sh.cfg.service_timeout);
            let _ = data.get_ref().get_ref().set_write_timeout(t);
            (sh.sink)(NetEvent::FileReady { id: x.id });
            loop {
                match x.next() {
                    Some(Chunk::Data(d)) => {
                        data.write_all(&d).map_err(|_| 860u32)?;
                        (sh.sink)(NetEvent::Sent {
                            id: x.id,
                            n: d.len(),
                        });
                    }
                    Some(Chunk::End) => break,
                    None => {
                        let _ = ftp.abort(data);
                        return Err(860);
                    }
                }
            }
            x.unwatch();
            data.finish().map_err(|_| 860u32)
        }
    }
}
