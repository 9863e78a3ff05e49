//! Compiles the rev 009 spec into `$OUT_DIR/rev009.rs`, the build-script
//! route to the same code as the checked-in `src/rev009.rs`; the tests
//! compare the two.

fn main() {
    if let Err(e) = wip_codegen::build::compile("../spec/wipsoft-rev009.ron", "rev009.rs") {
        // A build script reports failure by exiting non-zero; the message
        // is what cargo shows.
        eprintln!("{e}");
        std::process::exit(1);
    }
}
