//! The three public forms: which fields they have, how a submitted body is
//! read, and the rules that turn raw values into a [`NewCase`] or a list of
//! errors. The same field list drives validation and rendering, so a field
//! cannot be shown without being checked.

use std::collections::HashMap;

use super::model::{CaseKind, EmailAddress, NewCase};
use crate::types::text::{is_invisible_format, is_script_joiner};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    TextArea,
    Email,
    Tel,
    /// One of the given option values.
    Radio(&'static [&'static str]),
}

#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub name: &'static str,
    pub kind: FieldKind,
    pub max: usize,
    pub optional: bool,
    pub autocomplete: Option<&'static str>,
}

const fn field(
    name: &'static str,
    kind: FieldKind,
    max: usize,
    optional: bool,
    autocomplete: Option<&'static str>,
) -> FieldSpec {
    FieldSpec {
        name,
        kind,
        max,
        optional,
        autocomplete,
    }
}

use FieldKind::*;

pub const ANSWER_WAYS: &[&str] = &["epost", "telefon", "inget"];
pub const FORMATS: &[&str] = &["lattlast", "ljud", "punktskrift", "storre-text", "annat"];
pub const TOPICS: &[&str] = &["inte-ensam", "manad", "ovrigt"];

const REPORT: &[FieldSpec] = &[
    field("sida", Text, 500, false, Some("url")),
    field("problem", TextArea, 2000, false, None),
    field("namn", Text, 200, true, Some("name")),
    field("epost", Email, EmailAddress::MAX_LEN, true, Some("email")),
    field("telefon", Tel, 40, true, Some("tel")),
    field("svar", Radio(ANSWER_WAYS), 20, false, None),
];

const ALT_FORMAT: &[FieldSpec] = &[
    field("innehall", TextArea, 1000, false, None),
    field("format", Radio(FORMATS), 20, false, None),
    field("annat_format", Text, 200, true, None),
    field("namn", Text, 200, false, Some("name")),
    field("epost", Email, EmailAddress::MAX_LEN, true, Some("email")),
    field("telefon", Tel, 40, true, Some("tel")),
    field("adress", TextArea, 500, true, Some("street-address")),
];

const CONTACT: &[FieldSpec] = &[
    field("amne", Radio(TOPICS), 20, false, None),
    field("organisation", Text, 200, true, Some("organization")),
    field("namn", Text, 200, false, Some("name")),
    field("epost", Email, EmailAddress::MAX_LEN, true, Some("email")),
    field("telefon", Tel, 40, true, Some("tel")),
    field("meddelande", TextArea, 3000, false, None),
];

pub fn fields(kind: CaseKind) -> &'static [FieldSpec] {
    match kind {
        CaseKind::Accessibility => REPORT,
        CaseKind::AltFormat => ALT_FORMAT,
        CaseKind::Contact => CONTACT,
    }
}

pub use crate::web::form::{HONEYPOT_FIELD, TOKEN_FIELD};

pub use crate::web::form::{BodyError, Submitted};

/// Why a field was refused; each maps to a message in the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Missing,
    TooLong,
    InvalidEmail,
    InvalidPhone,
    UnknownChoice,
    /// A contact way is required by the chosen answer way or by the form.
    NeedContact,
    ControlCharacters,
    /// Bidi controls or zero-width characters in a one-line field.
    InvisibleCharacters,
}

impl Problem {
    /// The problem's part of message keys ("form-error-{slug}").
    pub fn slug(self) -> &'static str {
        match self {
            Problem::Missing => "missing",
            Problem::TooLong => "too-long",
            Problem::InvalidEmail => "invalid-email",
            Problem::InvalidPhone => "invalid-phone",
            Problem::UnknownChoice => "unknown-choice",
            Problem::NeedContact => "need-contact",
            Problem::ControlCharacters => "control-characters",
            Problem::InvisibleCharacters => "invisible-characters",
        }
    }

    /// The general message for the problem, when the field has none.
    pub fn general_key(self) -> String {
        format!("form-error-{}", self.slug())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub problem: Problem,
}

