//! Compiles each vendor spec into `$OUT_DIR/<name>.rs` with the build-script
//! API, so that a spec the generator cannot turn into warning-free Rust
//! fails this crate's build; and the rev 009 spec, whose output
//! `tests/rev009_route.rs` compares with the checked-in bindings.

fn main() {
    for (spec, out) in [
        ("../../spec/3gpp-27007-27005.ron", "base.rs"),
        ("../../spec/ublox-sara-r4.ron", "ublox.rs"),
        ("../../spec/simcom-sim7600.ron", "simcom.rs"),
        // The build-script route to the checked-in rev 009 bindings
        // (`wip-bindings/src/rev009.rs`), compared with them by
        // `tests/rev009_route.rs`: kept here so that wip-bindings itself
        // needs no build script, and its users do not build the generator.
        ("../../spec/wipsoft-rev009.ron", "rev009.rs"),
    ] {
        if let Err(e) = wip_codegen::build::compile(spec, out) {
            eprintln!("{spec}: {e}");
            std::process::exit(1);
        }
    }
}
