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
