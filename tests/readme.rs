//! The README is the front door: its commands and key table must stay true.

use rectify::app::KeyMap;

const README: &str = include_str!("../README.md");

#[test]
fn the_first_lines_give_the_two_commands() {
    let head: String = README.lines().take(12).collect::<Vec<_>>().join("\n");
    assert!(head.contains("cargo run --release"), "{head}");
    assert!(head.contains("cargo test "), "{head}");
    let ci = include_str!("../.ci/run");
    assert!(
        ci.lines().any(|l| l.trim() == "cargo test"),
        "CI runs the README's test command"
    );
}

#[test]
fn the_key_table_names_every_default_key() {
    let keys = KeyMap::default();
    let table: Vec<&str> = README
        .lines()
        .skip_while(|l| *l != "## Keys")
        .take_while(|l| !l.starts_with("### "))
        .filter(|l| l.starts_with("| `"))
        .collect();
    for (action, _) in keys.bindings() {
        let label = format!("`{}`", keys.label(action));
        assert!(
            table.iter().any(|row| row.contains(&label)),
            "README's key table lacks {label} ({})",
            action.name()
        );
    }
    let actions_line: String = README
        .lines()
        .skip_while(|l| !l.starts_with("Actions:"))
        .take(3)
        .collect();
    for (action, _) in keys.bindings() {
        assert!(
            actions_line.contains(action.name()),
            "README lacks action {}",
            action.name()
        );
    }
}
