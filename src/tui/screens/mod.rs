//! The two screens under the popups: the operator sign-in, and the main
//! screen with its panes once someone is signed in.

mod main_screen;
mod sign_in;

pub use main_screen::{MainScreen, Pane};
pub use sign_in::SignIn;
