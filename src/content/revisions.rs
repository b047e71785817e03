//! A page's history: every publish is a revision. Editors read the list,
//! see how an older text differs from the published one, and restore it as
//! a draft (to preview and publish as usual). Restoring is audited.

use askama::Template;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Extension;
use serde::Deserialize;
use similar::{ChangeTag, TextDiff};

use super::store::{self, Revision};
use crate::auth::staff_layout;
use crate::auth::Staff;
use crate::web::error::AppError;
use crate::web::format;
use crate::web::layout::AdminLayout;
use crate::web::middleware::{field, read_form};
use crate::web::render::{html, see_other};
use crate::web::AppState;

/// Unchanged lines shown around each change; longer unchanged runs are
/// cut to keep the changes in view.
const CONTEXT: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Same,
    /// In the older text only.
    Removed,
    /// In the newer text only.
    Added,
    /// Unchanged lines left out.
    Gap,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub kind: Kind,
    pub text: String,
}

impl DiffLine {
    pub fn class(&self) -> &'static str {
        match self.kind {
            Kind::Same => "diff__same",
            Kind::Removed => "diff__removed",
            Kind::Added => "diff__added",
            Kind::Gap => "diff__gap",
        }
    }
    /// Read out before the line: colour and sign alone tell nothing to
    /// a screen reader.
    pub fn label(&self) -> &'static str {
        match self.kind {
            Kind::Same => "",
            Kind::Removed => "Bara i den äldre versionen: ",
            Kind::Added => "Bara i den publicerade texten: ",
            Kind::Gap => "Oförändrade rader utelämnade",
        }
    }
    pub fn sign(&self) -> &'static str {
        match self.kind {
            Kind::Same => "  ",
            Kind::Removed => "− ",
            Kind::Added => "+ ",
            Kind::Gap => "…",
        }
    }
}

/// Line by line, what changed from `old` to `new`, with a few unchanged
/// lines around each change. Empty when the texts are the same.
pub fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    let text = TextDiff::from_lines(old, new);
    let groups = text.grouped_ops(CONTEXT);
    let mut lines = vec![];
    for (n, group) in groups.iter().enumerate() {
        if n > 0 || group.first().is_some_and(|op| op.old_range().start > 0) {
            lines.push(DiffLine {
                kind: Kind::Gap,
                text: String::new(),
            });
        }
        for op in group {
            for change in text.iter_changes(op) {
                let kind = match change.tag() {
                    ChangeTag::Equal => Kind::Same,
                    ChangeTag::Delete => Kind::Removed,
                    ChangeTag::Insert => Kind::Added,
                };
                lines.push(DiffLine {
                    kind,
                    text: change.value().trim_end_matches(['\n', '\r']).to_owned(),
                });
            }
        }
    }
    let shown_to_end = lines.last().is_some_and(|l| l.kind != Kind::Gap)
        && groups
            .last()
            .and_then(|g| g.last())
            .is_some_and(|op| op.old_range().end < text.old_slices().len());
    if shown_to_end {
        lines.push(DiffLine {
            kind: Kind::Gap,
            text: String::new(),
        });
    }
    lines
}

struct Line {
    number: usize,
    href: String,
    published: String,
    by: String,
    title: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "content/revisions.html")]
struct RevisionsPage {
    layout: AdminLayout,
    path: String,
    edit: String,
    lines: Vec<Line>,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    sida: Option<String>,
}

fn who(r: &Revision) -> String {
    match (&r.published_by, r.by_someone) {
        (Some(name), _) => name.clone(),
        (None, true) => "en borttagen användare".to_owned(),
        (None, false) => "ingen (texten före den första publiceringen här)".to_owned(),
    }
}

/// When it was published; only the date for the text the page had before
/// its first publish here, which is not tied to a time of day.
fn when(r: &Revision) -> String {
    if r.by_someone {
        format::stockholm(r.published_at, format::MINUTE)
    } else {
        r.published_at
            .with_timezone(&chrono_tz::Europe::Stockholm)
            .date_naive()
            .to_string()
    }
}

/// `/admin/sidor/versioner?sida=/path`: the page's revisions, newest first.
pub async fn list(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<PageQuery>,
) -> Result<Response, AppError> {
    let Some(path) = query.sida.filter(|p| !p.is_empty()) else {
        return Ok(see_other("/admin/sidor"));
    };
    let page = store::page(&state.db, &path)
        .await?
        .ok_or(AppError::NotFound)?;
    let revisions = store::revisions(&state.db, &path).await?;
    let newest = revisions.last().map(|r| r.id);
    let lines = revisions
        .iter()
        .enumerate()
        .rev()
        .map(|(n, r)| Line {
            number: n + 1,
            href: format!("/admin/sidor/version?id={}", r.id),
            published: when(r),
            by: who(r),
            title: r.title.clone(),
            current: Some(r.id) == newest,
        })
        .collect();
    html(&RevisionsPage {
        layout: staff_layout(&state, &staff, &format!("Versioner av {}", page.title)),
        edit: super::editing::edit_href(&path),
        path,
        lines,
    })
}

