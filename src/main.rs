fn main() {
    match wip_codegen::default_spec() {
        Ok(s) => println!("ok: {} commands", s.commands.len()),
        Err(d) => {
            eprintln!("{d}");
            std::process::exit(1)
        }
    }
}
