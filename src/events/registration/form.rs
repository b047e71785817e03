//! The registration form: which fields an event's form has (by who it is
//! for), and the rules that turn a submitted body into a
//! [`NewRegistration`] or Swedish messages in the error-summary pattern.

use super::model::{Kind, NewRegistration};
use crate::events::model::Campaign;
use crate::types::text::{is_invisible_format, is_script_joiner};
use crate::types::EmailAddress;
use crate::web::field_errors::FieldError;
use crate::web::form::Submitted;

/// Form field names (Swedish, as the page's ids).
pub const NAME: &str = "namn";
pub const EMAIL: &str = "epost";
pub const ORGANISATION: &str = "organisation";
pub const SCHOOL: &str = "skola";
pub const CLASS: &str = "klass";
pub const PUPILS: &str = "elever";
pub const MUNICIPALITY: &str = "kommun";
pub const NEEDS: &str = "behov";
pub const WAIT: &str = "vantelista";
/// On a school event: `klass` (a class booking, the default) or `person`
/// (school staff coming alone).
pub const WHO: &str = "anmaler";

/// More pupils than any class or group of classes that comes together.
pub const MAX_PUPILS: i64 = 200;

/// A one-line value: trimmed, not too long, without control or
/// invisible characters (names keep the joiners some scripts need).
fn line(
    input: &Submitted,
    field: &'static str,
    max: usize,
    required: Option<&str>,
    what: &str,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let Some(value) = input.value(field) else {
        if let Some(message) = required {
            errors.push(FieldError::new(field, message));
        }
        return None;
    };
    let problem = if value.chars().count() > max {
        Some(format!("{what} får vara högst {max} tecken."))
    } else if value.chars().any(|c| c.is_control())
        || value
            .chars()
            .any(|c| is_invisible_format(c) && !is_script_joiner(c))
    {
        Some(format!("{what} innehåller tecken som inte kan sparas."))
    } else {
        None
    };
    match problem {
        Some(p) => {
            errors.push(FieldError::new(field, p));
            None
        }
        None => Some(value),
    }
}

