//! The main screen once an operator is signed in: the panes, which one has
//! the keyboard, and how they share the terminal at each size.

use crossterm::event::Event;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use crate::tui::component::{Component, Response, Shared};
use crate::tui::keys::{Action, Context};
use crate::tui::layout::{LayoutKind, layout_kind};
use crate::tui::panes::{Account, ControlPanel, Lookup, Operators, PaneComponent, PaneFrame};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Lookup,
    Status,
    ControlPanel,
    Operators,
}

impl Pane {
    pub fn number(self) -> u8 {
        match self {
            Pane::Lookup => 1,
            Pane::Status => 2,
            Pane::ControlPanel => 3,
            Pane::Operators => 4,
        }
    }

    /// For the pane indicator where space is short.
    pub fn short_title(self) -> &'static str {
        match self {
            Pane::Lookup => "Lookup",
            Pane::Status => "Account",
            Pane::ControlPanel => "Users",
            Pane::Operators => "Operators",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Pane::Lookup => "Patient lookup",
            Pane::Status => "Portal account",
            Pane::ControlPanel => "Control Panel — Users",
            Pane::Operators => "Control Panel — Operators",
        }
    }
}

pub struct MainScreen {
    focus: Pane,
    lookup: Lookup,
    account: Account,
    /// Administrators only.
    control: Option<ControlPanel>,
    /// Administrators only.
    operators: Option<Operators>,
}

impl MainScreen {
    /// The main screen as a newly signed-in operator sees it: the lookup,
    /// its search box empty.
    pub fn new(shared: &Shared) -> MainScreen {
        let lookup = Lookup::new(shared);
        let mut account = Account::default();
        account.show(lookup.selected_number(), shared);
        MainScreen {
            focus: Pane::Lookup,
            lookup,
            account,
            control: shared.is_admin().then(|| ControlPanel::new(shared)),
            operators: shared.is_admin().then(|| Operators::new(shared)),
        }
    }

    pub fn focus(&self) -> Pane {
        self.focus
    }

    /// The panes this operator can see (staff never see the Control Panel).
    pub fn panes(&self) -> &'static [Pane] {
        if self.control.is_some() {
            &[
                Pane::Lookup,
                Pane::Status,
                Pane::ControlPanel,
                Pane::Operators,
            ]
        } else {
            &[Pane::Lookup, Pane::Status]
        }
    }

    /// Reads everything shown again (after a change, or Ctrl-R). False when
    /// the selected patient is no longer in the list.
    pub fn reload(&mut self, shared: &Shared) -> bool {
        let kept = self.lookup.reload(shared);
        self.account.show(self.lookup.selected_number(), shared);
        if let Some(cp) = &mut self.control {
            cp.reload(shared);
        }
        if let Some(ops) = &mut self.operators {
            ops.reload(shared);
        }
        kept
    }

    /// The pane with the keyboard: the one place focus is routed.
    fn focused(&mut self) -> &mut dyn PaneComponent {
        match (self.focus, &mut self.control, &mut self.operators) {
            (Pane::ControlPanel, Some(cp), _) => cp,
            (Pane::Operators, _, Some(ops)) => ops,
            (Pane::Status, _, _) => &mut self.account,
            _ => &mut self.lookup,
        }
    }

    fn focused_ref(&self) -> &dyn PaneComponent {
        match (self.focus, &self.control, &self.operators) {
            (Pane::ControlPanel, Some(cp), _) => cp,
            (Pane::Operators, _, Some(ops)) => ops,
            (Pane::Status, _, _) => &self.account,
            _ => &self.lookup,
        }
    }

    fn cycle(&mut self, delta: isize) {
        let panes = self.panes();
        let i = panes.iter().position(|p| *p == self.focus).unwrap_or(0) as isize;
        self.focus = panes[(i + delta).rem_euclid(panes.len() as isize) as usize];
    }

    /// Runs `f` on the focused pane; when it moved the lookup's selection,
    /// the account pane follows.
    fn on_focused(
        &mut self,
        shared: &Shared,
        f: impl FnOnce(&mut dyn PaneComponent) -> Response,
    ) -> Response {
        let before = self.lookup.selected_number().map(str::to_owned);
        let response = f(self.focused());
        if self.lookup.selected_number() != before.as_deref() {
            self.account.show(self.lookup.selected_number(), shared);
        }
        response
    }

    fn frame(&self, pane: Pane, tabs: Option<Line<'static>>, shared: &Shared) -> PaneFrame {
        let focused = self.focus == pane;
        let title = tabs.unwrap_or_else(|| {
            // The focused pane's title is bracketed: focus shows without colour.
            let (text, style) = if focused {
                (
                    format!(" [{} {}] ", pane.number(), pane.title()),
                    shared.theme.focus_border,
                )
            } else {
                (
                    format!(" {} {} ", pane.number(), pane.title()),
                    shared.theme.border_style,
                )
            };
            Line::from(Span::styled(text, style))
        });
        PaneFrame { title, focused }
    }

    /// "[2 Account] 3 Users": which panes share this space.
    fn tabs(&self, panes: &[Pane], shared: &Shared) -> Line<'static> {
        let mut spans = vec![Span::raw(" ")];
        for p in panes.iter().filter(|p| self.panes().contains(p)) {
            let label = format!("{} {}", p.number(), p.short_title());
            if *p == self.focus {
                spans.push(Span::styled(
                    format!("[{label}]"),
                    shared.theme.focus_border,
                ));
            } else {
                spans.push(Span::styled(label, shared.theme.border_style));
            }
            spans.push(Span::raw(" "));
        }
        Line::from(spans)
    }

    fn draw_pane(
        &self,
        f: &mut Frame,
        area: Rect,
        shared: &Shared,
        pane: Pane,
        tabs: Option<Line<'static>>,
    ) {
        let frame = self.frame(pane, tabs, shared);
        match (pane, &self.control, &self.operators) {
            (Pane::ControlPanel, Some(cp), _) => cp.draw(f, area, shared, frame),
            (Pane::Operators, _, Some(ops)) => ops.draw(f, area, shared, frame),
            (Pane::Status, _, _) => self.account.draw(f, area, shared, frame),
            _ => self.lookup.draw(f, area, shared, frame),
        }
    }
}

