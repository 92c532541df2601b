//! Drawing: state in, frame out. Nothing here changes the app.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Row, Table, TableState, Wrap};

use super::app::{
    App, Confirm, FormFocus, Level, MIN_SIZE, Main, Modal, Pane, Screen, SetPasswordForm,
    SignInForm, TempLoginModal,
};
use super::keys::{self, Action, Context};
use super::theme::Theme;
use crate::domain::AccountStatus;
use crate::domain::text::printable;
use crate::format_time;
use crate::present;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayoutKind {
    /// All panes side by side (from 100x30).
    Full,
    /// Lookup beside one other pane (from 80x24).
    Medium,
    /// One pane at a time (below 80x24).
    Compact,
}

pub fn layout_kind(size: (u16, u16)) -> LayoutKind {
    match size {
        (w, h) if w >= 100 && h >= 30 => LayoutKind::Full,
        (w, h) if w >= 80 && h >= 24 => LayoutKind::Medium,
        _ => LayoutKind::Compact,
    }
}

/// Rows of results the lookup list shows at this size.
pub fn list_rows(size: (u16, u16)) -> u16 {
    // title, notice and hint lines; the pane's borders; search and footer lines.
    size.1.saturating_sub(7)
}

pub fn draw(f: &mut Frame, app: &App) {
    let area = f.area();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        draw_too_small(f, area);
        return;
    }
    let [title, body, notice, hint] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_title(f, app, title);
    match &app.screen {
        Screen::SignIn(form) => draw_sign_in(f, app, form, body),
        Screen::Main(m) => draw_main(f, app, m, body),
    }
    draw_notice(f, app, notice);
    draw_hints(f, app, hint);
    if let Screen::Main(m) = &app.screen {
        for entry in &m.modals {
            match &entry.modal {
                Modal::Confirm(c) => draw_confirm(f, &app.theme, c, area),
                Modal::TempLogin(t) => draw_temp_login(f, &app.theme, t, area),
                Modal::SetPassword(form) => draw_set_password(f, &app.theme, form, area),
            }
        }
    }
    if let Some(help) = &app.help {
        draw_help(f, app, help.context, help.scroll, area);
    }
}

fn block<'a>(theme: &Theme, title: impl Into<Line<'a>>, focused: bool) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border)
        .border_style(if focused {
            theme.focus_border
        } else {
            theme.border_style
        })
        .title(title)
}

fn draw_too_small(f: &mut Frame, area: Rect) {
    let msg = format!(
        "terminal too small (need {}x{}, have {}x{}); q quits",
        MIN_SIZE.0, MIN_SIZE.1, area.width, area.height
    );
    f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
}

fn draw_title(f: &mut Frame, app: &App, area: Rect) {
    let mut parts = vec!["portal-admin".to_owned()];
    if let Some(setup) = &app.setup {
        let name = setup
            .practice_name
            .clone()
            .unwrap_or_else(|| setup.practice_id.clone());
        parts.push(printable(&name));
    }
    if let Screen::Main(m) = &app.screen {
        parts.push(format!(
            "{} ({})",
            m.session.name(),
            m.session.role().as_str()
        ));
    }
    if app.demo {
        parts.push("DEMO DATA".into());
    }
    let text = format!(" {} ", parts.join(" · "));
    f.render_widget(Paragraph::new(text).style(app.theme.title), area);
}

fn draw_notice(f: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let line = if let Some(p) = &app.pending {
        let frames = ['|', '/', '-', '\\'];
        let i = (p.started.elapsed().as_millis() / 120) as usize % frames.len();
        Line::from(Span::styled(
            format!(" {} {}… (working)", frames[i], p.what),
            theme.warn,
        ))
    } else if let Some((level, text)) = &app.notice {
        let style = match level {
            Level::Info => theme.normal,
            Level::Ok => theme.ok,
            Level::Error => theme.error,
        };
        Line::from(Span::styled(format!(" {}", printable(text)), style))
    } else {
        Line::default()
    };
    f.render_widget(Paragraph::new(line), area);
}

/// The bindings of a context as the operator may use them (staff never
/// see administrators' keys).
fn visible_bindings(app: &App, context: Context) -> Vec<&'static keys::Binding> {
    let admin = app.main().is_some_and(|m| m.session.is_admin());
    keys::bindings(context)
        .into_iter()
        .filter(|b| {
            admin || (b.action != Action::GoControlPanel && b.context != Context::ControlPanel)
        })
        .collect()
}

