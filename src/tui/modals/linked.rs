//! A change that linked an account and left its password alone: a
//! patient added to the existing account of their e-correspondent email
//! (Create/Validate), or a guardian's existing account added to a patient.
//! Nothing to read aloud. After Create/Validate a reset of that password
//! is offered as its own, confirmed action — never a side effect.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::domain::text::printable;
use crate::present::linked_summary;
use crate::services::{GuardianAdded, Linked};
use crate::tui::component::{Command, Component, Modal, ModalKind, Response, Shared};
use crate::tui::keys::{Action, Context};
use crate::tui::modals::create_validate;
use crate::tui::notice::{NoticeState, capitalised};
use crate::tui::request::{PatientRef, Reply};
use crate::tui::widgets::{TOP, buttons, cycle, modal_box_with_footer};

pub struct LinkedPopup {
    title: &'static str,
    patient: PatientRef,
    /// What was done, in sentences.
    said: Vec<String>,
    notice: NoticeState,
    /// After Create/Validate: the account whose password may be reset
    /// next, on its own "Reset its password…" button.
    reset: Option<crate::domain::Email>,
    /// 0: Done (first, the safe one), 1: Reset its password…
    focus: usize,
}

impl LinkedPopup {
    /// Create/Validate added the patient to an existing account.
    pub fn new(linked: Linked, patient: PatientRef, shared: &Shared) -> LinkedPopup {
        LinkedPopup {
            title: "Added to the existing account",
            said: vec![capitalised(&linked_summary(&linked))],
            notice: NoticeState::queued(linked.notice.into_iter().collect(), shared),
            reset: Some(linked.account.email),
            patient,
            focus: 0,
        }
    }

    /// A guardian's existing account was added to the patient.
    pub fn guardian(added: &GuardianAdded, patient: PatientRef, shared: &Shared) -> LinkedPopup {
        let g = &added.guardian;
        LinkedPopup {
            title: "Guardian added",
            said: vec![
                "Linked; password unchanged.".to_owned(),
                format!(
                    "{} ({}) is now a guardian of this patient and signs in with their current password.",
                    g.email(),
                    g.relationship
                ),
            ],
            notice: NoticeState::queued(added.notice.into_iter().collect(), shared),
            reset: None,
            patient,
            focus: 0,
        }
    }

    /// The notices to send now, once the popup is on screen.
    pub fn notices(&self) -> Vec<u64> {
        self.notice.to_send()
    }

    fn buttons(&self) -> usize {
        if self.reset.is_some() { 2 } else { 1 }
    }
}

impl Component for LinkedPopup {
    fn context(&self, _: &Shared) -> Context {
        Context::Confirm
    }

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response {
        match action {
            Action::NextField => self.focus = cycle(self.focus, self.buttons(), 1),
            Action::PrevField => self.focus = cycle(self.focus, self.buttons(), -1),
            Action::Cancel => return Response::Close(Some(Command::Reload)),
            Action::Activate if self.focus == 0 => return Response::Close(Some(Command::Reload)),
            Action::Activate => {
                // Asks again, with the identity check, before any reset.
                return match create_validate::ask(
                    shared,
                    self.patient.clone(),
                    self.reset.as_ref(),
                    true,
                ) {
                    Response::Command(c) => Response::Close(Some(c)),
                    other => other,
                };
            }
            _ => return Response::Ignored,
        }
        Response::Consumed
    }

    fn on_reply(&mut self, reply: &Reply, shared: &Shared) -> Response {
        if self.notice.take(reply, &shared.local) {
            Response::Consumed
        } else {
            Response::Ignored
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let mut lines = vec![
            Line::from(Span::styled(
                format!(
                    "{}, born {}, no. {}",
                    printable(&self.patient.name),
                    shared.local.date(self.patient.date_of_birth),
                    self.patient.number
                ),
                theme.title,
            )),
            Line::default(),
        ];
        lines.extend(self.said.iter().map(|s| Line::from(printable(s))));
        lines.push(Line::from(
            "No temporary login: there is nothing to read aloud.",
        ));
        lines.extend(self.notice.line(theme));
        let mut labels = vec![("Done", self.focus == 0)];
        if self.reset.is_some() {
            labels.push(("Reset its password…", self.focus == 1));
        }
        let footer = vec![
            Line::default(),
            buttons(theme, &labels),
            Line::from(Span::styled(
                "Tab/arrows choose · Enter presses · Esc closes",
                theme.hint,
            )),
        ];
        modal_box_with_footer(f, theme, area, self.title, lines, footer, 72, TOP);
    }
}

impl Modal for LinkedPopup {
    fn kind(&self) -> ModalKind {
        ModalKind::Linked
    }
}
