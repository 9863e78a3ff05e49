//! What `wip term` knows of the command set while a person types and reads:
//! completion candidates, the syntax and range of what is being typed, and
//! modem lines decoded into named fields and coded values. Everything comes
//! from the spec: the engine's dialect, and the docs and sections kept
//! beside it in the notes under the same indices.

use wip_schema::{self as schema, Dialect, Form, FormKind, Param, Ty, Val};
use wip_spec::notes::Notes;

use wip_schema::Final;
use wip_transcript::verify::final_result;

/// The command set, for people.
pub struct Guide<'a> {
    /// The engine's description.
    pub d: &'a Dialect,
    /// The docs and sections, under the dialect's indices.
    pub notes: &'a Notes,
}

/// A completion: what replaces the word, and what is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The text put in the line.
    pub replacement: String,
    /// The text shown in the list.
    pub display: String,
}

/// A command line being typed: the command, and the fields so far.
struct Typed<'l> {
    command: usize,
    /// Whole fields before the one being typed.
    done: Vec<&'l str>,
    /// The field being typed.
    current: &'l str,
    /// Where the current field starts in the line.
    start: usize,
}

/// Cuts `line` (up to the cursor) as `AT<name>=<fields>`; `None` before the
/// `=` or for a command outside the spec.
fn typed<'l>(d: &Dialect, line: &'l str) -> Option<Typed<'l>> {
    let head = line.get(..2)?;
    if !head.eq_ignore_ascii_case("AT") {
        return None;
    }
    let rest = line.get(2..)?;
    let eq = rest.find('=')?;
    let name = rest.get(..eq)?.trim();
    let (command, _) = d.command(name)?;
    let args_start = 2 + eq + 1;
    let args = line.get(args_start..)?;
    let mut done = Vec::new();
    let mut quoted = false;
    let mut field_start = 0;
    for (i, c) in args.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                done.push(args.get(field_start..i)?.trim());
                field_start = i + 1;
            }
            _ => {}
        }
    }
    Some(Typed {
        command,
        done,
        current: args.get(field_start..)?,
        start: args_start + field_start,
    })
}

/// Whether the form may be the one meant by the fields typed so far.
fn fits(form: &Form, done: &[&str]) -> bool {
    form.kind == FormKind::Action
        && form.select.iter().all(|c| match done.get(c.param) {
            Some(v) => v.parse::<i64>().is_ok_and(|v| c.values.contains(&v)),
            None => true,
        })
}