fn draw_hints(f: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let context = app.context();
    let mut spans = vec![Span::styled(
        if context.typing() {
            " TYPING "
        } else {
            " NAV "
        },
        theme.selected,
    )];
    let mut used = spans[0].width();
    if context.typing() {
        spans.push(Span::styled(" keys are text ·", theme.hint));
        used += spans[1].width();
    }
    // Help first, so that it is on screen at any width; then the rest in
    // the key map's order, as many whole hints as fit.
    let mut hints: Vec<&keys::Binding> = visible_bindings(app, context)
        .into_iter()
        .filter(|b| b.hint)
        .collect();
    hints.sort_by_key(|b| !matches!(b.action, Action::Help | Action::CloseHelp));
    for b in hints {
        let key = b.keys[0].label();
        let text = format!(" {}", short(b.description));
        let width = 1 + key.chars().count() + text.chars().count();
        if used + width > usize::from(area.width) {
            break;
        }
        used += width;
        spans.push(Span::raw(" "));
        spans.push(Span::styled(key, theme.key));
        spans.push(Span::styled(text, theme.hint));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The first words of a description, for the hint line.
fn short(d: &str) -> &str {
    d.split([':', '(', ',']).next().unwrap_or(d).trim()
}

fn draw_sign_in(f: &mut Frame, app: &App, form: &SignInForm, area: Rect) {
    let theme = &app.theme;
    let mut lines = vec![
        Line::from(Span::styled("Operator sign-in", theme.title)),
        Line::default(),
        field_line(
            theme,
            "Operator",
            &printable(form.name.value()),
            form.field == 0,
        ),
        field_line(theme, "Password", &form.password.masked(), form.field == 1),
        Line::default(),
    ];
    if let Some(e) = &form.error {
        lines.push(Line::from(Span::styled(printable(e), theme.error)));
    }
    if app.demo {
        lines.push(Line::default());
        lines.push(Line::from("Demo database. Sign in as:"));
        lines.push(Line::from(format!(
            "  staff: {} / {}",
            crate::services::DEMO_STAFF.0,
            crate::services::DEMO_STAFF.1
        )));
        lines.push(Line::from(format!(
            "  admin: {} / {}",
            crate::services::DEMO_ADMIN.0,
            crate::services::DEMO_ADMIN.1
        )));
    }
    let h = (lines.len() as u16 + 2).min(area.height);
    let w = 56.min(area.width);
    let rect = centered(area, w, h);
    let inner = block(theme, " portal-admin ", true).inner(rect);
    f.render_widget(block(theme, " portal-admin ", true), rect);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    let (text_len, row) = if form.field == 0 {
        (form.name.visual_cursor(), 2)
    } else {
        (form.password.cursor(), 3)
    };
    place_cursor(f, inner, 11 + text_len as u16, row);
}

fn field_line<'a>(theme: &Theme, label: &str, value: &str, focused: bool) -> Line<'a> {
    let marker = if focused { "> " } else { "  " };
    Line::from(vec![
        Span::styled(
            format!("{marker}{label:<8} "),
            if focused { theme.key } else { theme.normal },
        ),
        Span::styled(format!("{value} "), theme.input),
    ])
}

fn place_cursor(f: &mut Frame, inner: Rect, x: u16, y: u16) {
    if y < inner.height {
        let x = inner.x + x.min(inner.width.saturating_sub(1));
        f.set_cursor_position(Position::new(x, inner.y + y));
    }
}

fn draw_main(f: &mut Frame, app: &App, m: &Main, area: Rect) {
    let kind = layout_kind(app.size);
    match kind {
        LayoutKind::Full => {
            let [left, right] =
                Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                    .areas(area);
            draw_lookup(f, app, m, left, None);
            match &m.control {
                Some(_) => {
                    let [top, bottom] =
                        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)])
                            .areas(right);
                    draw_status(f, app, m, top, None);
                    draw_control(f, app, m, bottom, None);
                }
                None => draw_status(f, app, m, right, None),
            }
        }
        LayoutKind::Medium => {
            let [left, right] =
                Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                    .areas(area);
            draw_lookup(f, app, m, left, None);
            let tabs = Some(pane_tabs(app, m, &[Pane::Status, Pane::ControlPanel]));
            if m.focus == Pane::ControlPanel {
                draw_control(f, app, m, right, tabs);
            } else {
                draw_status(f, app, m, right, tabs);
            }
        }
        LayoutKind::Compact => {
            let tabs = Some(pane_tabs(app, m, &app.panes()));
            match m.focus {
                Pane::Lookup => draw_lookup(f, app, m, area, tabs),
                Pane::Status => draw_status(f, app, m, area, tabs),
                Pane::ControlPanel => draw_control(f, app, m, area, tabs),
            }
        }
    }
}

