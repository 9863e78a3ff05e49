//! Test-command answers (`AT+USOWR=?` → `+USOWR: (0-6),(0-1024)`): a list
//! that reaches beyond what the command's set syntax accepts in the
//! parameter of the same name is a note, not a violation. Manuals print
//! such answers (u-blox R09 18.10.2 lists `<length>` as `(0-1024)` where the
//! set syntax takes 1-1024), and the answer describes the modem, not the
//! host's line, so nothing the host sends is wrong for it.

use super::{Channel, Verifier};
use wip_schema::{ranges, ParsedMessage, Ranges, Ty, Val};

impl Verifier<'_> {
    /// Notes each `Ranges` field of a test answer whose list reaches
    /// outside the values the command's action forms declare for it.
    pub(super) fn test_answer_ranges(
        &mut self,
        ch: &Channel,
        line: usize,
        text: &str,
        m: &ParsedMessage,
    ) {
        let Some(msg) = self.d.messages.get(m.message).filter(|x| x.test) else {
            return;
        };
        let Some(command) = ch.pending.as_ref().and_then(|p| p.command) else {
            return;
        };
        let Some(cmd) = self.d.commands.get(command) else {
            return;
        };
        let mut notes = Vec::new();
        for (p, v) in msg.fields.iter().zip(m.values.params.iter()) {
            let (Ty::Ranges, Some(Val::Str(s))) = (&p.ty, v) else {
                continue;
            };
            let (Ok(list), Some((lo, hi))) =
                (Ranges::parse(s), ranges::declared(self.d, command, &p.name))
            else {
                continue;
            };
            if !list.outside(lo, hi).is_empty() {
                notes.push(format!(
                    "`{text}`: <{}> lists {s}, beyond the {lo}..={hi} that AT{}= accepts (a test answer describes the modem; noted, not a violation)",
                    p.name, cmd.name
                ));
            }
        }
        for n in notes {
            self.note(line, n);
        }
    }
}
