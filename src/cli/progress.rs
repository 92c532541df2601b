//! A progress bar on the terminal for long imports and demo seeding.

use crate::services::ImportProgress;

pub struct Bar(Option<indicatif::ProgressBar>);

impl Bar {
    pub fn new(show: bool) -> Bar {
        Bar(show.then(|| {
            let b = indicatif::ProgressBar::new(0);
            b.set_style(
                indicatif::ProgressStyle::with_template("{msg:10} [{bar:40}] {percent:>3}% {eta}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            b
        }))
    }

    pub fn set(&self, msg: &'static str, done: u64, total: u64) {
        if let Some(b) = &self.0 {
            b.set_message(msg);
            b.set_length(total);
            b.set_position(done);
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

impl ImportProgress for Bar {
    fn reading(&mut self, done: u64, total: u64) {
        self.set("checking", done, total);
    }
    fn writing(&mut self, done: u64, total: u64) {
        self.set("writing", done, total);
    }
}
