//! The top-level modules of `src` use each other without a cycle: a module uses only those
//! below it. Read from the source: every `crate::X` path outside tests is an edge.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module with the top-level modules its non-test code names.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap();
            let top = rel.iter().next().unwrap().to_str().unwrap();
            let top = top.trim_end_matches(".rs").to_string();
            let name = path.file_name().unwrap().to_str().unwrap();
            if !name.ends_with(".rs") || name == "tests.rs" || top == "main" || top == "lib" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
            let code: String = code
                .lines()
                .map(|l| l.split("//").next().unwrap())
                .collect::<Vec<_>>()
                .join("\n");
            let edges = graph.entry(top.clone()).or_default();
            for (i, _) in code.match_indices("crate::") {
                for n in first_names(&code[i + "crate::".len()..]) {
                    if n != top {
                        edges.insert(n);
                    }
                }
            }
        }
    }
    graph
}

/// The first name of a path (`model::Progress`), or of each path in a group
/// (`{model::{A, B}, store}`), which may span lines.
fn first_names(rest: &str) -> Vec<String> {
    let name = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let Some(group) = rest.strip_prefix('{') else {
        return vec![name(rest)];
    };
    let (mut names, mut depth, mut start) = (Vec::new(), 0, true);
    for (i, c) in group.char_indices() {
        if start && depth == 0 {
            names.push(name(&group[i..]));
        }
        start = false;
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => start = true,
            _ => {}
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

#[test]
fn top_level_modules_use_each_other_without_a_cycle() {
    let graph = graph();
    assert!(graph.contains_key("cli") && graph.contains_key("tui"));
    // Depth-first search: a module met again while it is still on the path closes a cycle.
    fn visit<'a>(
        m: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) {
        if let Some(at) = path.iter().position(|p| *p == m) {
            panic!("import cycle: {} -> {m}", path[at..].join(" -> "));
        }
        if !done.insert(m) {
            return;
        }
        path.push(m);
        for next in graph.get(m).into_iter().flatten() {
            visit(next, graph, path, done);
        }
        path.pop();
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        visit(m, &graph, &mut Vec::new(), &mut done);
    }
}

#[test]
fn i18n_is_a_leaf_that_knows_only_text() {
    let graph = graph();
    let used: Vec<&String> = graph["i18n"].iter().filter(|m| *m != "text").collect();
    assert!(used.is_empty(), "i18n uses {used:?}");
}
