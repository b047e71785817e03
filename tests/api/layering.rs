//! The layering of `src/` holds: a module imports only from lower layers
//! (and a domain from another domain only through the few documented
//! functions listed here), so infrastructure never depends on a domain and
//! no two modules import each other in a loop.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Layer of each top-level module, from the ground up.
fn layer(module: &str) -> Option<u8> {
    Some(match module {
        "types" | "clock" | "calendar" | "logging" => 0,
        "config" => 1,
        "db" => 2,
        "web" | "mail" => 3,
        "content" | "help" | "cases" | "events" | "auth" | "audit" => 4,
        "demo" | "public" | "admin" | "jobs" => 5,
        "app" => 6,
        _ => return None,
    })
}

/// The documented functions one domain may call in another.
const CROSS_DOMAIN: &[(&str, &str)] = &[
    // The directory page's intro text is an editorial page.
    ("help", "crate::content::store::page"),
    // Case-type settings state the answer time the public pages show:
    // saving them marks the content as changed.
    ("cases", "crate::content::store::bump_content_version"),
    // A confirmed accessibility problem goes into the statement.
    ("cases", "crate::content::store"),
    ("cases", "crate::content::wcag"),
    // Every change a domain makes records its audit entry in the same
    // transaction: audit::{Entry, Action} and audit::store::record.
    ("auth", "crate::audit"),
    // Staff pages know who is signed in and draw the staff frame.
    ("audit", "crate::auth::Staff"),
    ("audit", "crate::auth::staff_layout"),
    // Case handling: who is signed in, the staff frame and CSRF token,
    // the handläggare of a type, and the audit entry of every change.
    ("cases", "crate::auth::Staff"),
    ("cases", "crate::auth::Role"),
    ("cases", "crate::auth::staff_layout"),
    ("cases", "crate::auth::session::csrf_token"),
    ("cases", "crate::auth::store::active_with_role"),
    ("cases", "crate::auth::store::active_name_with_role_tx"),
    ("cases", "crate::auth::store::name_tx"),
    ("cases", "crate::audit"),
    // Page editing: who is signed in, the staff frame and CSRF token, and
    // the audit entry of every draft and publish.
    ("content", "crate::auth::Staff"),
    ("content", "crate::auth::staff_layout"),
    ("content", "crate::auth::session::csrf_token"),
    ("content", "crate::audit"),
    // Help-directory editing: the same, and a publish or a verification
    // marks the content as changed so every instance shows it.
    ("help", "crate::auth::Staff"),
    ("help", "crate::auth::staff_layout"),
    ("help", "crate::auth::session::csrf_token"),
    ("help", "crate::audit"),
    ("help", "crate::content::store::bump_content_version"),
    // The campaign programme: the same staff seams and audit; its page's
    // text is the editorial page /en-manad-fri-fran-vald (with the month
    // note while no programme is published), and event texts are safe
    // Markdown.
    ("events", "crate::auth::Staff"),
    ("events", "crate::auth::staff_layout"),
    ("events", "crate::auth::session::csrf_token"),
    ("events", "crate::audit"),
    ("events", "crate::content::store::bump_content_version"),
    ("events", "crate::content::store::page_in"),
    ("events", "crate::content::store::campaign_month"),
    ("events", "crate::content::model::ShownPage"),
    ("events", "crate::content::markdown"),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `crate::…` path a file names, with grouped imports expanded:
/// `use crate::{a::b, c}` gives `crate::a::b` and `crate::c`.
fn crate_paths(text: &str) -> Vec<String> {
    let mut out = vec![];
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let part = part.trim();
                if !part.is_empty() {
                    out.push(format!("crate::{part}"));
                }
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(after.len());
            out.push(format!("crate::{}", &after[..end]));
        }
        rest = after;
    }
    out
}

/// The text without comment lines, so documentation may name any module.
fn code_only(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn modules_import_only_downwards() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    rust_files(&src, &mut files);
    let mut problems = BTreeSet::new();
    let mut checked = 0;
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let module = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        let Some(own) = layer(&module) else {
            continue; // lib.rs and main.rs stand above everything
        };
        checked += 1;
        let text = std::fs::read_to_string(&file).unwrap();
        for path in crate_paths(&code_only(&text)) {
            let target = path["crate::".len()..]
                .split("::")
                .next()
                .unwrap_or("")
                .to_owned();
            // Macros exported at the crate root belong to `db`.
            let target = match target.as_str() {
                "on_pool" | "on_tx" => "db".to_owned(),
                _ => target,
            };
            if target == module || target.is_empty() {
                continue;
            }
            let Some(theirs) = layer(&target) else {
                problems.insert(format!("{}: unknown module in {path}", relative.display()));
                continue;
            };
            let allowed = theirs < own
                || CROSS_DOMAIN
                    .iter()
                    .any(|(from, to)| *from == module && path.starts_with(to));
            if !allowed {
                problems.insert(format!(
                    "{} (layer {own}) uses {path} (layer {theirs})",
                    relative.display()
                ));
            }
        }
    }
    assert!(checked > 40, "only {checked} files were checked");
    assert!(
        problems.is_empty(),
        "imports against the layering:\n  {}",
        problems.into_iter().collect::<Vec<_>>().join("\n  ")
    );
}

#[test]
fn the_checker_sees_grouped_and_inline_paths() {
    let paths = crate_paths(&code_only(
        "//! Built in `crate::app`.\nuse crate::{help::store, web::AppState};\nlet x = crate::cases::model::CaseKind::ALL;",
    ));
    assert_eq!(
        paths,
        [
            "crate::help::store",
            "crate::web::AppState",
            "crate::cases::model::CaseKind::ALL"
        ]
    );
}
