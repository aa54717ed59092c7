//! Two ways a submission can borrow the reference instead of solving:
//! an editable file that *is* the reference solution (compared with comments
//! and whitespace removed, so reformatting does not hide it), and an editable
//! file that pulls code from outside the editable paths (`#[path = …]`,
//! `include!`, `include_str!`, `include_bytes!`). Pure text functions.

use std::path::{Component, Path, PathBuf};

/// `source` with comments and all whitespace removed, inside string literals
/// too (re-indented SQL in a string is still the same answer), so two texts
/// that differ only in layout compare equal. Literals are tracked only so that
/// `//` inside one is not taken for a comment.
pub fn normalised(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push(c);
                let mut escaped = false;
                for c in chars.by_ref() {
                    if !c.is_whitespace() {
                        out.push(c);
                    }
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut depth = 1;
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '/' && c == '*' {
                        depth += 1;
                        last = ' ';
                        continue;
                    }
                    if last == '*' && c == '/' {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                        last = ' ';
                        continue;
                    }
                    last = c;
                }
            }
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether `submitted` is the reference `solution` although the solution
/// differs from the `starter` (a file the solution leaves as it was proves
/// nothing).
pub fn copies_solution(submitted: &str, solution: &str, starter: &str) -> bool {
    let solution = normalised(solution);
    solution != normalised(starter) && normalised(submitted) == solution
}

/// The places in the editable file `file` (relative to the exercise folder)
/// that read code from a path not in `editable`: each as the text found.
pub fn includes_outside(file: &Path, text: &str, editable: &[String]) -> Vec<String> {
    let folder = file.parent().unwrap_or(Path::new(""));
    let compact = normalised(text);
    let mut found = Vec::new();
    for marker in ["#[path=", "include!(", "include_str!(", "include_bytes!("] {
        let mut rest = compact.as_str();
        while let Some(at) = rest.find(marker) {
            let after = &rest[at + marker.len()..];
            let literal = after
                .strip_prefix('"')
                .and_then(|a| a.split_once('"'))
                .map(|(path, _)| path);
            let allowed = literal.is_some_and(|path| {
                // `#[path]` is relative to the file's folder for a `mod` in
                // `lib.rs`; include macros are relative to the file itself.
                resolve(folder, path).is_some_and(|p| {
                    let p = p.to_string_lossy().replace('\\', "/");
                    editable.contains(&p)
                })
            });
            if !allowed {
                let shown: String = after.chars().take(60).collect();
                found.push(format!("{marker}{shown}"));
            }
            rest = after;
        }
    }
    found
}

/// `folder/path` with `.` and `..` resolved, if it stays inside the exercise.
fn resolve(folder: &Path, path: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in folder.join(path).components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_and_comments_do_not_matter() {
        let a = "pub fn f() -> u32 {\n    // the answer\n    42 /* yes */\n}\n";
        let b = "pub fn f()->u32{42}";
        assert_eq!(normalised(a), normalised(b));
        assert_eq!(
            normalised("\"SELECT a\n    FROM t\""),
            normalised("\"SELECT a FROM t\"")
        );
        assert_eq!(normalised("\"// not a comment\" x"), "\"//notacomment\"x");
    }

    #[test]
    fn a_copy_of_the_solution_is_seen_and_an_untouched_file_is_not() {
        let starter = "pub fn f() -> u32 { todo!() }";
        let solution = "pub fn f() -> u32 { 42 }";
        assert!(copies_solution(
            "pub fn f()->u32{\n  42\n}",
            solution,
            starter
        ));
        assert!(!copies_solution(
            "pub fn f() -> u32 { 41 + 1 }",
            solution,
            starter
        ));
        // The solution did not change this file: matching it proves nothing.
        assert!(!copies_solution(starter, starter, starter));
    }

    #[test]
    fn includes_from_outside_the_editable_paths_are_found() {
        let editable = vec!["src/lib.rs".to_owned(), "src/query.sql".to_owned()];
        let file = Path::new("src/lib.rs");
        assert!(
            includes_outside(
                file,
                "const Q: &str = include_str!(\"query.sql\");",
                &editable
            )
            .is_empty()
        );
        let found = includes_outside(
            file,
            "#[path = \"../solution/src/lib.rs\"]\nmod answer;\npub use answer::*;",
            &editable,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(includes_outside(file, "include!(\"../tests/checks.rs\");", &editable).len() == 1);
        assert!(
            includes_outside(
                file,
                "include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/solution/src/lib.rs\"))",
                &editable
            )
            .len()
                == 1
        );
        assert!(includes_outside(file, "include_str!(\"/etc/passwd\")", &editable).len() == 1);
    }
}