/// Checks a submission for an event of `kind` in `campaign`.
pub fn validate(
    kind: Kind,
    campaign: &Campaign,
    input: &Submitted,
) -> Result<NewRegistration, Vec<FieldError>> {
    let mut errors = vec![];
    let kind = match (kind, input.get(WHO)) {
        (Kind::Class, "person") => Kind::Person,
        _ => kind,
    };
    let name = line(
        input,
        NAME,
        200,
        Some("Skriv ditt namn."),
        "Namnet",
        &mut errors,
    );
    let email_text = line(
        input,
        EMAIL,
        EmailAddress::MAX_LEN,
        Some("Skriv din e-postadress."),
        "E-postadressen",
        &mut errors,
    );
    let mut email = None;
    if let Some(text) = &email_text {
        match EmailAddress::parse(text) {
            Some(e) => email = Some(e),
            None => errors.push(FieldError::new(
                EMAIL,
                "Skriv e-postadressen som namn@exempel.se.",
            )),
        }
    }
    let mut registration = NewRegistration {
        kind,
        name: String::new(),
        email: EmailAddress::parse("x@example.org").expect("a valid address"),
        organisation: None,
        school: None,
        class_name: None,
        municipality: None,
        needs: None,
        seats: 1,
        wait_if_full: kind != Kind::Class || input.get(WAIT) == "ja",
    };
    match kind {
        Kind::Person => {
            registration.organisation = line(
                input,
                ORGANISATION,
                200,
                None,
                "Organisationens namn",
                &mut errors,
            );
        }
        Kind::Class => {
            registration.school = line(
                input,
                SCHOOL,
                200,
                Some("Skriv skolans namn."),
                "Skolans namn",
                &mut errors,
            );
            registration.class_name = line(
                input,
                CLASS,
                50,
                Some("Skriv vilken klass det gäller, till exempel 8B."),
                "Klassen",
                &mut errors,
            );
            match input.value(PUPILS) {
                None => errors.push(FieldError::new(
                    PUPILS,
                    "Skriv hur många elever som kommer.",
                )),
                Some(text) => match text.parse::<i64>() {
                    Ok(n) if (1..=MAX_PUPILS).contains(&n) => registration.seats = n,
                    _ => errors.push(FieldError::new(
                        PUPILS,
                        format!("Skriv antalet elever som en siffra mellan 1 och {MAX_PUPILS}."),
                    )),
                },
            }
        }
        Kind::Employee => {
            let chosen = input.get(MUNICIPALITY);
            match campaign.municipality(chosen) {
                None => errors.push(FieldError::at(
                    MUNICIPALITY,
                    &campaign.municipalities.first().map_or_else(
                        || "anmalan".to_owned(),
                        |m| format!("{MUNICIPALITY}-{}", m.slug),
                    ),
                    "Välj kommunen du arbetar i.",
                )),
                Some(m) => {
                    registration.municipality = Some(m.slug.clone());
                    if let Some(e) = &email {
                        if !m.owns_address(e.as_str()) {
                            let example = m.domains.first().map_or_else(
                                || "kommunens domän".to_owned(),
                                |d| format!("namn@{d}"),
                            );
                            errors.push(FieldError::new(
                                EMAIL,
                                format!(
                                    "Föreläsningen är för anställda i kommunerna. Skriv din e-postadress i {}, till exempel {example}.",
                                    m.name
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }
    let needs = input.value(NEEDS);
    match &needs {
        Some(n) if n.chars().count() > 500 => {
            errors.push(FieldError::new(NEEDS, "Behoven får vara högst 500 tecken."));
        }
        Some(n) if n.chars().any(|c| c.is_control() && c != '\n' && c != '\t') => {
            errors.push(FieldError::new(
                NEEDS,
                "Behoven innehåller tecken som inte kan sparas.",
            ));
        }
        _ => registration.needs = needs,
    }
    if !errors.is_empty() {
        let order = [
            NAME,
            EMAIL,
            ORGANISATION,
            MUNICIPALITY,
            SCHOOL,
            CLASS,
            PUPILS,
            NEEDS,
        ];
        errors.sort_by_key(|e| order.iter().position(|f| *f == e.field));
        return Err(errors);
    }
    registration.name = name.unwrap_or_default();
    registration.email = email.expect("checked above");
    Ok(registration)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::model::{Colour, Municipality};

    fn campaign() -> Campaign {
        Campaign {
            year: 2026,
            theme: "T".into(),
            starts_on: Campaign::november(2026).0,
            ends_on: Campaign::november(2026).1,
            intro_md: String::new(),
            colour: Colour::Orange,
            published: true,
            example: false,
            updated_on: Campaign::november(2026).0,
            municipalities: vec![
                Municipality::named("Järfälla"),
                Municipality::named("Solna"),
            ],
        }
    }

    fn check(kind: Kind, pairs: &[(&str, &str)]) -> Result<NewRegistration, Vec<String>> {
        validate(
            kind,
            &campaign(),
            &Submitted::from_pairs(pairs.iter().copied()),
        )
        .map_err(|e| e.into_iter().map(|e| e.field).collect())
    }

    #[test]
    fn employees_register_with_their_municipality_address() {
        let ok = check(
            Kind::Employee,
            &[
                ("namn", "Ann"),
                ("epost", "ann@jarfalla.se"),
                ("kommun", "jarfalla"),
            ],
        )
        .unwrap();
        assert_eq!(ok.municipality.as_deref(), Some("jarfalla"));
        assert!(check(
            Kind::Employee,
            &[
                ("namn", "Ann"),
                ("epost", "ann@skola.JARFALLA.se"),
                ("kommun", "jarfalla")
            ],
        )
        .is_ok());
        for (email, kommun) in [
            ("ann@solna.se", "jarfalla"),
            ("ann@gmail.com", "jarfalla"),
            ("ann@notjarfalla.se", "jarfalla"),
            ("ann@jarfalla.se.example.org", "jarfalla"),
        ] {
            assert_eq!(
                check(
                    Kind::Employee,
                    &[("namn", "Ann"), ("epost", email), ("kommun", kommun)]
                ),
                Err(vec!["epost".to_owned()]),
                "{email}"
            );
        }
        assert_eq!(
            check(
                Kind::Employee,
                &[
                    ("namn", "Ann"),
                    ("epost", "ann@jarfalla.se"),
                    ("kommun", "stockholm")
                ]
            ),
            Err(vec!["kommun".to_owned()])
        );
    }

    #[test]
    fn a_class_takes_as_many_seats_as_pupils() {
        let ok = check(
            Kind::Class,
            &[
                ("namn", "Lärare"),
                ("epost", "l@skola.se"),
                ("skola", "Skolan"),
                ("klass", "8B"),
                ("elever", "24"),
            ],
        )
        .unwrap();
        assert_eq!((ok.seats, ok.wait_if_full), (24, false));
        for pupils in ["0", "-1", "201", "tjugo", "2.5"] {
            assert_eq!(
                check(
                    Kind::Class,
                    &[
                        ("namn", "L"),
                        ("epost", "l@skola.se"),
                        ("skola", "S"),
                        ("klass", "8B"),
                        ("elever", pupils)
                    ],
                ),
                Err(vec!["elever".to_owned()]),
                "{pupils}"
            );
        }
        assert_eq!(
            check(Kind::Class, &[]),
            Err(vec![
                "namn".into(),
                "epost".into(),
                "skola".into(),
                "klass".into(),
                "elever".into()
            ])
        );
    }

    #[test]
    fn names_refuse_hidden_characters() {
        assert_eq!(
            check(
                Kind::Person,
                &[("namn", "A\u{202E}nna"), ("epost", "a@b.se")]
            ),
            Err(vec!["namn".to_owned()])
        );
        assert!(check(
            Kind::Person,
            &[("namn", "می\u{200C}خواهم"), ("epost", "a@b.se")]
        )
        .is_ok());
        assert_eq!(
            check(
                Kind::Person,
                &[("namn", &"x".repeat(201)), ("epost", "a@b.se")]
            ),
            Err(vec!["namn".to_owned()])
        );
    }
}