impl FieldError {
    /// Catalogue key: the field's own message when it has one, else a
    /// general one for the problem.
    pub fn message_key(&self, kind: CaseKind) -> String {
        kind.form_key(&format!("{}-{}", self.field, self.problem.slug()))
    }
}

/// Checks a submission against the form's fields and rules.
pub fn validate(kind: CaseKind, input: &Submitted) -> Result<NewCase, Vec<FieldError>> {
    let mut errors = vec![];
    let mut values: HashMap<&'static str, String> = HashMap::new();
    for spec in fields(kind) {
        let value = input.value(spec.name);
        let problem = match (&value, spec.kind) {
            (None, _) if !spec.optional => Some(Problem::Missing),
            (None, _) => None,
            (Some(v), _) if v.chars().count() > spec.max => Some(Problem::TooLong),
            (Some(v), _) if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') => {
                Some(Problem::ControlCharacters)
            }
            // One-line fields are names, addresses and numbers: nothing in
            // them may be invisible, except the joiners some scripts need in
            // names. Free text (text areas) is left as written.
            (Some(v), Text | Email | Tel)
                if v.chars().any(|c| {
                    is_invisible_format(c) && !(spec.kind == Text && is_script_joiner(c))
                }) =>
            {
                Some(Problem::InvisibleCharacters)
            }
            (Some(v), Email) if EmailAddress::parse(v).is_none() => Some(Problem::InvalidEmail),
            (Some(v), Tel) if !valid_phone(v) => Some(Problem::InvalidPhone),
            (Some(v), Radio(options)) if !options.contains(&v.as_str()) => {
                Some(Problem::UnknownChoice)
            }
            (Some(v), Text | Email | Tel | Radio(_)) if v.contains('\n') => {
                Some(Problem::ControlCharacters)
            }
            _ => None,
        };
        match problem {
            Some(problem) => errors.push(FieldError {
                field: spec.name,
                problem,
            }),
            None => {
                if let Some(v) = value {
                    values.insert(spec.name, v);
                }
            }
        }
    }
    let has = |name: &str| values.contains_key(name);
    let failed = |errors: &[FieldError], name: &str| errors.iter().any(|e| e.field == name);

    match kind {
        CaseKind::Accessibility => match values.get("svar").map(String::as_str) {
            Some("epost") if !has("epost") && !failed(&errors, "epost") => {
                errors.push(FieldError {
                    field: "epost",
                    problem: Problem::NeedContact,
                });
            }
            Some("telefon") if !has("telefon") && !failed(&errors, "telefon") => {
                errors.push(FieldError {
                    field: "telefon",
                    problem: Problem::NeedContact,
                });
            }
            _ => {}
        },
        CaseKind::AltFormat => {
            if values.get("format").map(String::as_str) == Some("annat")
                && !has("annat_format")
                && !failed(&errors, "annat_format")
            {
                errors.push(FieldError {
                    field: "annat_format",
                    problem: Problem::Missing,
                });
            }
            let reachable = has("epost") || has("telefon") || has("adress");
            let tried =
                failed(&errors, "epost") || failed(&errors, "telefon") || failed(&errors, "adress");
            if !reachable && !tried {
                errors.push(FieldError {
                    field: "epost",
                    problem: Problem::NeedContact,
                });
            }
        }
        CaseKind::Contact => {
            let reachable = has("epost") || has("telefon");
            let tried = failed(&errors, "epost") || failed(&errors, "telefon");
            if !reachable && !tried {
                errors.push(FieldError {
                    field: "epost",
                    problem: Problem::NeedContact,
                });
            }
        }
    }
    if !errors.is_empty() {
        // Report in the order the fields appear on the page.
        let order = |name: &str| fields(kind).iter().position(|f| f.name == name);
        errors.sort_by_key(|e| order(e.field));
        return Err(errors);
    }

    let mut take = |name: &str| values.remove(name);
    let case = match kind {
        CaseKind::Accessibility => NewCase {
            page: take("sida"),
            message: take("problem").unwrap_or_default(),
            name: take("namn"),
            email: take("epost").and_then(|e| EmailAddress::parse(&e)),
            phone: take("telefon"),
            preferred_contact: take("svar"),
            ..NewCase::default()
        },
        CaseKind::AltFormat => {
            let format = take("format");
            let other = take("annat_format");
            NewCase {
                message: take("innehall").unwrap_or_default(),
                format: match format.as_deref() {
                    Some("annat") => other.map(|o| format!("annat: {o}")),
                    _ => format,
                },
                name: take("namn"),
                email: take("epost").and_then(|e| EmailAddress::parse(&e)),
                phone: take("telefon"),
                postal_address: take("adress"),
                ..NewCase::default()
            }
        }
        CaseKind::Contact => NewCase {
            topic: take("amne"),
            organisation: take("organisation"),
            name: take("namn"),
            email: take("epost").and_then(|e| EmailAddress::parse(&e)),
            phone: take("telefon"),
            message: take("meddelande").unwrap_or_default(),
            ..NewCase::default()
        },
    };
    Ok(case)
}