/// "[2 Portal account] 3 Control Panel": which panes share this space.
fn pane_tabs(app: &App, m: &Main, panes: &[Pane]) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    for p in panes.iter().filter(|p| app.panes().contains(p)) {
        let label = format!("{} {}", p.number(), p.short_title());
        if *p == m.focus {
            spans.push(Span::styled(format!("[{label}]"), app.theme.focus_border));
        } else {
            spans.push(Span::styled(label, app.theme.border_style));
        }
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

fn title_for(app: &App, m: &Main, pane: Pane, tabs: Option<Line<'static>>) -> Line<'static> {
    tabs.unwrap_or_else(|| {
        // The focused pane's title is bracketed: focus shows without colour.
        let (text, style) = if m.focus == pane {
            (
                format!(" [{} {}] ", pane.number(), pane.title()),
                app.theme.focus_border,
            )
        } else {
            (
                format!(" {} {} ", pane.number(), pane.title()),
                app.theme.border_style,
            )
        };
        Line::from(Span::styled(text, style))
    })
}

fn search_line<'a>(
    theme: &Theme,
    label: &str,
    value: &str,
    typing: bool,
    empty_hint: &str,
) -> Line<'a> {
    if value.is_empty() && !typing {
        return Line::from(vec![
            Span::styled(format!("{label} "), theme.normal),
            Span::styled(empty_hint.to_owned(), theme.dim),
        ]);
    }
    Line::from(vec![
        Span::styled(
            format!("{label} "),
            if typing { theme.key } else { theme.normal },
        ),
        Span::styled(printable(value), theme.input),
    ])
}

/// Draws a list pane's frame and splits its inside into the search line,
/// the list and the footer; `None` when there is no room for them.
fn list_pane(
    f: &mut Frame,
    app: &App,
    m: &Main,
    pane: Pane,
    tabs: Option<Line<'static>>,
    area: Rect,
) -> Option<[Rect; 3]> {
    let b = block(&app.theme, title_for(app, m, pane, tabs), m.focus == pane);
    let inner = b.inner(area);
    f.render_widget(b, area);
    (inner.height >= 3).then(|| {
        Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(inner)
    })
}

fn draw_lookup(f: &mut Frame, app: &App, m: &Main, area: Rect, tabs: Option<Line<'static>>) {
    let theme = &app.theme;
    let focused = m.focus == Pane::Lookup;
    let Some([search, list, footer]) = list_pane(f, app, m, Pane::Lookup, tabs, area) else {
        return;
    };
    let l = &m.lookup;
    f.render_widget(
        Paragraph::new(search_line(
            theme,
            "Search:",
            l.query(),
            l.typing,
            "/ name, \"last, first\", account, birth date, email",
        )),
        search,
    );
    if focused && l.typing {
        place_cursor(f, search, 8 + l.input.visual_cursor() as u16, 0);
    }
    if app.patients == 0 {
        f.render_widget(
            Paragraph::new("No patients yet: run `portal-admin import FILE.csv` (or `portal-admin demo` to try the app).")
                .style(theme.warn)
                .wrap(Wrap { trim: true }),
            list,
        );
        return;
    }
    let wide = list.width >= 52;
    let rows = l.rows.iter().map(|r| {
        let p = &r.patient;
        let portal = if r.account_id.is_some() {
            "portal"
        } else {
            "-"
        };
        let mut cells = vec![p.account_number.clone(), printable(&p.display_name())];
        if wide {
            cells.push(p.date_of_birth.to_string());
        }
        cells.push(portal.to_owned());
        Row::new(cells)
    });
    let widths: Vec<Constraint> = if wide {
        vec![
            Constraint::Length(8),
            Constraint::Min(10),
            Constraint::Length(10),
            Constraint::Length(6),
        ]
    } else {
        vec![
            Constraint::Length(8),
            Constraint::Min(6),
            Constraint::Length(6),
        ]
    };
    let table = Table::new(rows, widths)
        .column_spacing(1)
        .row_highlight_style(if focused {
            theme.selected
        } else {
            theme.normal
        })
        .highlight_symbol("> ");
    let mut state = TableState::default().with_selected((!l.rows.is_empty()).then_some(l.selected));
    f.render_stateful_widget(table, list, &mut state);
    let text = if let Some(e) = &l.error {
        Span::styled(printable(e), theme.error)
    } else if l.rows.is_empty() {
        Span::styled(
            format!("no patient matches \"{}\"", printable(l.query())),
            theme.warn,
        )
    } else {
        let more = if l.next.is_some() {
            " · more: PgDn"
        } else {
            ""
        };
        let earlier = if l.has_prev_page() {
            " · earlier: PgUp"
        } else {
            ""
        };
        Span::styled(
            format!(
                "page {} · {} of {}{more}{earlier}",
                l.page + 1,
                l.selected + 1,
                l.rows.len()
            ),
            theme.hint,
        )
    };
    f.render_widget(Paragraph::new(Line::from(text)), footer);
}

