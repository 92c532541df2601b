//! Sizes and places: which layout a terminal size gets, how many list rows
//! fit, where a popup goes. Pure arithmetic, shared by routing and drawing.

use ratatui::layout::Rect;

/// Smallest terminal the app draws in.
pub const MIN_SIZE: (u16, u16) = (40, 12);

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

pub fn too_small(size: (u16, u16)) -> bool {
    size.0 < MIN_SIZE.0 || size.1 < MIN_SIZE.1
}

/// Rows of results the lookup list shows at this size (what PgUp/PgDn move).
pub fn list_rows(size: (u16, u16)) -> u16 {
    // title, status and hint lines; the pane's borders; the search line,
    // the column header and two footer lines.
    size.1.saturating_sub(9)
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
