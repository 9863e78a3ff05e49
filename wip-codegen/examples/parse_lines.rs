//! Parses lines given on stdin against the embedded spec and prints the
//! result; a development aid. A line `AT...` is a command (and becomes the
//! pending command); any other line is a modem line read in its context.
use std::io::BufRead;
fn main() {
    let spec = match wip_codegen::default_spec() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    let d = spec.dialect.clone();
    let mut pending = None;
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        if line.starts_with("AT") || line.starts_with("at") {
            match wip_schema::parse_command(&d, &line) {
                Ok(p) => {
                    let back = wip_schema::format_command(&d, p.command, p.form, &p.values);
                    println!("ok   {line}  =>  {back}");
                    pending = Some((p.command, p.form));
                }
                Err(e) => {
                    println!("ERR  {line}  :  {e}");
                    pending = None;
                }
            }
        } else {
            match wip_schema::parse_message(&d, &line, pending) {
                Ok(m) => {
                    let kind = if m.solicited { "response" } else { "URC" };
                    println!("ok   {line}  =>  {kind} {}", d.messages[m.message].id);
                }
                Err(e) => println!("ERR  {line}  :  {e}"),
            }
        }
    }
}
