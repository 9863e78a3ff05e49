// A spec with two problems: one error for each, with the spec's line and
// column.
// The path is relative to the crate's root (tests/ui.rs puts the spec there).
wip_macros::include_spec!("tests/ui/broken.ron");

fn main() {}
