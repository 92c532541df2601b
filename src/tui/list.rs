//! A searchable, paged results list (patient lookup, Control Panel users).
//! Pages are fetched from the services with a cursor; only one page is held.

use crossterm::event::Event;
use tui_input::Input;

use super::fields::{handle_text, paste_text};
use super::keys::Action;
use crate::error::Result;
use crate::store::Page;

/// Fetches one page for a query after a cursor.
pub type Fetch<'a, T> = &'a dyn Fn(&str, Option<&str>) -> Result<Page<T>>;

pub struct ListPane<T> {
    /// The search box: every printable key goes here.
    pub input: Input,
    pub rows: Vec<T>,
    pub selected: usize,
    /// Index of the page shown (0 = first).
    pub page: usize,
    /// The cursor each loaded page started after (`None` for the first).
    starts: Vec<Option<String>>,
    pub next: Option<String>,
    /// The page shown is a search that stopped early ([`Page::stopped_early`]):
    /// say "keep typing"; moving past its end goes on searching.
    pub stopped_early: bool,
    pub error: Option<String>,
}

impl<T> Default for ListPane<T> {
    fn default() -> Self {
        ListPane {
            input: Input::default(),
            rows: Vec::new(),
            selected: 0,
            page: 0,
            starts: vec![None],
            next: None,
            stopped_early: false,
            error: None,
        }
    }
}

impl<T> ListPane<T> {
    pub fn query(&self) -> &str {
        self.input.value()
    }

    pub fn selected_row(&self) -> Option<&T> {
        self.rows.get(self.selected)
    }

    fn load(&mut self, fetch: Fetch<'_, T>, page: usize) -> bool {
        let after = self.starts.get(page).cloned().flatten();
        match fetch(self.input.value(), after.as_deref()) {
            Ok(p) => {
                self.rows = p.items;
                self.next = p.next;
                self.stopped_early = p.stopped_early;
                self.page = page;
                self.starts.truncate(page + 1);
                if let Some(n) = &self.next {
                    self.starts.push(Some(n.clone()));
                }
                self.error = None;
                true
            }
            Err(e) => {
                self.error = Some(e.to_string());
                false
            }
        }
    }

    /// Runs the query from the first page (after typing, or a reload).
    pub fn search(&mut self, fetch: Fetch<'_, T>) {
        self.starts = vec![None];
        self.selected = 0;
        if !self.load(fetch, 0) {
            // A refused search shows no rows: nothing of the search before
            // it stays on screen to be acted on (F2) under the refusal.
            self.rows.clear();
            self.next = None;
            self.stopped_early = false;
            self.page = 0;
        }
    }

    /// Reloads the page shown, keeping the selection where it can.
    /// Reloads the page shown, keeping the selection on the same item
    /// (`key` tells items apart), never merely on the same row: rows move
    /// when others are added. Returns false when the selected item is no
    /// longer on the page (the selection then goes to the first row).
    pub fn reload<K: PartialEq>(&mut self, fetch: Fetch<'_, T>, key: impl Fn(&T) -> K) -> bool {
        let before = self.selected_row().map(&key);
        let page = self.page;
        if !self.load(fetch, page) {
            return true;
        }
        match before {
            None => {
                self.selected = 0;
                true
            }
            Some(k) => match self.rows.iter().position(|r| key(r) == k) {
                Some(i) => {
                    self.selected = i;
                    true
                }
                None => {
                    self.selected = 0;
                    false
                }
            },
        }
    }

    pub fn has_prev_page(&self) -> bool {
        self.page > 0
    }

    /// Where the selection is, for the line under a list: `page 2 · 3 of
    /// 50 · more: PgDn · earlier: PgUp`.
    pub fn position(&self) -> String {
        let more = if self.next.is_some() {
            " · more: PgDn"
        } else {
            ""
        };
        let earlier = if self.has_prev_page() {
            " · earlier: PgUp"
        } else {
            ""
        };
        format!(
            "page {} · {} of {}{more}{earlier}",
            self.page + 1,
            self.selected + 1,
            self.rows.len()
        )
    }

    /// Moves the selection by `delta` rows. A move past the end of the
    /// page stops at its last row (its first, going up) and only a move
    /// from there crosses into the next (previous) page, so that PgDn shows
    /// every row of a page before the next one. Returns true when the
    /// selection changed.
    pub fn step(&mut self, delta: isize, fetch: Fetch<'_, T>) -> bool {
        let before = (self.page, self.selected);
        let target = self.selected as isize + delta;
        let last = self.rows.len().saturating_sub(1);
        if target < 0 {
            if self.selected == 0 && self.page > 0 && self.load(fetch, self.page - 1) {
                self.selected = self.rows.len().saturating_sub(1);
            } else {
                self.selected = 0;
            }
        } else if target as usize > last {
            if self.selected == last && self.next.is_some() && self.load(fetch, self.page + 1) {
                self.selected = 0;
            } else {
                self.selected = last;
            }
        } else {
            self.selected = target as usize;
        }
        before != (self.page, self.selected)
    }

