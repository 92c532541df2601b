//! The key map, as data: one table of bindings, each with its context and a
//! description. Dispatch, the `?` help overlay, the hint line and
//! `docs/keys.md` are all made from this table, so they cannot disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn ch(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::NONE,
        }
    }
    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }
    pub const fn code(code: KeyCode) -> Key {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    /// The key of an event, normalised: Shift is dropped from characters
    /// (`G` is `G`, `?` is `?`) and from Back-Tab, whatever the terminal sends.
    pub fn from_event(ev: &KeyEvent) -> Key {
        let mut mods =
            ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        if matches!(ev.code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Key {
            code: ev.code,
            mods,
        }
    }

    /// A printable character typed without Ctrl or Alt.
    pub fn text(&self) -> Option<char> {
        match self.code {
            KeyCode::Char(c)
                if !self
                    .mods
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                Some(c)
            }
            _ => None,
        }
    }

    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "Up".into(),
            KeyCode::Down => "Down".into(),
            KeyCode::Left => "Left".into(),
            KeyCode::Right => "Right".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Backspace => "Backspace".into(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }
}

/// Where the keyboard is. Each context also takes the bindings of its
/// parents; a key may be bound only once along that chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// Everywhere.
    Always,
    /// The main screen, whichever pane has the keyboard.
    Main,
    /// The patient lookup and the Control Panel's users: a search box
    /// above a list. Printable keys are always typed into the search.
    List,
    /// The patient lookup.
    Lookup,
    /// The portal-account pane: printable keys go to the lookup's search.
    Status,
    /// The Control Panel's users (administrators).
    ControlPanel,
    /// The Control Panel's operators of this app (administrators).
    Operators,
    /// The operator sign-in form.
    SignIn,
    /// A confirmation: buttons, the safe one focused first.
    Confirm,
    /// A list to choose from in a confirmation: whose login to reset, how
    /// the caller's identity was checked.
    ChoiceList,
    /// A portal user's details in the Control Panel, with its actions.
    UserDetails,
    /// The temporary-login popup.
    TempLogin,
    /// A text field of a form (set password, add a guardian, remove a
    /// guardian, change a login email).
    FormField,
    /// A choice on one line of a form (a guardian's relationship, access;
    /// the patient a guardian is removed from).
    FormChoice,
    /// The checkbox of the set-password form.
    FormCheckbox,
    /// The buttons of the set-password form.
    FormButtons,
    /// The help overlay.
    Help,
    /// The terminal is too small.
    TooSmall,
}

impl Context {
    pub fn parents(self) -> &'static [Context] {
        use Context::*;
        match self {
            Always => &[],
            Main => &[Always],
            List => &[],
            Lookup | ControlPanel | Operators => &[List, Main, Always],
            Status => &[Main, Always],
            SignIn | Confirm | UserDetails | TempLogin | Help => &[Always],
            ChoiceList => &[Confirm, Always],
            FormField | FormButtons => &[Always],
            FormChoice => &[FormField, Always],
            FormCheckbox => &[FormButtons, Always],
            TooSmall => &[Always],
        }
    }

    /// Printable keys that no binding takes are text here. On the main
    /// screen that is always so: a name typed anywhere goes to a search box.
    pub fn typing(self) -> bool {
        matches!(
            self,
            Context::Lookup
                | Context::Status
                | Context::ControlPanel
                | Context::Operators
                | Context::SignIn
                | Context::FormField
        )
    }

    pub fn title(self) -> &'static str {
        use Context::*;
        match self {
            Always => "Everywhere",
            Main => "Main screen (type to search)",
            List => "Lists",
            Lookup => "Patient lookup",
            Status => "Portal account",
            ControlPanel => "Control Panel — Users (administrators)",
            Operators => "Control Panel — Operators (administrators)",
            SignIn => "Operator sign-in",
            Confirm => "Confirmation",
            ChoiceList => "A list in a confirmation — whose login, how the caller was checked",
            UserDetails => "Control Panel — a user's or an operator's details (administrators)",
            TempLogin => "Temporary login",
            FormField => {
                "Forms — text fields (set password, add or remove a guardian, login email)"
            }
            FormChoice => "Forms — a choice on one line (relationship, access, patient)",
            FormCheckbox => "Set password — the Password Reset Required box",
            FormButtons => "Forms — buttons",
            Help => "Help",
            TooSmall => "Terminal too small",
        }
    }

    /// Every context, in the order the documentation lists them.
    pub const ALL: [Context; 18] = [
        Context::Always,
        Context::Main,
        Context::List,
        Context::Lookup,
        Context::Status,
        Context::ControlPanel,
        Context::Operators,
        Context::SignIn,
        Context::Confirm,
        Context::ChoiceList,
        Context::UserDetails,
        Context::TempLogin,
        Context::FormField,
        Context::FormChoice,
        Context::FormCheckbox,
        Context::FormButtons,
        Context::Help,
        Context::TooSmall,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Quit (asks first when work runs or a temporary login is on screen).
    Quit,
    Redraw,
    Help,
    SignOut,
    NextPane,
    PrevPane,
    /// Esc on the main screen: back to the lookup. Never moves a selection.
    Back,
    Reload,
    Up,
    Down,
    PageUp,
    PageDown,
    /// Home in help: the first line.
    Top,
    /// End in help: the last line.
    Bottom,
    /// Ctrl-U: empty the search box, for a new search.
    ClearSearch,
    /// Enter on a row: the patient's account pane, or a user's details.
    Open,
    CreateValidate,
    /// F3: add a guardian to the selected patient.
    AddGuardian,
    NextField,
    PrevField,
    Submit,
    Cancel,
    /// Enter on a button, a checkbox or a list item.
    Activate,
    /// Space on a checkbox.
    Toggle,
    /// Left / Right on a one-line choice.
    PrevChoice,
    NextChoice,
    CloseHelp,
}

pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub action: Action,
    pub description: &'static str,
    /// Shown on the bottom hint line.
    pub hint: bool,
}

pub(crate) const fn b(
    context: Context,
    keys: &'static [Key],
    action: Action,
    description: &'static str,
    hint: bool,
) -> Binding {
    Binding {
        context,
        keys,
        action,
        description,
        hint,
    }
}

mod map;
pub use map::KEYMAP;

/// Keys that are tails of escape sequences split over a slow link
/// (`ESC [ A` arrives as Esc, `[`, `A`): never bound to anything.
pub const SPLIT_SEQUENCE_TAILS: &[char] = &['[', 'O', 'A', 'B', 'C', 'D', '~'];

/// Ctrl keys that edit text in a field (tui-input's readline keys): never
/// bound where the keyboard types. (Ctrl-U is bound, to the same effect:
/// it empties a search box.)
pub const EDITING_CTRL: &[char] = &['a', 'b', 'e', 'f', 'h', 'k', 'w', 'y'];

/// The context and its parents, nearest first.
pub fn chain(context: Context) -> impl Iterator<Item = Context> {
    std::iter::once(context).chain(context.parents().iter().copied())
}

/// The action `key` triggers in `context`, if any.
pub fn lookup(context: Context, key: Key) -> Option<Action> {
    chain(context).find_map(|c| {
        KEYMAP
            .iter()
            .find(|b| b.context == c && b.keys.contains(&key))
            .map(|b| b.action)
    })
}

/// Bindings that apply in `context`, nearest context first.
pub fn bindings(context: Context) -> Vec<&'static Binding> {
    chain(context)
        .flat_map(|c| KEYMAP.iter().filter(move |b| b.context == c))
        .collect()
}

/// The bindings of a context as this operator may use them (staff never
/// see administrators' keys): what the hint line and help show.
pub fn visible_bindings(context: Context, admin: bool) -> Vec<&'static Binding> {
    bindings(context)
        .into_iter()
        .filter(|b| admin || !matches!(b.context, Context::ControlPanel | Context::UserDetails))
        .collect()
}

/// The first words of a description, for the hint line.
pub fn short(d: &str) -> &str {
    d.split([':', '(', ',']).next().unwrap_or(d).trim()
}

/// Checked at start-up and in tests: no key twice along a context chain,
/// no binding on a split-escape-sequence tail, no Alt chords, nothing only
/// on an F-key.
pub fn check(map: &[Binding]) -> Result<(), String> {
    for context in Context::ALL {
        let mut seen: Vec<(Key, Context)> = Vec::new();
        for c in chain(context) {
            for b in map.iter().filter(|b| b.context == c) {
                for k in b.keys {
                    if let Some((_, other)) = seen.iter().find(|(s, _)| s == k) {
                        return Err(format!(
                            "key {} is bound twice for {:?} (in {:?} and {:?})",
                            k.label(),
                            context,
                            other,
                            c
                        ));
                    }
                    seen.push((*k, c));
                }
            }
        }
    }
    for context in Context::ALL.into_iter().filter(|c| c.typing()) {
        for c in chain(context) {
            for b in map.iter().filter(|b| b.context == c) {
                if let Some(k) = b.keys.iter().find(|k| {
                    k.mods == KeyModifiers::CONTROL
                        && matches!(k.code, KeyCode::Char(c) if EDITING_CTRL.contains(&c))
                }) {
                    return Err(format!(
                        "{:?} takes {}, which edits text in {:?}",
                        b.action,
                        k.label(),
                        context
                    ));
                }
            }
        }
    }
    for b in map {
        // The front desk's rule: a key a name can contain never acts.
        if let Some(k) = b.keys.iter().find(|k| k.text().is_some()) {
            let space_toggle = k.code == KeyCode::Char(' ') && b.action == Action::Toggle;
            if !space_toggle {
                return Err(format!(
                    "{:?} is on {}, a key that typing a name produces",
                    b.action,
                    k.label()
                ));
            }
        }
        if b.keys.iter().any(|k| k.mods.contains(KeyModifiers::ALT)) {
            return Err(format!("{:?} uses an Alt chord", b.action));
        }
        if b.keys
            .iter()
            .any(|k| matches!(k.code, KeyCode::Char(c) if SPLIT_SEQUENCE_TAILS.contains(&c)))
        {
            return Err(format!("{:?} is on a split-escape-sequence tail", b.action));
        }
        let f_only = |b: &Binding| b.keys.iter().all(|k| matches!(k.code, KeyCode::F(_)));
        if f_only(b) && map.iter().filter(|o| o.action == b.action).all(f_only) {
            return Err(format!("{:?} is only on an F-key", b.action));
        }
    }
    Ok(())
}

