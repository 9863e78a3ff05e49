//! Helpers shared by the integration tests that start `wip sim`.

use std::io::{BufRead, BufReader};
use std::process::Child;

/// The address `wip sim --listen` prints on its first line (`listening on
/// ADDR`), read from the child's piped stdout.
pub fn listening_address(child: &mut Child) -> String {
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout is piped"))
        .read_line(&mut first)
        .expect("wip sim prints its address");
    first
        .trim()
        .strip_prefix("listening on ")
        .expect("the first line names the address")
        .to_string()
}