struct Field {
    name: &'static str,
    /// The revision's value and the published one, when they differ.
    change: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "content/revision.html")]
struct RevisionPage {
    layout: AdminLayout,
    csrf: String,
    id: i64,
    number: usize,
    /// The text the page had before its first publish here.
    seeded: bool,
    published: String,
    by: String,
    list: String,
    fields: Vec<Field>,
    body: Vec<DiffLine>,
    same: bool,
}

#[derive(Deserialize, Default)]
pub struct RevisionQuery {
    id: Option<String>,
}

/// `/admin/sidor/version?id=N`: how revision N differs from the page as
/// it is published now, and a button to restore it as a draft.
pub async fn show(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<RevisionQuery>,
) -> Result<Response, AppError> {
    // Without a version named, the list of pages to choose from.
    let Some(id) = query.id.filter(|i| !i.is_empty()) else {
        return Ok(see_other("/admin/sidor"));
    };
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let revision = store::revision(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = store::page(&state.db, &revision.path)
        .await?
        .ok_or(AppError::NotFound)?;
    let all = store::revisions(&state.db, &revision.path).await?;
    let number = all.iter().position(|r| r.id == id).map_or(0, |n| n + 1);
    let field = |name, old: &str, new: &str| Field {
        name,
        change: (old != new).then(|| (old.to_owned(), new.to_owned())),
    };
    let fields = vec![
        field("Rubrik", &revision.title, &page.title),
        field("Beskrivning", &revision.description, &page.description),
    ];
    let body = diff(&revision.body_md, &page.body_md);
    let same = body.is_empty() && fields.iter().all(|f| f.change.is_none());
    html(&RevisionPage {
        layout: staff_layout(
            &state,
            &staff,
            &format!("Version {number} av {}", page.title),
        ),
        csrf: crate::auth::session::csrf_token(&state, &staff.session),
        id,
        number,
        published: when(&revision),
        by: who(&revision),
        seeded: !revision.by_someone,
        list: format!(
            "/admin/sidor/versioner?{}",
            super::editing::query_of(&revision.path)
        ),
        fields,
        body,
        same,
    })
}

/// POST `/admin/sidor/version`: revision `id` becomes the page's draft.
pub async fn restore(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form = read_form(&headers, body).await?;
    let id = field(&form, "id");
    if id.is_empty() {
        return Ok(see_other("/admin/sidor"));
    }
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let path = super::service::restore(&state.writer, staff.account_id, id, state.clock.now())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(see_other(&format!(
        "{}&klart=aterstallt",
        super::editing::edit_href(&path)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(lines: &[DiffLine]) -> Vec<(Kind, &str)> {
        lines.iter().map(|l| (l.kind, l.text.as_str())).collect()
    }

    #[test]
    fn same_text_has_no_lines() {
        assert!(diff("a\nb\n", "a\nb\n").is_empty());
    }

    #[test]
    fn a_changed_line_is_removed_then_added() {
        let lines = diff(
            "Ring 112.\nOm du är orolig.\n",
            "Ring 112.\nOm du oroar dig.\n",
        );
        assert_eq!(
            kinds(&lines),
            vec![
                (Kind::Same, "Ring 112."),
                (Kind::Removed, "Om du är orolig."),
                (Kind::Added, "Om du oroar dig."),
            ]
        );
    }

    #[test]
    fn long_unchanged_runs_are_cut_on_both_sides() {
        let old: String = (1..=20).map(|n| format!("rad {n}\n")).collect();
        let new = old.replace("rad 10\n", "rad tio\n");
        let lines = diff(&old, &new);
        assert_eq!(lines.first().map(|l| l.kind), Some(Kind::Gap));
        assert_eq!(lines.last().map(|l| l.kind), Some(Kind::Gap));
        let shown: Vec<_> = lines.iter().filter(|l| l.kind == Kind::Same).collect();
        assert_eq!(shown.len(), 2 * CONTEXT);
        assert!(lines
            .iter()
            .any(|l| l.kind == Kind::Removed && l.text == "rad 10"));
        assert!(lines
            .iter()
            .any(|l| l.kind == Kind::Added && l.text == "rad tio"));
    }
}