impl Guide<'_> {
    /// The syntax of a form as the manual writes it (the line the
    /// Markdown reference and the generated docs show): `AT+WIPCREATE=2,
    /// <communication index>,<peer IP>,<peer port>`, optional parameters in
    /// brackets grouped as the form's rules group them, option values only
    /// where the form writes them.
    pub fn syntax(&self, command: usize, form: usize) -> String {
        let Some(c) = self.d.commands.get(command) else {
            return String::new();
        };
        let Some(f) = c.forms.get(form) else {
            return String::new();
        };
        wip_spec::doc::syntax::form_line(self.d, c, f)
    }

    /// Command names starting with `prefix` (`+WIPC` gives `+WIPCFG`,
    /// `+WIPCREATE`, `+WIPCLOSE`), without regard to case.
    pub fn command_names(&self, prefix: &str) -> Vec<&str> {
        self.d
            .commands
            .iter()
            .map(|c| c.name.as_ref())
            .filter(|n| {
                n.len() >= prefix.len()
                    && n.get(..prefix.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
            })
            .collect()
    }

    /// Completions at the end of `line`: where the word starts and the
    /// candidates.
    pub fn complete(&self, line: &str) -> (usize, Vec<Candidate>) {
        if let Some(t) = typed(self.d, line) {
            return (t.start, self.values(&t));
        }
        let is_at = line.get(..2).is_some_and(|h| h.eq_ignore_ascii_case("AT"));
        let name = line.get(2..).unwrap_or_default();
        if !is_at || name.contains(['=', '?']) {
            return (line.len(), Vec::new());
        }
        let names = self
            .command_names(name)
            .into_iter()
            .map(|n| {
                let title = self
                    .d
                    .commands
                    .iter()
                    .zip(&self.notes.commands)
                    .find(|(c, _)| c.name == n)
                    .map(|(_, c)| c.title.clone())
                    .unwrap_or_default();
                Candidate {
                    replacement: n.to_owned(),
                    display: format!("{n}  {title}"),
                }
            })
            .collect();
        (2, names)
    }

    /// Coded values that fit the field being typed: form selectors,
    /// values of a value set, option numbers.
    fn values(&self, t: &Typed<'_>) -> Vec<Candidate> {
        let Some(c) = self.d.commands.get(t.command) else {
            return Vec::new();
        };
        let i = t.done.len();
        let mut out: Vec<Candidate> = Vec::new();
        let typed = t.current.trim();
        // A number by its digits, or by a word of its name (`TCP`,
        // `WIP_NET_OPT_`), which the number then replaces.
        let named = |r: &str, what: &str| {
            r.starts_with(typed)
                || (!typed.is_empty()
                    && !typed.starts_with(|c: char| c.is_ascii_digit())
                    && what
                        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .any(|w| {
                            w.len() >= typed.len()
                                && w.get(..typed.len())
                                    .is_some_and(|p| p.eq_ignore_ascii_case(typed))
                        }))
        };
        let mut add = |v: i64, what: String| {
            let r = v.to_string();
            if named(&r, &what) && !out.iter().any(|c| c.replacement == r) {
                out.push(Candidate {
                    replacement: r.clone(),
                    display: format!("{r}  {what}"),
                });
            }
        };
        for f in c.forms.iter().filter(|f| fits(f, &t.done)) {
            if let Some(cond) = f.select.iter().find(|s| s.param == i) {
                for v in cond.values.iter() {
                    let named = f
                        .params
                        .get(i)
                        .map(|p| self.d.describe(&p.ty, *v))
                        .unwrap_or_default();
                    add(*v, format!("{}: {named}", f.name));
                }
                continue;
            }
            if let Some(Ty::Enum { allowed, .. }) = f.params.get(i).map(|p| &p.ty) {
                for v in allowed.iter() {
                    let named = f
                        .params
                        .get(i)
                        .map(|p| self.d.describe(&p.ty, *v))
                        .unwrap_or_default();
                    add(*v, named);
                }
            }
            if let Some(b) = f.options.as_ref().filter(|b| b.id_param == i) {
                let key = b
                    .key_param
                    .and_then(|k| t.done.get(k))
                    .and_then(|v| v.parse::<i64>().ok());
                for (keys, table) in b.tables.iter() {
                    if key.is_some_and(|k| !keys.contains(&k)) {
                        continue;
                    }
                    if let Some(tab) = self.d.tables.get(*table) {
                        for o in tab.options.iter() {
                            add(o.id, o.name.to_string());
                        }
                    }
                }
            }
        }
        out
    }

    /// The syntax of the forms the line may be, and the name and range of
    /// the parameter being typed: `AT+WIPCREATE=2,<communication
    /// index>,<peer IP>,<peer port>  <communication index>: 1..=8`.
    pub fn hint(&self, line: &str) -> Option<String> {
        if let Some(t) = typed(self.d, line) {
            let c = self.d.commands.get(t.command)?;
            let forms: Vec<usize> = (0..c.forms.len())
                .filter(|&i| c.forms.get(i).is_some_and(|f| fits(f, &t.done)))
                .collect();
            let i = t.done.len();
            let mut out = match forms.as_slice() {
                [one] => self.syntax(t.command, *one),
                [] => return Some(format!("no form of AT{} fits", c.name)),
                many => format!(
                    "AT{}: {}",
                    c.name,
                    many.iter()
                        .filter_map(|&f| c.forms.get(f).map(|f| f.name.to_string()))
                        .collect::<Vec<_>>()
                        .join(" | ")
                ),
            };
            let params: Vec<&Param> = forms
                .iter()
                .filter_map(|&f| c.forms.get(f).and_then(|f| f.params.get(i)))
                .collect();
            if let Some(p) = params.first() {
                let same = params.iter().all(|q| q.name == p.name);
                if same {
                    out.push_str(&format!("  <{}>: {}", p.name, self.d.allowed(&p.ty)));
                }
            }
            return Some(out);
        }
        let is_at = line.get(..2).is_some_and(|h| h.eq_ignore_ascii_case("AT"));
        let name = line.get(2..)?;
        if !is_at || name.len() < 2 || name.contains(['=', '?']) {
            return None;
        }
        let (ci, c) = self.d.command(name)?;
        let syntaxes: Vec<String> = (0..c.forms.len())
            .filter(|&f| c.forms.get(f).is_some_and(|f| f.kind == FormKind::Action))
            .map(|f| self.syntax(ci, f))
            .collect();
        let title = self.notes.commands.get(ci).map(|c| c.title.as_str());
        Some(format!(
            "{} ({})",
            syntaxes.first().cloned().unwrap_or_default(),
            title.unwrap_or_default()
        ))
    }

    /// Why the spec refuses a command line, if it does: the engine's
    /// message, which names the parameter and its range.
    pub fn refuses(&self, line: &str) -> Option<String> {
        let c = schema::fields::command_line(line)?;
        if !self.d.owns(c.name) {
            return None;
        }
        schema::parse_command(self.d, line)
            .err()
            .map(|e| e.to_string())
    }

    /// The pending command a line answers to, for [`Guide::decode`].
    pub fn pending(&self, command_line: &str) -> schema::Pending {
        schema::parse_command(self.d, command_line)
            .ok()
            .map(|p| (p.command, p.form))
    }

    /// A modem line in words: final result codes with their error text,
    /// responses and URCs with each field named and coded values named.
    pub fn decode(&self, line: &str, pending: schema::Pending) -> Decoded {
        if let Some(f) = final_result(line) {
            return match f {
                Final::CmeError(Some(code)) => match self.d.error_text(code) {
                    Some(t) => Decoded::Error(format!("error {code}: {t}")),
                    None => Decoded::Error(format!("error {code}, which the spec does not define")),
                },
                Final::Ok | Final::Connect => Decoded::Final,
                _ => Decoded::Error(String::new()),
            };
        }
        match schema::parse_message(self.d, line, pending) {
            Ok(m) => {
                let Some(msg) = self.d.messages.get(m.message) else {
                    return Decoded::Unknown(String::new());
                };
                let notes = self.notes.messages.get(m.message);
                let mut fields = Vec::new();
                for (p, v) in msg.fields.iter().zip(m.values.params.iter()) {
                    if let Some(v) = v {
                        fields.push(format!("{} {}", p.name, self.value(&p.ty, v)));
                    }
                }
                if let Some(o) = &m.values.option {
                    if let Some(opt) = self
                        .d
                        .tables
                        .get(o.table)
                        .and_then(|t| t.options.get(o.option))
                    {
                        let vals: Vec<String> = o
                            .values
                            .iter()
                            .flatten()
                            .chain(o.rest.iter())
                            .map(|v| v.to_string())
                            .collect();
                        fields.push(format!("{} = {}", opt.name, vals.join(",")));
                    }
                }
                for v in &m.values.rest {
                    fields.push(v.to_string());
                }
                let what = notes.map(|n| first_sentence(&n.doc)).unwrap_or_default();
                let section = notes.map(|n| n.section.as_str()).unwrap_or_default();
                let kind = if m.solicited { "response" } else { "URC" };
                Decoded::Message {
                    urc: !m.solicited,
                    text: format!("{kind} {section}: {}: {what}", fields.join(", ")),
                }
            }
            Err(e) if e.kind == schema::ErrorKind::UnknownMessage => {
                Decoded::Unknown(e.to_string())
            }
            Err(e) => Decoded::Bad(e.to_string()),
        }
    }

    fn value(&self, ty: &Ty, v: &Val) -> String {
        match v {
            Val::Int(i) => self.d.describe(ty, *i),
            Val::Str(_) => v.to_string(),
        }
    }
}

