// The macro takes a string literal.
wip_macros::include_spec!(spec / mini);

fn main() {}