fn draw_status(f: &mut Frame, app: &App, m: &Main, area: Rect, tabs: Option<Line<'static>>) {
    let theme = &app.theme;
    let b = block(
        theme,
        title_for(app, m, Pane::Status, tabs),
        m.focus == Pane::Status,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let mut lines: Vec<Line> = Vec::new();
    let kv = |k: &str, v: String, style: Style| {
        Line::from(vec![
            Span::styled(format!("{k:<16}"), theme.normal),
            Span::styled(v, style),
        ])
    };
    match (&m.status, &m.status_error) {
        (_, Some(e)) => lines.push(Line::from(Span::styled(printable(e), theme.error))),
        (None, None) => lines.push(Line::from(Span::styled(
            "Select a patient in the lookup.",
            theme.dim,
        ))),
        (Some(v), None) => {
            let p = &v.patient;
            lines.push(kv(
                "Patient",
                format!("{} ({})", printable(&p.display_name()), p.account_number),
                theme.title,
            ));
            lines.push(kv("Born", p.date_of_birth.to_string(), theme.normal));
            let email = p
                .email
                .as_ref()
                .map(|e| e.to_string())
                .unwrap_or_else(|| "(none on file)".into());
            match &v.account {
                Some(acc) => {
                    // Grayed out when an account exists, as in the original product.
                    lines.push(kv(
                        "E-correspondent",
                        format!("{email} (has account)"),
                        theme.dim,
                    ));
                    let style = match acc.status {
                        AccountStatus::Active if !acc.reset_required => theme.ok,
                        AccountStatus::Active => theme.warn,
                        _ => theme.error,
                    };
                    lines.push(kv("Portal account", acc.email.to_string(), theme.normal));
                    lines.push(kv("Status", present::account_status(acc), style));
                    lines.push(kv(
                        "Reset required",
                        if acc.reset_required {
                            "yes".into()
                        } else {
                            "no".into()
                        },
                        theme.normal,
                    ));
                    if let Some(t) = acc.temp_expires_at {
                        let note = if acc.temp_expired { " (EXPIRED)" } else { "" };
                        lines.push(kv(
                            "Temp. expires",
                            format!("{}{note}", format_time(t)),
                            if acc.temp_expired {
                                theme.error
                            } else {
                                theme.normal
                            },
                        ));
                    }
                    if let Some(t) = acc.locked_until {
                        lines.push(kv("Locked until", format_time(t), theme.error));
                    }
                    lines.push(kv(
                        "Last sign-in",
                        acc.last_sign_in
                            .map(format_time)
                            .unwrap_or_else(|| "never".into()),
                        theme.normal,
                    ));
                    lines.push(kv(
                        "Failed sign-ins",
                        acc.failed_count.to_string(),
                        theme.normal,
                    ));
                    if !v.siblings.is_empty() {
                        let names: Vec<String> = v
                            .siblings
                            .iter()
                            .map(|s| {
                                format!(
                                    "{} {} ({})",
                                    printable(&s.first_name),
                                    printable(&s.last_name),
                                    s.account_number
                                )
                            })
                            .collect();
                        lines.push(kv("Also on account", names.join(", "), theme.normal));
                    }
                }
                None => {
                    lines.push(kv("E-correspondent", email, theme.normal));
                    lines.push(kv("Status", present::NO_ACCOUNT.into(), theme.warn));
                }
            }
            lines.push(Line::default());
            let action = if !v.portal_set_up {
                Line::from(Span::styled(
                    "Create/Validate needs the portal e-correspondent: an administrator runs `portal-admin setup portal`.",
                    theme.error,
                ))
            } else if v.account.as_ref().is_some_and(|a| a.disabled) {
                Line::from(Span::styled(
                    "Disabled: an administrator must enable it first.",
                    theme.warn,
                ))
            } else {
                let what = if v.account.is_some() {
                    "reset the password"
                } else {
                    "create the portal account"
                };
                Line::from(vec![
                    Span::styled("c", theme.key),
                    Span::raw(format!(" Create/Validate: {what}")),
                ])
            };
            lines.push(action);
        }
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn draw_control(f: &mut Frame, app: &App, m: &Main, area: Rect, tabs: Option<Line<'static>>) {
    let theme = &app.theme;
    let focused = m.focus == Pane::ControlPanel;
    let Some([search, list, footer]) = list_pane(f, app, m, Pane::ControlPanel, tabs, area) else {
        return;
    };
    let Some(cp) = &m.control else { return };
    f.render_widget(
        Paragraph::new(search_line(
            theme,
            "Email:",
            cp.query(),
            cp.typing,
            "/ search users by email",
        )),
        search,
    );
    if focused && cp.typing {
        place_cursor(f, search, 7 + cp.input.visual_cursor() as u16, 0);
    }
    let wide = list.width >= 60;
    let rows = cp.rows.iter().map(|a| {
        let mut cells = vec![
            a.email.to_string(),
            a.status.label().to_owned(),
            if a.reset_required {
                "RESET".into()
            } else {
                "-".into()
            },
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
    let table = Table::new(rows, widths)
        .column_spacing(1)
        .row_highlight_style(if focused {
            theme.selected
        } else {
            theme.normal
        })
        .highlight_symbol("> ");
    let mut state =
        TableState::default().with_selected((!cp.rows.is_empty()).then_some(cp.selected));
    f.render_stateful_widget(table, list, &mut state);
    let text = match &cp.error {
        Some(e) => Span::styled(printable(e), theme.error),
        None if cp.rows.is_empty() => Span::styled("no portal user matches", theme.warn),
        None => Span::styled("p Password · u Unlock · d Disable/Enable", theme.hint),
    };
    f.render_widget(Paragraph::new(Line::from(text)), footer);
}

/// A rectangle of at most `w` x `h`, centred and clamped inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn modal_box(
    f: &mut Frame,
    theme: &Theme,
    area: Rect,
    title: &str,
    lines: Vec<Line>,
    width: u16,
) -> Rect {
    let inner_w = width.min(area.width).saturating_sub(2).max(1);
    let wrapped: u16 = lines
        .iter()
        .map(|l| (l.width() as u16).div_ceil(inner_w).max(1))
        .sum();
    let rect = centered(area, width, wrapped + 2);
    f.render_widget(Clear, rect);
    let b = block(
        theme,
        Line::from(Span::styled(format!(" {title} "), theme.title)),
        true,
    );
    let inner = b.inner(rect);
    f.render_widget(b, rect);
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    inner
}

fn buttons<'a>(theme: &Theme, labels: &[(&str, bool)]) -> Line<'a> {
    let mut spans = Vec::new();
    for (label, focused) in labels {
        let text = if *focused {
            format!(">[ {label} ]<")
        } else {
            format!(" [ {label} ] ")
        };
        spans.push(Span::styled(
            text,
            if *focused {
                theme.button_focus
            } else {
                theme.button
            },
        ));
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

fn draw_confirm(f: &mut Frame, theme: &Theme, c: &Confirm, area: Rect) {
    let mut lines: Vec<Line> = c.lines.iter().map(|l| Line::from(printable(l))).collect();
    lines.push(Line::default());
    lines.push(buttons(
        theme,
        &[("No", !c.focus_yes), (c.yes, c.focus_yes)],
    ));
    lines.push(Line::from(Span::styled(
        "y yes · n/Esc no · Enter the focused button",
        theme.hint,
    )));
    modal_box(f, theme, area, &c.title, lines, 72);
}

fn draw_temp_login(f: &mut Frame, theme: &Theme, t: &TempLoginModal, area: Rect) {
    let l = &t.login;
    let kv = |k: &str, v: String, style: Style| {
        Line::from(vec![Span::raw(format!("{k:<20}")), Span::styled(v, style)])
    };
    let mut lines = vec![
        kv("Patient", printable(&t.patient), theme.normal),
        kv("Username", l.username.to_string(), theme.secret),
        kv(
            "Temporary password",
            l.password.expose().to_owned(),
            theme.secret,
        ),
        kv("Expires", format_time(l.expires_at), theme.normal),
        kv("Sign in at", printable(&l.sign_in_url), theme.normal),
        Line::default(),
        Line::from("No email was sent: read this login to the account holder."),
        Line::from("They must choose a new password at their first sign-in."),
        Line::from("Once closed, this temporary password is never shown again."),
        Line::default(),
    ];
    let copy = if t.copied { "copied" } else { "copy" };
    lines.push(Line::from(vec![
        Span::styled("c", theme.key),
        Span::raw(format!(" {copy} · ")),
        Span::styled("d", theme.key),
        Span::raw("/"),
        Span::styled("Enter", theme.key),
        Span::raw(" done"),
    ]));
    modal_box(f, theme, area, "Temporary login", lines, 66);
}

fn draw_set_password(f: &mut Frame, theme: &Theme, form: &SetPasswordForm, area: Rect) {
    let field = |label: &str, value: String, focus: FormFocus| {
        let focused = form.focus == focus;
        let mut line = vec![
            Span::styled(
                format!("{}{label:<14}", if focused { "> " } else { "  " }),
                if focused { theme.key } else { theme.normal },
            ),
            Span::styled(format!("{value} "), theme.input),
        ];
        if let Some((at, msg)) = &form.error
            && *at == focus
        {
            line.push(Span::raw(" "));
            line.push(Span::styled(printable(msg), theme.error));
        }
        Line::from(line)
    };
    let check = if form.reset_required { "[x]" } else { "[ ]" };
    let box_focused = form.focus == FormFocus::Checkbox;
    let lines = vec![
        Line::from(format!("User: {}", form.email)),
        Line::default(),
        field("New password", form.new.masked(), FormFocus::New),
        field("Confirm", form.confirm.masked(), FormFocus::Confirm),
        Line::default(),
        Line::from(Span::styled(
            format!(
                "{}{check} Password Reset Required",
                if box_focused { "> " } else { "  " }
            ),
            if box_focused {
                theme.button_focus
            } else {
                theme.normal
            },
        )),
        Line::default(),
        buttons(
            theme,
            &[
                ("Save", form.focus == FormFocus::Save),
                ("Cancel", form.focus == FormFocus::Cancel),
            ],
        ),
    ];
    let inner = modal_box(f, theme, area, "Set password", lines, 72);
    let (chars, row) = match form.focus {
        FormFocus::New => (form.new.cursor(), 2),
        FormFocus::Confirm => (form.confirm.cursor(), 3),
        _ => return,
    };
    place_cursor(f, inner, 16 + chars as u16, row);
}

fn draw_help(f: &mut Frame, app: &App, context: Context, scroll: u16, area: Rect) {
    let theme = &app.theme;
    let mut lines = vec![Line::from(Span::styled(
        if context.typing() {
            "Typing mode: printable keys are typed into the field."
        } else {
            "Navigation mode: single letters are commands."
        },
        theme.hint,
    ))];
    let mut last = None;
    for b in visible_bindings(app, context) {
        if last != Some(b.context) {
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(b.context.title(), theme.title)));
            last = Some(b.context);
        }
        let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<18}", keys.join(" ")), theme.key),
            Span::raw(b.description),
        ]));
    }
    let rect = centered(area, 76, area.height.saturating_sub(2));
    f.render_widget(Clear, rect);
    let b = block(
        theme,
        Line::from(Span::styled(" Help — Esc closes ", theme.title)),
        true,
    );
    let inner = b.inner(rect);
    f.render_widget(b, rect);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        inner,
    );
}
