//! After Create/Validate added a patient to the existing account of their
//! e-correspondent email: nothing to read aloud, the password did not
//! change. A reset of that password is offered as its own, confirmed
//! action — never a side effect.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::domain::text::printable;
use crate::present::linked_summary;
use crate::services::Linked;
use crate::tui::component::{Command, Component, Modal, ModalKind, Response, Shared};
use crate::tui::keys::{Action, Context};
use crate::tui::modals::create_validate;
use crate::tui::request::PatientRef;
use crate::tui::widgets::{TOP, buttons, cycle, modal_box_with_footer};

pub struct LinkedPopup {
    linked: Linked,
    patient: PatientRef,
    /// 0: Done (first, the safe one), 1: Reset its password…
    focus: usize,
}

impl LinkedPopup {
    pub fn new(linked: Linked, patient: PatientRef) -> LinkedPopup {
        LinkedPopup {
            linked,
            patient,
            focus: 0,
        }
    }
}

impl Component for LinkedPopup {
    fn context(&self, _: &Shared) -> Context {
        Context::Confirm
    }

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response {
        match action {
            Action::NextField => self.focus = cycle(self.focus, 2, 1),
            Action::PrevField => self.focus = cycle(self.focus, 2, -1),
            Action::Cancel => return Response::Close(Some(Command::Reload)),
            Action::Activate if self.focus == 0 => return Response::Close(Some(Command::Reload)),
            Action::Activate => {
                // Asks again, with the identity check, before any reset.
                return match create_validate::ask(shared, self.patient.clone(), true) {
                    Response::Command(c) => Response::Close(Some(c)),
                    other => other,
                };
            }
            _ => return Response::Ignored,
        }
        Response::Consumed
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let mut summary = linked_summary(&self.linked);
        if let Some(first) = summary.get(..1) {
            let upper = first.to_uppercase();
            summary.replace_range(..1, &upper);
        }
        let lines = vec![
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
            Line::from(format!("{summary}.")),
            Line::from("No temporary login: there is nothing to read aloud."),
        ];
        let footer = vec![
            Line::default(),
            buttons(
                theme,
                &[
                    ("Done", self.focus == 0),
                    ("Reset its password…", self.focus == 1),
                ],
            ),
            Line::from(Span::styled(
                "Tab/arrows choose · Enter presses · Esc closes",
                theme.hint,
            )),
        ];
        modal_box_with_footer(
            f,
            theme,
            area,
            "Added to the existing account",
            lines,
            footer,
            72,
            TOP,
        );
    }
}

impl Modal for LinkedPopup {
    fn kind(&self) -> ModalKind {
        ModalKind::Linked
    }
}
