//! Control Panel → Users (administrators): search users by email, then
//! Password, Unlock, Disable/Enable on the selected one.

use crossterm::event::Event;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row};

use super::{PaneComponent, PaneFrame, draw_rows, draw_search, list_frame};
use crate::domain::text::printable;
use crate::error::{Error, Result};
use crate::format_time;
use crate::services::{AccountChange, AccountView};
use crate::store::Page;
use crate::tui::component::{Command, Level, Response, Shared, sentence};
use crate::tui::keys::{Action, Context};
use crate::tui::layout::list_rows;
use crate::tui::list::ListPane;
use crate::tui::modals::{Confirm, SetPassword};
use crate::tui::request::{AccountRef, Request};

pub struct ControlPanel {
    list: ListPane<AccountView>,
}

/// One page of portal users for an email query, from the services.
fn fetch(shared: &Shared) -> impl Fn(&str, Option<&str>) -> Result<Page<AccountView>> + '_ {
    let page = shared.ui.page_size;
    move |q, after| shared.portal.list_accounts(q, after, page)
}

/// Whether the services would allow `change` for this operator, and if not
/// the message that says why.
fn check(
    shared: &Shared,
    acc: &AccountView,
    change: AccountChange,
) -> std::result::Result<(), Response> {
    let outcome = match &shared.session {
        Some(s) => shared.portal.check_account_change(s, acc, change),
        None => Err(Error::NotSignedIn {
            what: "the Control Panel",
        }),
    };
    outcome.map_err(|e| Response::notice(Level::Info, sentence(&e)))
}

fn account_ref(acc: &AccountView) -> AccountRef {
    AccountRef {
        email: acc.email.clone(),
        version: acc.version,
    }
}

impl ControlPanel {
    pub fn new(shared: &Shared) -> ControlPanel {
        let mut list = ListPane::default();
        list.search(&fetch(shared));
        ControlPanel { list }
    }

    pub fn leave_search(&mut self) {
        self.list.typing = false;
    }

    pub fn reload(&mut self, shared: &Shared) {
        self.list.reload(&fetch(shared));
    }

    fn selected_or_say(&self) -> std::result::Result<&AccountView, Response> {
        self.list.selected_row().ok_or_else(|| {
            Response::notice(Level::Info, "Select a user first (search by email with /).")
        })
    }

    fn set_password(&self) -> Response {
        match self.selected_or_say() {
            Ok(acc) => {
                Response::Command(Command::Open(Box::new(SetPassword::new(account_ref(acc)))))
            }
            Err(r) => r,
        }
    }

    fn unlock(&self, shared: &Shared) -> Response {
        let acc = match self.selected_or_say() {
            Ok(acc) => acc,
            Err(r) => return r,
        };
        if let Err(refused) = check(shared, acc, AccountChange::Unlock) {
            return refused;
        }
        Self::confirm(
            acc,
            format!("Unlock {}?", acc.email),
            "Unlock",
            Request::Unlock {
                account: account_ref(acc),
            },
        )
    }

    fn toggle_disabled(&self, shared: &Shared) -> Response {
        let acc = match self.selected_or_say() {
            Ok(acc) => acc,
            Err(r) => return r,
        };
        let disabled = !acc.disabled;
        let change = if disabled {
            AccountChange::Disable
        } else {
            AccountChange::Enable
        };
        if let Err(refused) = check(shared, acc, change) {
            return refused;
        }
        let verb = if disabled { "Disable" } else { "Enable" };
        Self::confirm(
            acc,
            format!("{verb} {}?", acc.email),
            verb,
            Request::SetDisabled {
                account: account_ref(acc),
                disabled,
            },
        )
    }

    fn confirm(acc: &AccountView, title: String, yes: &'static str, request: Request) -> Response {
        let lines = vec![format!("Status now: {}", acc.status.label())];
        Response::Command(Command::Open(Box::new(Confirm::new(
            title,
            lines,
            yes,
            Command::Start(request),
        ))))
    }
}

impl PaneComponent for ControlPanel {
    fn context(&self) -> Context {
        if self.list.typing {
            Context::SearchBox
        } else {
            Context::ControlPanel
        }
    }

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response {
        let rows = usize::from(list_rows(shared.size));
        if self.list.act(action, &fetch(shared), rows).is_some() {
            return Response::Consumed;
        }
        match action {
            Action::Password => self.set_password(),
            Action::Unlock => self.unlock(shared),
            Action::ToggleDisabled => self.toggle_disabled(shared),
            _ => Response::Ignored,
        }
    }

    fn on_text(&mut self, event: &Event, shared: &Shared) -> Response {
        self.list.type_key(event, &fetch(shared));
        Response::Consumed
    }

    fn on_paste(&mut self, text: &str, shared: &Shared) -> Response {
        if !self.list.typing {
            return Response::Ignored;
        }
        self.list.paste(text, &fetch(shared));
        Response::Consumed
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared, frame: PaneFrame) {
        let theme = &shared.theme;
        let focused = frame.focused;
        let Some([search, list, footer]) = list_frame(f, area, shared, frame) else {
            return;
        };
        let cp = &self.list;
        draw_search(
            f,
            search,
            shared,
            cp,
            "Email:",
            "/ search users by email",
            focused,
        );
        let wide = list.width >= 60;
        let rows = cp.rows.iter().map(|a| {
            let mut cells = vec![
                a.email.to_string(),
                a.status.label().to_owned(),
                if a.reset_required { "RESET" } else { "-" }.to_owned(),
            ];
            if wide {
                cells.push(
                    a.last_sign_in
                        .map(|t| format_time(t)[..10].to_owned())
                        .unwrap_or_else(|| "never".into()),
                );
            }
            Row::new(cells)
        });
        let mut widths = vec![
            Constraint::Min(12),
            Constraint::Length(8),
            Constraint::Length(5),
        ];
        if wide {
            widths.push(Constraint::Length(10));
        }
        draw_rows(f, list, shared, cp, rows, widths, focused);
        let text = match &cp.error {
            Some(e) => Span::styled(printable(e), theme.error),
            None if cp.rows.is_empty() => Span::styled("no portal user matches", theme.warn),
            None => Span::styled("p Password · u Unlock · d Disable/Enable", theme.hint),
        };
        f.render_widget(Paragraph::new(Line::from(text)), footer);
    }
}
