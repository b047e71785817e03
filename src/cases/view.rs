//! The forms and receipts as pages: each form's field list turned into
//! field views with their labels, hints and errors in the catalogue's words.

use askama::Template;

use super::forms::{self, FieldError, FieldKind, Problem, Submitted};
use super::model::CaseKind;
use crate::web::error::AppError;
use crate::web::i18n::{Catalogue, Locale};
use crate::web::layout::{PageInfo, PublicLayout, TranslationState};
use crate::web::AppState;

pub struct OptionView {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

pub struct FieldView {
    pub name: &'static str,
    pub kind: &'static str,
    pub label: String,
    pub hint: Option<String>,
    pub value: String,
    pub error: Option<String>,
    pub options: Vec<OptionView>,
    pub autocomplete: Option<&'static str>,
    pub optional: bool,
    pub rows: usize,
    pub max: usize,
    pub described_by: String,
}

pub struct ErrorLink {
    pub href: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "cases/form.html")]
struct FormTemplate {
    layout: PublicLayout,
    intro: String,
    action: &'static str,
    token: String,
    fields: Vec<FieldView>,
    errors: Vec<ErrorLink>,
    /// The contact form points people who need support to the help page.
    help_link: bool,
}

#[derive(Template)]
#[template(path = "cases/receipt.html")]
struct ReceiptTemplate {
    layout: PublicLayout,
    reference: String,
    next: String,
    answer_time: String,
    /// Said when the acknowledgement e-mail was held back by a limit.
    ack_limited: Option<String>,
    back_href: &'static str,
}

/// A form page: empty, or with what was sent and what was wrong with it
/// (field errors, or `refusal`: why the whole submission was refused).
pub fn form_page(
    state: &AppState,
    locale: Locale,
    kind: CaseKind,
    values: &Submitted,
    errors: &[FieldError],
    refusal: Option<String>,
) -> Result<String, AppError> {
    let t = state.i18n.catalogue(locale.0);
    let title = t.t(&kind.form_key("title")).to_owned();
    let fields: Vec<FieldView> = forms::fields(kind)
        .iter()
        .map(|spec| {
            let label = t
                .t(&kind.form_key(&format!("{}-label", spec.name)))
                .to_owned();
            let hint = t
                .get(&kind.form_key(&format!("{}-hint", spec.name)))
                .map(str::to_owned);
            let hint = match (spec.kind, hint) {
                (FieldKind::Text | FieldKind::TextArea, hint) if spec.max >= 200 => {
                    let limit = t.t_args(
                        "form-max-chars",
                        &[("max", crate::web::format::count(spec.max).into())],
                    );
                    Some(match hint {
                        Some(h) => format!("{h} {limit}"),
                        None => limit,
                    })
                }
                (_, hint) => hint,
            };
            let error = errors
                .iter()
                .find(|e| e.field == spec.name)
                .map(|e| error_text(t, kind, e, spec.max));
            let mut described_by = vec![];
            if hint.is_some() {
                described_by.push(format!("{}-hint", spec.name));
            }
            if error.is_some() {
                described_by.push(format!("{}-error", spec.name));
            }
            let value = values.get(spec.name).to_owned();
            FieldView {
                name: spec.name,
                kind: match spec.kind {
                    FieldKind::Text => "text",
                    FieldKind::TextArea => "textarea",
                    FieldKind::Email => "email",
                    FieldKind::Tel => "tel",
                    FieldKind::Radio(_) => "radio",
                },
                options: match spec.kind {
                    FieldKind::Radio(options) => options
                        .iter()
                        .map(|o| OptionView {
                            value: o,
                            label: t
                                .t(&kind.form_key(&format!("{}-option-{o}", spec.name)))
                                .to_owned(),
                            checked: value == *o,
                        })
                        .collect(),
                    _ => vec![],
                },
                label,
                hint,
                error,
                value,
                autocomplete: spec.autocomplete,
                optional: spec.optional,
                rows: if spec.max > 1000 { 8 } else { 5 },
                max: spec.max,
                described_by: described_by.join(" "),
            }
        })
        .collect();
    let mut links: Vec<ErrorLink> = vec![];
    if let Some(text) = refusal {
        links.push(ErrorLink {
            href: format!("#{}", fields.first().map_or("main", |f| f.name)),
            text,
        });
    }
    for f in &fields {
        if let Some(text) = &f.error {
            // Radios: the link goes to the first option.
            let target = if f.kind == "radio" {
                format!("#{}-{}", f.name, f.options.first().map_or("", |o| o.value))
            } else {
                format!("#{}", f.name)
            };
            links.push(ErrorLink {
                href: target,
                text: text.clone(),
            });
        }
    }
    let page_title = if links.is_empty() {
        title.clone()
    } else {
        t.t_attr(
            "form-error-title-prefix",
            &[("title", title.clone().into())],
        )
    };
    let mut layout = PublicLayout::new(
        state,
        locale,
        PageInfo {
            path: kind.path(),
            title: &page_title,
            description: &title,
            updated: None,
            translation: TranslationState::Source,
        },
    );
    layout.heading = Some(title);
    Ok(FormTemplate {
        intro: t.t(&kind.form_key("intro")).to_owned(),
        action: kind.path(),
        token: state.form_tokens.issue(kind.prefix(), state.clock.now()),
        fields,
        errors: links,
        help_link: kind == CaseKind::Contact,
        layout,
    }
    .render()?)
}

/// The field's own message for the problem, else (for a choice that is
/// not one of the options) its "missing" message, else a general one.
fn error_text(t: &Catalogue, kind: CaseKind, e: &FieldError, max: usize) -> String {
    let own = t.get(&e.message_key(kind)).or_else(|| {
        (e.problem == Problem::UnknownChoice)
            .then(|| {
                FieldError {
                    field: e.field,
                    problem: Problem::Missing,
                }
                .message_key(kind)
            })
            .and_then(|k| t.get(&k))
    });
    match own {
        Some(text) => text.to_owned(),
        None => t.t_args(
            &e.problem.general_key(),
            &[("max", crate::web::format::count(max).into())],
        ),
    }
}

/// The receipt after a stored case.
pub fn receipt_page(
    state: &AppState,
    locale: Locale,
    kind: CaseKind,
    reference: &str,
    answer_time: String,
    ack_limited: bool,
) -> Result<String, AppError> {
    let t = state.i18n.catalogue(locale.0);
    let title = t.t("form-receipt-title").to_owned();
    let layout = PublicLayout::new(
        state,
        locale,
        PageInfo {
            path: "",
            title: &title,
            description: &title,
            updated: None,
            translation: TranslationState::Source,
        },
    );
    Ok(ReceiptTemplate {
        reference: reference.to_owned(),
        next: t.t(kind.next_key()).to_owned(),
        answer_time,
        ack_limited: ack_limited.then(|| {
            t.t_args(
                "form-receipt-ack-limited",
                &[("phone", state.config.municipality.phone.display().into())],
            )
        }),
        back_href: "/",
        layout,
    }
    .render()?)
}