    /// Carries out a list action: moving (`page_rows` rows for a page) or
    /// emptying the search box. `None` when the action is not a list's.
    pub fn act(&mut self, action: Action, fetch: Fetch<'_, T>, page_rows: usize) -> Option<()> {
        let page = page_rows.max(1) as isize;
        match action {
            Action::Up => self.step(-1, fetch),
            Action::Down => self.step(1, fetch),
            Action::PageUp => self.step(-page, fetch),
            Action::PageDown => self.step(page, fetch),
            Action::ClearSearch => {
                if !self.query().is_empty() {
                    self.input.reset();
                    self.search(fetch);
                }
                true
            }
            _ => return None,
        };
        Some(())
    }

    /// A key typed into the search box: edits it and searches as you type.
    pub fn type_key(&mut self, event: &Event, fetch: Fetch<'_, T>) {
        let before = self.query().to_owned();
        handle_text(&mut self.input, event);
        if self.query() != before {
            self.search(fetch);
        }
    }

    /// Text pasted into the search box (control characters already dropped).
    pub fn paste(&mut self, text: &str, fetch: Fetch<'_, T>) {
        let before = self.query().to_owned();
        paste_text(&mut self.input, text);
        if self.query() != before {
            self.search(fetch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(n: u32, size: usize) -> impl Fn(&str, Option<&str>) -> Result<Page<u32>> {
        move |_q, after| {
            let start: u32 = after.map_or(0, |a| a.parse::<u32>().unwrap() + 1);
            let items: Vec<u32> = (start..n).take(size).collect();
            let next = (start + (size as u32) < n).then(|| items.last().unwrap().to_string());
            Ok(Page::new(items, next))
        }
    }

    #[test]
    fn steps_across_pages_both_ways() {
        let f = numbers(25, 10);
        let mut l = ListPane::default();
        l.search(&f);
        assert_eq!(l.rows.len(), 10);
        assert!(l.step(9, &f));
        assert_eq!(l.selected_row(), Some(&9));
        assert!(l.step(1, &f));
        assert_eq!((l.page, l.selected_row()), (1, Some(&10)));
        assert!(l.step(15, &f));
        assert_eq!(
            (l.page, l.selected_row()),
            (1, Some(&19)),
            "a page's last row before the next page"
        );
        assert!(l.step(15, &f));
        assert_eq!((l.page, l.selected_row()), (2, Some(&20)));
        assert!(l.step(4, &f));
        assert_eq!(l.selected_row(), Some(&24));
        assert!(!l.step(1, &f), "the end stays the end");
        assert!(l.step(-5, &f));
        assert_eq!((l.page, l.selected_row()), (2, Some(&20)));
        assert!(l.step(-1, &f));
        assert_eq!((l.page, l.selected_row()), (1, Some(&19)));
        assert!(l.step(-100, &f));
        assert_eq!((l.page, l.selected_row()), (1, Some(&10)));
        assert!(l.step(-100, &f));
        assert_eq!(
            (l.page, l.selected_row()),
            (0, Some(&9)),
            "one page at a time"
        );
    }

    /// F1 (fresh eyes, 2026-11-29): with pages of 50 rows and 15 on screen,
    /// PgDn went 1 → 16 → 31 → 46 and then to the next page: rows 47 to 50
    /// of every page were never shown.
    #[test]
    fn page_down_shows_every_row_of_a_page_before_the_next_page() {
        let f = numbers(120, 50);
        let mut l = ListPane::default();
        l.search(&f);
        let mut shown = vec![*l.selected_row().unwrap()];
        while l.step(15, &f) {
            shown.push(*l.selected_row().unwrap());
        }
        assert_eq!(
            shown,
            [0, 15, 30, 45, 49, 50, 65, 80, 95, 99, 100, 115, 119],
            "PgDn stops at each page's last row"
        );
        // Every row was on a screen of 15 rows of its page ending at the
        // selection (at least).
        let seen: std::collections::BTreeSet<u32> = shown
            .iter()
            .flat_map(|&s| s.saturating_sub(14).max(s / 50 * 50)..=s)
            .collect();
        assert_eq!(seen.len(), 120);
        // And back up: each page's first row before the previous page.
        let mut up = Vec::new();
        while l.step(-15, &f) {
            up.push(*l.selected_row().unwrap());
        }
        assert_eq!(up, [104, 100, 99, 84, 69, 54, 50, 49, 34, 19, 4, 0]);
    }
}
