// A spec that is not valid RON: the parser's line and column.
// The path is relative to the crate's root (tests/ui.rs puts the spec there).
wip_macros::include_spec!("tests/ui/syntax.ron");

fn main() {}
