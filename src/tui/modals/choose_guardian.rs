//! Create/Validate for a patient with several guardians, each with their
//! own login: whose password to reset. Staff pick a guardian by their
//! email and relationship with Up/Down and Enter — never with a letter —
//! and the confirmation that follows shows that email again. A guardian
//! whose link has ended (the age rules) is listed but never offered; the
//! last choice adds a new guardian instead.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::present::guardian_summary;
use crate::services::GuardianView;
use crate::tui::component::{Command, Component, Modal, ModalKind, Response, Shared};
use crate::tui::keys::{Action, Context};
use crate::tui::modals::{AddGuardianForm, create_validate};
use crate::tui::request::PatientRef;
use crate::tui::widgets::{Scroll, buttons, key_value, modal_box_with_footer, wrapped_height};

const WIDTH: u16 = 74;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    /// The guardian at this index of `guardians`.
    Guardian(usize),
    AddNew,
}

pub struct ChooseGuardian {
    patient: PatientRef,
    reset_password: bool,
    /// Every guardian, oldest link first.
    guardians: Vec<GuardianView>,
    /// What can be chosen: the guardians still in effect, then "add".
    items: Vec<Item>,
    cursor: usize,
    /// On the Cancel button instead of the list.
    on_cancel: bool,
}

impl ChooseGuardian {
    pub fn new(
        patient: PatientRef,
        guardians: Vec<GuardianView>,
        reset_password: bool,
    ) -> ChooseGuardian {
        let mut items: Vec<Item> = guardians
            .iter()
            .enumerate()
            .filter(|(_, g)| !g.is_ended())
            .map(|(i, _)| Item::Guardian(i))
            .collect();
        items.push(Item::AddNew);
        ChooseGuardian {
            patient,
            reset_password,
            guardians,
            items,
            cursor: 0,
            on_cancel: false,
        }
    }

    fn pick(&self, shared: &Shared) -> Response {
        match self.items[self.cursor] {
            Item::Guardian(i) => {
                let email = self.guardians[i].email();
                match create_validate::ask(
                    shared,
                    self.patient.clone(),
                    Some(email),
                    self.reset_password,
                ) {
                    // The confirmation takes this popup's place.
                    Response::Command(c @ Command::Open(_)) => Response::Close(Some(c)),
                    other => other,
                }
            }
            Item::AddNew => Response::Close(Some(Command::Open(Box::new(AddGuardianForm::new(
                self.patient.clone(),
            ))))),
        }
    }
}

impl Component for ChooseGuardian {
    fn context(&self, _: &Shared) -> Context {
        if self.on_cancel {
            Context::Confirm
        } else {
            Context::ChoiceList
        }
    }

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response {
        match action {
            Action::Cancel => return Response::Close(None),
            Action::NextField | Action::PrevField => self.on_cancel = !self.on_cancel,
            Action::Up if !self.on_cancel => self.cursor = self.cursor.saturating_sub(1),
            Action::Down if !self.on_cancel => {
                self.cursor = (self.cursor + 1).min(self.items.len() - 1);
            }
            Action::Activate if self.on_cancel => return Response::Close(None),
            Action::Activate => return self.pick(shared),
            _ => return Response::Ignored,
        }
        Response::Consumed
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        let theme = &shared.theme;
        let kv = |k: &str, v: String| key_value(theme, 9, k, v, theme.title);
        let p = &self.patient;
        let mut lines = vec![
            kv("Patient", crate::domain::text::printable(&p.name)),
            kv("Born", shared.local.date(p.date_of_birth)),
            kv("No.", p.number.clone()),
            Line::default(),
            Line::from(format!(
                "{} guardians, each with their own login. Whose password is reset? The others do not change.",
                self.items.len() - 1
            )),
        ];
        let mut reveal = 0;
        for (n, item) in self.items.iter().enumerate() {
            let here = !self.on_cancel && self.cursor == n;
            if here {
                reveal = lines.len();
            }
            let text = match item {
                Item::Guardian(i) => guardian_summary(&self.guardians[*i], &shared.local),
                Item::AddNew => "Add a new guardian (their own login)…".to_owned(),
            };
            lines.push(Line::from(Span::styled(
                format!("{}{text}", if here { "> " } else { "  " }),
                if here { theme.selected } else { theme.normal },
            )));
        }
        for g in self.guardians.iter().filter(|g| g.is_ended()) {
            lines.push(Line::from(Span::styled(
                format!("  not offered: {}", guardian_summary(g, &shared.local)),
                theme.dim,
            )));
        }
        // The whole of the highlighted guardian in view, however it wraps.
        let inner_w = area.width.min(WIDTH).saturating_sub(2);
        let scroll = Scroll::Reveal(wrapped_height(&lines[..=reveal], inner_w).saturating_sub(1));
        let footer = vec![
            Line::default(),
            buttons(theme, &[("Cancel", self.on_cancel)]),
            Line::from(Span::styled(
                "Up/Down choose · Enter picks · Esc cancels",
                theme.hint,
            )),
        ];
        modal_box_with_footer(
            f,
            theme,
            area,
            "Reset whose login?",
            lines,
            footer,
            WIDTH,
            scroll,
        );
    }
}

impl Modal for ChooseGuardian {
    fn kind(&self) -> ModalKind {
        ModalKind::ChooseGuardian
    }
}