/// A modem line in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    /// `OK`, `CONNECT`: nothing to add.
    Final,
    /// An error result, with its text when known.
    Error(String),
    /// A response or URC of the spec, in words.
    Message {
        /// Unsolicited.
        urc: bool,
        /// The fields, named, and what the message means.
        text: String,
    },
    /// A line of the spec's syntax that breaks it.
    Bad(String),
    /// Not a line of the spec (the answer of `ATI`, say).
    Unknown(String),
}

/// The first sentence of a doc text.
fn first_sentence(doc: &str) -> &str {
    match doc.find(". ") {
        Some(i) => doc.get(..=i).unwrap_or(doc),
        None => doc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with<T>(f: impl FnOnce(&Guide<'_>) -> T) -> T {
        let spec = wip_spec::default_spec().unwrap();
        f(&Guide {
            d: &spec.dialect,
            notes: &spec.notes,
        })
    }

    #[test]
    fn completes_command_names() {
        with(|g| {
            let (start, c) = g.complete("AT+WIPC");
            assert_eq!(start, 2);
            let names: Vec<&str> = c.iter().map(|c| c.replacement.as_str()).collect();
            assert_eq!(names, ["+WIPCFG", "+WIPCREATE", "+WIPCLOSE"]);
        });
    }

    #[test]
    fn completes_form_selectors_and_coded_values() {
        with(|g| {
            let (start, c) = g.complete("AT+WIPCREATE=");
            assert_eq!(start, 13);
            let shown: Vec<&str> = c.iter().map(|c| c.display.as_str()).collect();
            assert!(shown.contains(&"2  TcpClient: 2 (TCP client)"), "{shown:?}");
            let (_, c) = g.complete("AT+WIPCFG=2,");
            assert!(c.iter().any(|c| c.display.contains("WIP_NET_OPT")), "{c:?}");
            // By name: the number replaces the word typed.
            let (start, c) = g.complete("AT+WIPCREATE=tcp");
            assert_eq!(start, 13);
            let r: Vec<&str> = c.iter().map(|c| c.replacement.as_str()).collect();
            assert_eq!(r, ["2", "3"], "{c:?}");
        });
    }

    #[test]
    fn hints_syntax_and_range() {
        with(|g| {
            let h = g.hint("AT+WIPCREATE=2,").unwrap();
            assert!(
                h.starts_with("AT+WIPCREATE=2,<communication index>,<peer IP>,<peer port>"),
                "{h}"
            );
            assert!(h.ends_with("<communication index>: 1..=8"), "{h}");
        });
    }

    /// The syntax shown is the manual's: parameters that go together in
    /// one bracket (7.1.2, 6.2.6), no value after a read of an option
    /// (4.2.2, 5.3.2), a write's value not optional (4.1.2).
    #[test]
    fn hints_the_manuals_brackets() {
        with(|g| {
            let syntax = |line: &str| g.hint(line).unwrap_or_default();
            let ping = syntax("AT+WIPPING=\"h\",");
            assert!(
                ping.starts_with("AT+WIPPING=<host>[,<repeat>,<interval>"),
                "{ping}"
            );
            let data = syntax("AT+WIPDATA=2,1,1,");
            assert!(data.contains("[,<send size>,<wait time>]"), "{data}");
            let get = syntax("AT+WIPBR=3,6,");
            assert!(get.starts_with("AT+WIPBR=3,<bid>,<opt num>"), "{get}");
            assert!(!get.contains("..."), "{get}");
            let set = syntax("AT+WIPCFG=2,");
            assert!(set.starts_with("AT+WIPCFG=2,<opt num>,<value>"), "{set}");
            assert!(!set.contains("[,<value>"), "{set}");
        });
    }

    #[test]
    fn refuses_what_the_spec_refuses() {
        with(|g| {
            let why = g.refuses("AT+WIPCREATE=2,9,\"a\",80").unwrap();
            assert!(
                why.contains("communication index") && why.contains("1..=8"),
                "{why}"
            );
            assert_eq!(g.refuses("AT+WIPCREATE=2,1,\"a\",80"), None);
            assert_eq!(g.refuses("ATI"), None);
        });
    }

    #[test]
    fn decodes_urcs_with_named_values() {
        with(|g| {
            let d = g.decode("+WIPPEERCLOSE: 2,5", None);
            let Decoded::Message { urc: true, text } = d else {
                panic!("{d:?}")
            };
            assert!(
                text.starts_with("URC 5.2.2: protocol 2 (TCP client), idx 5: A socket or session was closed by its peer"),
                "{text}"
            );
            assert!(
                matches!(g.decode("+CME ERROR: 842", None), Decoded::Error(t) if t.starts_with("error 842: "))
            );
            assert!(matches!(
                g.decode("+WIPPEERCLOSE: 2,9", None),
                Decoded::Bad(_)
            ));
        });
    }
}
