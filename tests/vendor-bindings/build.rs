//! Compiles each vendor spec into `$OUT_DIR/<name>.rs` with the build-script
//! API, so that a spec the generator cannot turn into warning-free Rust
//! fails this crate's build.

fn main() {
    for (spec, out) in [
        ("../../spec/3gpp-27007-27005.ron", "base.rs"),
        ("../../spec/ublox-sara-r4.ron", "ublox.rs"),
        ("../../spec/simcom-sim7600.ron", "simcom.rs"),
    ] {
        if let Err(e) = wip_codegen::build::compile(spec, out) {
            eprintln!("{spec}: {e}");
            std::process::exit(1);
        }
    }
}
