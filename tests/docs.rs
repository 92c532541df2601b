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
/// named in a `<!-- snapshot: NAME -->` line above it, so the guides cannot
/// show a screen the app no longer draws. `UPDATE_DOCS=1` copies each
/// named snapshot in.
#[test]
fn guide_screen_captures_are_snapshots_of_the_app() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut captures = 0;
    for guide in ["docs/user-guide.md", "docs/admin-guide.md"] {
        let path = format!("{root}/{guide}");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut out: Vec<String> = Vec::new();
        let mut lines = text.lines().peekable();
        while let Some(line) = lines.next() {
            out.push(line.to_owned());
            let Some(name) = line
                .strip_prefix("<!-- snapshot: ")
                .and_then(|r| r.strip_suffix(" -->"))
            else {
                assert!(
                    !line.starts_with(" portal-admin ·"),
                    "{guide}: a screen capture without a snapshot name above it"
                );
                continue;
            };
            captures += 1;
            let snap =
                std::fs::read_to_string(format!("{root}/tests/snapshots/screens__{name}.snap"))
                    .unwrap_or_else(|_| panic!("{guide}: no snapshot {name}"));
            let snap = snap
                .splitn(3, "---\n")
                .nth(2)
                .unwrap()
                .trim_end_matches('\n');
            assert_eq!(
                lines.next(),
                Some("```"),
                "{guide}: a capture follows {name}"
            );
            let mut shown = Vec::new();
            for l in lines.by_ref() {
                if l == "```" {
                    break;
                }
                shown.push(l);
            }
            if std::env::var_os("UPDATE_DOCS").is_none() {
                assert_eq!(
                    shown.join("\n"),
                    snap,
                    "{guide} shows {name} as the app no longer draws it; run `UPDATE_DOCS=1 cargo test --test docs`"
                );
            }
            out.push("```".into());
            out.extend(snap.lines().map(str::to_owned));
            out.push("```".into());
        }
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(&path, out.join("\n") + "\n").unwrap();
        }
    }
    assert!(
        captures >= 8,
        "the guides show the app ({captures} captures)"
    );
}