/// Digits with the usual separators, 5–20 digits in all.
fn valid_phone(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    (5..=20).contains(&digits)
        && text.chars().enumerate().all(|(i, c)| {
            c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')') || (c == '+' && i == 0)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submit(kind: CaseKind, pairs: &[(&str, &str)]) -> Result<NewCase, Vec<FieldError>> {
        validate(kind, &Submitted::from_pairs(pairs.iter().copied()))
    }

    #[test]
    fn body_parsing_refuses_invalid_utf8_and_keeps_first_value() {
        let s = Submitted::parse(b"namn=Anna+Svensson&namn=x&epost=a%40b.se&tom").unwrap();
        assert_eq!(s.get("namn"), "Anna Svensson");
        assert_eq!(s.get("epost"), "a@b.se");
        assert_eq!(s.get("tom"), "");
        assert_eq!(
            Submitted::parse(b"namn=%FF%FE").unwrap_err(),
            BodyError::InvalidUtf8
        );
        assert_eq!(
            Submitted::parse(b"\xff=1").unwrap_err(),
            BodyError::InvalidUtf8
        );
        assert_eq!(
            Submitted::parse("namn=%C3%85sa".as_bytes())
                .unwrap()
                .get("namn"),
            "Åsa"
        );
    }

    #[test]
    fn report_requires_page_problem_and_an_answer_way() {
        let errors = submit(CaseKind::Accessibility, &[]).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["sida", "problem", "svar"]);
        let errors = submit(
            CaseKind::Accessibility,
            &[
                ("sida", "/hjalp"),
                ("problem", "Knappen syns inte"),
                ("svar", "epost"),
            ],
        )
        .unwrap_err();
        assert_eq!(
            errors,
            [FieldError {
                field: "epost",
                problem: Problem::NeedContact
            }]
        );
        let ok = submit(
            CaseKind::Accessibility,
            &[
                ("sida", "/hjalp"),
                ("problem", " Knappen\r\nsyns inte "),
                ("svar", "inget"),
                ("okant", "x"),
            ],
        )
        .unwrap();
        assert_eq!(ok.message, "Knappen\nsyns inte");
        assert_eq!(ok.email, None);
    }

    #[test]
    fn alt_format_needs_a_way_to_deliver() {
        let base = [
            ("innehall", "Sidan Orolig för någon"),
            ("format", "ljud"),
            ("namn", "Anna"),
        ];
        let errors = submit(CaseKind::AltFormat, &base).unwrap_err();
        assert_eq!(
            errors,
            [FieldError {
                field: "epost",
                problem: Problem::NeedContact
            }]
        );
        let mut with_address = base.to_vec();
        with_address.push(("adress", "Storgatan 1\n123 45 Järfälla"));
        assert!(submit(CaseKind::AltFormat, &with_address).is_ok());
        let other = [
            ("innehall", "x"),
            ("format", "annat"),
            ("namn", "A"),
            ("telefon", "070-123 45 67"),
        ];
        let errors = submit(CaseKind::AltFormat, &other).unwrap_err();
        assert_eq!(errors[0].field, "annat_format");
    }

    #[test]
    fn contact_limits_and_formats() {
        let long = "å".repeat(3001);
        let errors = submit(
            CaseKind::Contact,
            &[
                ("amne", "fel"),
                ("namn", "A"),
                ("epost", "inte-en-adress"),
                ("meddelande", &long),
            ],
        )
        .unwrap_err();
        let problems: Vec<_> = errors.iter().map(|e| (e.field, e.problem)).collect();
        assert_eq!(
            problems,
            [
                ("amne", Problem::UnknownChoice),
                ("epost", Problem::InvalidEmail),
                ("meddelande", Problem::TooLong)
            ]
        );
        let ok = submit(
            CaseKind::Contact,
            &[
                ("amne", "inte-ensam"),
                ("namn", "A"),
                ("telefon", "+46 8 580 285 00"),
                ("meddelande", &"å".repeat(3000)),
            ],
        );
        assert!(ok.is_ok());
    }

    #[test]
    fn one_line_fields_refuse_invisible_characters() {
        let base = [
            ("amne", "ovrigt"),
            ("meddelande", "hej"),
            ("namn", "Anna"),
            ("epost", "a@b.se"),
        ];
        for (field, value) in [
            ("namn", "Anna\u{202E}nossvE"),
            ("namn", "An\u{200B}na"),
            ("epost", "anna\u{2066}@exempel.se"),
            ("telefon", "070\u{200F}-123 45 67"),
            ("organisation", "Bolag\u{FEFF}"),
        ] {
            // The tested value comes first; the form keeps a field's first value.
            let mut pairs = vec![(field, value)];
            pairs.extend(base);
            let errors = submit(CaseKind::Contact, &pairs).unwrap_err();
            assert_eq!(
                errors,
                [FieldError {
                    field,
                    problem: Problem::InvisibleCharacters
                }],
                "{field}={value:?}"
            );
        }
        // A Persian name with a zero-width non-joiner is a real name.
        let ok = submit(
            CaseKind::Contact,
            &[
                ("amne", "ovrigt"),
                ("namn", "فاطمه\u{200C}زهرا"),
                ("epost", "a@b.se"),
                ("meddelande", "سلام"),
            ],
        );
        assert!(ok.is_ok(), "{ok:?}");
    }

    #[test]
    fn single_line_fields_refuse_line_breaks_and_control_characters() {
        let errors = submit(
            CaseKind::Contact,
            &[
                ("amne", "ovrigt"),
                ("namn", "A\nB"),
                ("epost", "a@b.se"),
                ("meddelande", "hej\u{0}"),
            ],
        )
        .unwrap_err();
        assert!(errors
            .iter()
            .all(|e| e.problem == Problem::ControlCharacters));
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn every_problem_and_required_field_has_a_message() {
        let i18n = crate::web::i18n::I18n::load();
        let sv = i18n.catalogue(crate::web::i18n::Lang::Sv);
        for kind in CaseKind::ALL {
            for spec in fields(kind) {
                let missing = FieldError {
                    field: spec.name,
                    problem: Problem::Missing,
                };
                if !spec.optional {
                    assert!(
                        sv.get(&missing.message_key(kind)).is_some(),
                        "{}",
                        missing.message_key(kind)
                    );
                }
                for key in ["label", "hint"] {
                    let k = kind.form_key(&format!("{}-{key}", spec.name));
                    assert!(key == "hint" || sv.get(&k).is_some(), "{k}");
                }
            }
        }
        for problem in [
            Problem::Missing,
            Problem::TooLong,
            Problem::InvalidEmail,
            Problem::InvalidPhone,
            Problem::UnknownChoice,
            Problem::NeedContact,
            Problem::ControlCharacters,
            Problem::InvisibleCharacters,
        ] {
            assert!(sv.has(&problem.general_key()), "{problem:?}");
        }
    }
}
