//! Compile-fail tests: what a user sees when `include_spec!` cannot
//! compile a spec.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
