//! Documentation that is generated from the code stays in step with it.

#[test]
fn keys_md_is_the_key_map() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/keys.md");
    let generated = portal_admin::tui::keys::markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/keys.md differs from the key map; run `UPDATE_DOCS=1 cargo test --test docs` and commit it"
    );
}

#[test]
fn every_documented_exit_code_is_one_the_cli_uses() {
    let cli = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cli.md")).unwrap();
    for code in 0..=10 {
        assert!(
            cli.contains(&format!("| {code} |")),
            "docs/cli.md lists exit code {code}"
        );
    }
}

/// Every screen capture in the guides is a committed snapshot of the app,
/// so the guides cannot show a screen the app no longer draws.
#[test]
fn guide_screen_captures_are_snapshots_of_the_app() {
    let root = env!("CARGO_MANIFEST_DIR");
    let snapshots: Vec<String> = std::fs::read_dir(format!("{root}/tests/snapshots"))
        .unwrap()
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.unwrap().path()).ok()?;
            let body = text.splitn(3, "---\n").nth(2)?;
            Some(body.trim_end_matches('\n').to_owned())
        })
        .collect();
    let mut captures = 0;
    for guide in ["docs/user-guide.md", "docs/admin-guide.md"] {
        let text = std::fs::read_to_string(format!("{root}/{guide}")).unwrap();
        for block in fenced_blocks(&text) {
            let block = block.as_str();
            if !(block.starts_with(" portal-admin ·") || block.starts_with('┌')) {
                continue;
            }
            captures += 1;
            assert!(
                snapshots.iter().any(|s| s == block),
                "{guide} shows a screen that is not a snapshot of the app:\n{block}"
            );
        }
    }
    assert!(
        captures >= 8,
        "the guides show the app ({captures} captures)"
    );
}

/// The contents of the fenced code blocks of a Markdown text.
fn fenced_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in text.lines() {
        if line.starts_with("```") {
            match current.take() {
                Some(lines) => blocks.push(lines.join("\n")),
                None => current = Some(Vec::new()),
            }
        } else if let Some(lines) = &mut current {
            lines.push(line);
        }
    }
    blocks
}
