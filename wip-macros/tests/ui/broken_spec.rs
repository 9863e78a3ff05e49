// A spec with two problems: one error for each, with the spec's line and
// column.
// trybuild compiles this file as a crate in target/tests/trybuild/wip-macros,
// which is CARGO_MANIFEST_DIR there: the path climbs back to this directory.
wip_macros::include_spec!("../../../../wip-macros/tests/ui/broken.ron");

fn main() {}
