// A request's `Result` passed where the request itself is needed (a
// generated `new` checks its arguments and returns a `Result`): the error
// says so, not only that a trait is not implemented.
use wip_runtime::schema::typed::TypedCommand;

fn send<C: TypedCommand>(_request: &C) {}

fn main() {
    let checked: Result<u8, wip_runtime::schema::Error> = Ok(1);
    send(&checked);
}
