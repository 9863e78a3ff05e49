// A spec path that does not exist: one error, naming the path as written.
wip_macros::include_spec!("tests/ui/no-such-spec.ron");

fn main() {}