impl Component for MainScreen {
    fn context(&self, _: &Shared) -> Context {
        self.focused_ref().context()
    }

    fn on_action(&mut self, action: Action, shared: &Shared) -> Response {
        match action {
            Action::NextPane => self.cycle(1),
            Action::PrevPane => self.cycle(-1),
            // Esc: back to the lookup, the selection where it was.
            Action::Back => self.focus = Pane::Lookup,
            Action::Open if self.focus == Pane::Lookup => {
                if self.lookup.selected().is_some() {
                    self.focus = Pane::Status;
                }
            }
            // From the lookup too: the account pane knows the selected patient.
            Action::CreateValidate | Action::AddGuardian => {
                return self.account.on_action(action, shared);
            }
            _ => return self.on_focused(shared, |p| p.on_action(action, shared)),
        }
        Response::Consumed
    }

    /// A printable key: typed into the focused pane's search box; from the
    /// account pane, into the lookup's (type to search, wherever you are).
    fn on_text(&mut self, event: &Event, shared: &Shared) -> Response {
        if self.focus == Pane::Status {
            self.focus = Pane::Lookup;
        }
        self.on_focused(shared, |p| p.on_text(event, shared))
    }

    fn on_paste(&mut self, text: &str, shared: &Shared) -> Response {
        if self.focus == Pane::Status {
            self.focus = Pane::Lookup;
        }
        self.on_focused(shared, |p| p.on_paste(text, shared))
    }

    fn draw(&self, f: &mut Frame, area: Rect, shared: &Shared) {
        match layout_kind(shared.size) {
            LayoutKind::Full => {
                let [left, right] =
                    Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                        .areas(area);
                self.draw_pane(f, left, shared, Pane::Lookup, None);
                if self.control.is_some() {
                    let [top, bottom] =
                        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)])
                            .areas(right);
                    self.draw_pane(f, top, shared, Pane::Status, None);
                    // Users and Operators share the Control Panel's place.
                    let tabs = Some(self.tabs(&[Pane::ControlPanel, Pane::Operators], shared));
                    let pane = if self.focus == Pane::Operators {
                        Pane::Operators
                    } else {
                        Pane::ControlPanel
                    };
                    self.draw_pane(f, bottom, shared, pane, tabs);
                } else {
                    self.draw_pane(f, right, shared, Pane::Status, None);
                }
            }
            LayoutKind::Medium => {
                let [left, right] =
                    Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                        .areas(area);
                self.draw_pane(f, left, shared, Pane::Lookup, None);
                let tabs =
                    Some(self.tabs(&[Pane::Status, Pane::ControlPanel, Pane::Operators], shared));
                let right_pane = match self.focus {
                    Pane::Lookup => Pane::Status,
                    other => other,
                };
                self.draw_pane(f, right, shared, right_pane, tabs);
            }
            LayoutKind::Compact => {
                let tabs = Some(self.tabs(self.panes(), shared));
                self.draw_pane(f, area, shared, self.focus, tabs);
            }
        }
    }
}