/// `docs/keys.md`, made from the table.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Keys\n\nGenerated from the key map in `src/tui/keys/map.rs` (a test keeps this file in step).\n\
         Each context also takes the keys of the contexts listed after it.\n\
         In typing mode, printable keys that no binding takes are typed into the field.\n",
    );
    for context in Context::ALL {
        let own: Vec<&Binding> = KEYMAP.iter().filter(|b| b.context == context).collect();
        if own.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {}\n\n", context.title()));
        if !context.parents().is_empty() {
            let parents: Vec<&str> = context.parents().iter().map(|c| c.title()).collect();
            out.push_str(&format!("Also: {}.\n\n", parents.join("; ")));
        }
        out.push_str("| keys | action |\n|---|---|\n");
        for b in own {
            let keys: Vec<String> = b.keys.iter().map(|k| format!("`{}`", k.label())).collect();
            out.push_str(&format!("| {} | {} |\n", keys.join(" "), b.description));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action as A;
    use Context as C;
    use KeyCode as K;

    #[test]
    fn the_default_map_has_no_conflicts() {
        check(KEYMAP).unwrap();
    }

    #[test]
    fn a_conflict_is_found() {
        const X: &[Key] = &[Key::ctrl('x')];
        let bad = [
            b(C::Main, X, A::Quit, "a", false),
            b(C::Lookup, X, A::CreateValidate, "b", false),
        ];
        assert!(check(&bad).unwrap_err().contains("bound twice"));
        const Y: &[Key] = &[Key::ch('y')];
        const CTRL_W: &[Key] = &[Key::ctrl('w')];
        const F7: &[Key] = &[Key::code(K::F(7))];
        let letter = [b(C::Confirm, Y, A::Activate, "yes", false)];
        assert!(
            check(&letter)
                .unwrap_err()
                .contains("typing a name produces"),
            "a letter never confirms"
        );
        let editing = [b(C::Main, CTRL_W, A::Reload, "a", false)];
        assert!(check(&editing).unwrap_err().contains("edits text"));
        let f_only = [b(C::Main, F7, A::Reload, "a", false)];
        assert!(check(&f_only).unwrap_err().contains("only on an F-key"));
    }

    #[test]
    fn lookups_follow_the_chain() {
        assert_eq!(
            lookup(C::Lookup, Key::code(K::F(2))),
            Some(A::CreateValidate)
        );
        assert_eq!(lookup(C::Lookup, Key::ctrl('c')), Some(A::Quit));
        assert_eq!(lookup(C::Lookup, Key::code(K::Enter)), Some(A::Open));
        for c in ['q', 'c', 'y', 'd', 'p', 'u', '/', '?', '1', ' '] {
            assert_eq!(
                lookup(C::Lookup, Key::ch(c)),
                None,
                "on the main screen {c} is text"
            );
            assert_eq!(lookup(C::Status, Key::ch(c)), None, "{c} is text");
            assert_eq!(lookup(C::Confirm, Key::ch(c)), None, "{c} never answers");
            assert_eq!(lookup(C::TempLogin, Key::ch(c)), None, "{c} never closes");
        }
        assert_eq!(
            lookup(C::TempLogin, Key::code(K::Esc)),
            None,
            "Esc never closes the temporary login"
        );
        assert_eq!(lookup(C::Confirm, Key::code(K::Esc)), Some(A::Cancel));
        assert_eq!(lookup(C::ChoiceList, Key::code(K::Esc)), Some(A::Cancel));
        assert_eq!(lookup(C::FormChoice, Key::code(K::Esc)), Some(A::Cancel));
        assert_eq!(lookup(C::Lookup, Key::code(K::F(3))), Some(A::AddGuardian));
        assert_eq!(lookup(C::Status, Key::ctrl('n')), Some(A::AddGuardian));
        for c in ['q', 'c', 'y', 'd', 'r', 'x', ' '] {
            assert_eq!(lookup(C::ChoiceList, Key::ch(c)), None, "{c} never picks");
            assert_eq!(lookup(C::FormChoice, Key::ch(c)), None, "{c} never chooses");
        }
        assert_eq!(lookup(C::TooSmall, Key::ctrl('c')), Some(A::Quit));
    }

    #[test]
    fn shifted_characters_are_normalised() {
        let ev = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&ev), Key::ch('G'));
        let ev = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&ev), Key::code(K::BackTab));
    }
}
