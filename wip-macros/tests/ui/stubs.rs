// Code that uses the bindings of a broken spec: the spec's two problems are
// the only errors. The names the spec defines (a form's struct, a value
// set) and those every binding has (`Request`, `Urc`, `DIALECT`) still
// resolve, as stand-ins.
mod broken {
    wip_macros::include_spec!("tests/ui/broken.ron");
}

fn send(request: &broken::Request) -> String {
    format!("{request:?}")
}

fn main() {
    let set = broken::XaSet {};
    let mode = broken::Mode::Fast;
    let urc: Option<broken::Urc> = None;
    let requests: Vec<broken::Request> = Vec::new();
    let _ = (set, mode, urc, requests.iter().map(send).count());
    let _ = &broken::DIALECT;
}
