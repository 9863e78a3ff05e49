//! Real serial ports, through the `serialport` crate (and `tokio-serial`
//! for the async client).
//!
//! Ports are opened 8N1 without flow control and with a short read
//! timeout, so that a blocking [`crate::client::Client`] can keep its own
//! deadlines. Writing then flushing drains the port (`tcdrain`), which the
//! `+++` guard time relies on ([`crate::guard`]).

use std::time::Duration;

use crate::client::{Client, ClientConfig};
use wip_schema::Dialect;

/// How long one read waits before it gives a `TimedOut` error.
pub const READ_TIMEOUT: Duration = Duration::from_millis(20);

fn builder(path: &str, baud: u32) -> serialport::SerialPortBuilder {
    serialport::new(path, baud)
        .data_bits(serialport::DataBits::Eight)
        .parity(serialport::Parity::None)
        .stop_bits(serialport::StopBits::One)
        .flow_control(serialport::FlowControl::None)
        .timeout(READ_TIMEOUT)
}

/// Opens a serial port.
pub fn open(path: &str, baud: u32) -> Result<Box<dyn serialport::SerialPort>, serialport::Error> {
    builder(path, baud).open()
}

/// Opens a serial port as its native Unix type.
#[cfg(unix)]
pub fn open_native(path: &str, baud: u32) -> Result<serialport::TTYPort, serialport::Error> {
    builder(path, baud).open_native()
}

/// Opens a serial port and puts a blocking client on it.
pub fn client<'d>(
    path: &str,
    baud: u32,
    dialect: &'d Dialect,
    cfg: ClientConfig,
) -> Result<Client<'d, Box<dyn serialport::SerialPort>>, serialport::Error> {
    Ok(Client::new(open(path, baud)?, dialect, cfg))
}

/// A pseudo-terminal pair in raw mode, (controller, device): a modem
/// emulator or a test script runs on the controller, a client on the
/// device (whose path is its `name()`).
#[cfg(unix)]
pub fn pty_pair() -> Result<(serialport::TTYPort, serialport::TTYPort), serialport::Error> {
    use serialport::SerialPort;
    let (mut controller, mut device) = serialport::TTYPort::pair()?;
    controller.set_timeout(READ_TIMEOUT)?;
    device.set_timeout(READ_TIMEOUT)?;
    Ok((controller, device))
}

/// Opens a serial port for the async client.
#[cfg(feature = "tokio")]
pub fn open_async(path: &str, baud: u32) -> Result<tokio_serial::SerialStream, serialport::Error> {
    tokio_serial::SerialStream::open(&builder(path, baud))
}
