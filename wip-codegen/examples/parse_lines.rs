//! Parses every `AT+WIP` line given on stdin against the embedded spec and
//! prints the result; a development aid.
use std::io::BufRead;
fn main() {
    let spec = match wip_codegen::default_spec() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    let d = wip_codegen::dialect::dialect(&spec);
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        match wip_schema::parse_command(&d, &line) {
            Ok(p) => {
                let back = wip_schema::format_command(&d, p.command, p.form, &p.values);
                println!("ok   {line}  =>  {back}");
            }
            Err(e) => println!("ERR  {line}  :  {e}"),
        }
    }
}
