//! Property tests for the three public forms against a running server.
//! Whatever arrives, the answer is never a server error; an accepted
//! submission (303) stores exactly one case holding exactly what was
//! submitted, trimmed; a refused one (4xx) stores nothing.

use std::collections::BTreeMap;
use std::sync::Mutex;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use crate::helpers::forms::{form_token, FORMS};
use crate::helpers::{spawn_app_with, Backend, Options, TestApp};

/// Cases per property: enough to find the odd one, few enough that the
/// file runs in seconds.
const CASES: u32 = 128;

/// A server and the runtime it runs on; each proptest case `block_on`s it.
struct Harness {
    rt: tokio::runtime::Runtime,
    app: Option<TestApp>,
    /// A valid token per form, in the order of [`FORMS`].
    tokens: Vec<String>,
}

impl Harness {
    fn start(backend: Backend) -> Harness {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let app = rt.block_on(spawn_app_with(
            backend,
            Options {
                env: vec![("FRIDHEM_FORM_RATE_LIMIT", "0".into())],
                ..Options::default()
            },
        ));
        let tokens = rt.block_on(async {
            let mut tokens = vec![];
            for (path, _) in FORMS {
                tokens.push(form_token(&app, path).await);
            }
            tokens
        });
        Harness {
            rt,
            app: Some(app),
            tokens,
        }
    }

    fn app(&self) -> &TestApp {
        self.app.as_ref().unwrap()
    }

    fn count_cases(&self) -> i64 {
        self.rt.block_on(async {
            fridhem::on_pool!(&self.app().db, |p| sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM cases"
            )
            .fetch_one(p)
            .await)
            .unwrap()
        })
    }

    fn stored(&self, reference: &str) -> Option<Stored> {
        self.rt.block_on(async {
            // Read as staff pages read it: personal fields are sealed at rest.
            let app = self.app();
            fridhem::cases::store::case(&app.db, &app.state.data_keys, reference)
                .await
                .unwrap()
                .map(|c| Stored {
                    kind: c.kind,
                    page: c.page,
                    topic: c.topic,
                    format: c.format,
                    organisation: c.organisation,
                    message: c.message,
                    name: c.name,
                    email: c.email,
                    phone: c.phone,
                    postal_address: c.postal_address,
                    preferred_contact: c.preferred_contact,
                })
        })
    }

    /// POSTs raw bytes; returns the status and the `Location` header.
    fn post(
        &self,
        path: &str,
        content_type: Option<&str>,
        origin: Option<&str>,
        body: Vec<u8>,
    ) -> (u16, Option<String>) {
        self.rt.block_on(async {
            let app = self.app();
            let mut request = app.client.post(app.url(path)).body(body);
            if let Some(ct) = content_type {
                request = request.header("content-type", ct);
            }
            if let Some(origin) = origin {
                request = request.header("origin", origin);
            }
            let r = request.send().await.expect("the server answers");
            let location = r
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_owned());
            (r.status().as_u16(), location)
        })
    }

    fn finish(mut self) {
        let app = self.app.take().unwrap();
        self.rt.block_on(app.stop());
    }
}

#[derive(Debug, PartialEq, Eq, sqlx::FromRow)]
struct Stored {
    kind: String,
    page: Option<String>,
    topic: Option<String>,
    format: Option<String>,
    organisation: Option<String>,
    message: String,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    postal_address: Option<String>,
    preferred_contact: Option<String>,
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: CASES,
        // Regression files would land beside the sources; a failure prints
        // its minimal input instead.
        failure_persistence: None,
        max_shrink_iters: 512,
        ..Config::default()
    })
}

/// Runs a property; a failure comes back with its minimal input, so the
/// caller can stop the server (and drop its database) before failing.
fn check<S: Strategy>(
    runner: &mut TestRunner,
    strategy: &S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) -> Result<(), String>
where
    S::Value: std::fmt::Debug,
{
    runner.run(strategy, test).map_err(|e| e.to_string())
}

fn fail(message: String) -> Result<(), TestCaseError> {
    Err(TestCaseError::fail(message))
}

// ---------------------------------------------------------------------------
// (a) Arbitrary bodies.

const FORM_TYPES: &[&str] = &[
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=UTF-8",
    " APPLICATION/X-WWW-FORM-URLENCODED ;x=y",
];
const OTHER_TYPES: &[&str] = &[
    "text/plain",
    "multipart/form-data; boundary=xyz",
    "application/json",
];

fn content_type() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        5 => proptest::sample::select(FORM_TYPES).prop_map(|s| Some(s.to_owned())),
        2 => proptest::sample::select(OTHER_TYPES).prop_map(|s| Some(s.to_owned())),
        1 => Just(None),
        // Any visible ASCII is a valid header value.
        1 => "[ -~]{0,60}".prop_map(Some),
    ]
}

fn origin() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => Just(None),
        3 => Just(Some("null".to_owned())),
        1 => Just(Some("https://evil.example".to_owned())),
    ]
}

/// Bytes that a form parser has to think about: separators, escapes
/// (complete, truncated, of invalid UTF-8) and field names it knows.
fn formish_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"&".to_vec()),
        Just(b"=".to_vec()),
        Just(b"+".to_vec()),
        Just(b"%".to_vec()),
        Just(b"%2".to_vec()),
        Just(b"%FF".to_vec()),
        Just(b"%C3%A5".to_vec()),
        Just(b"%00".to_vec()),
        Just(b"%0D%0A".to_vec()),
        Just(b"token=".to_vec()),
        Just(b"webbplats=".to_vec()),
        proptest::sample::select(
            &[
                "namn",
                "epost",
                "telefon",
                "meddelande",
                "problem",
                "innehall",
                "sida",
                "amne",
                "format",
                "svar",
                "adress",
            ][..]
        )
        .prop_map(|s| format!("{s}=").into_bytes()),
        "[a-zA-Z0-9 åäö.@-]{0,20}".prop_map(String::into_bytes),
        vec(any::<u8>(), 0..8),
    ];
    vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

fn body_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => vec(any::<u8>(), 0..2048),
        4 => formish_bytes(),
        // Around the 64 KiB limit.
        1 => (60_000usize..70_000).prop_map(|n| vec![b'a'; n]),
    ]
}

fn arbitrary_bodies_are_refused_without_error(backend: Backend) {
    let h = Harness::start(backend);
    let statuses: Mutex<BTreeMap<u16, usize>> = Mutex::default();
    let mut runner = runner();
    let strategy = (
        0..FORMS.len(),
        content_type(),
        origin(),
        any::<bool>(),
        body_bytes(),
    );
    let result = check(
        &mut runner,
        &strategy,
        |(form, content_type, origin, with_token, bytes)| {
            let (path, _) = FORMS[form];
            // Half the bodies start with a valid token, so the parser and
            // the validation behind it see the bytes too.
            let mut body = vec![];
            if with_token {
                body.extend_from_slice(format!("token={}&", h.tokens[form]).as_bytes());
            }
            body.extend_from_slice(&bytes);
            let before = h.count_cases();
            let (status, location) = h.post(path, content_type.as_deref(), origin.as_deref(), body);
            let after = h.count_cases();
            *statuses.lock().unwrap().entry(status).or_default() += 1;
            if status >= 500 {
                return fail(format!("{path}: server error {status}"));
            }
            match status {
                303 if with_token => {
                    if after != before + 1 {
                        return fail(format!(
                            "{path}: 303 ({location:?}) but {before} -> {after} cases"
                        ));
                    }
                }
                400..=499 => {
                    if after != before {
                        return fail(format!("{path}: {status} but {before} -> {after} cases"));
                    }
                }
                _ => {
                    return fail(format!(
                        "{path}: {status} ({location:?}) for a body without a valid token"
                    ))
                }
            }
            Ok(())
        },
    );
    println!(
        "arbitrary bodies ({backend:?}): {CASES} cases, answers {:?}",
        statuses.lock().unwrap()
    );
    h.finish();
    result.unwrap_or_else(|e| panic!("{e}"));
}

// ---------------------------------------------------------------------------
// (b) A valid token and arbitrary field values.

/// The forms' fields as the tests see them, mirrored from
/// src/cases/forms.rs: name, maximum length in characters, multi-line.
const REPORT: &[(&str, usize, bool)] = &[
    ("sida", 500, false),
    ("problem", 2000, true),
    ("namn", 200, false),
    ("epost", 254, false),
    ("telefon", 40, false),
    ("svar", 20, false),
];
const ALT_FORMAT: &[(&str, usize, bool)] = &[
    ("innehall", 1000, true),
    ("format", 20, false),
    ("annat_format", 200, false),
    ("namn", 200, false),
    ("epost", 254, false),
    ("telefon", 40, false),
    ("adress", 500, true),
];
const CONTACT: &[(&str, usize, bool)] = &[
    ("amne", 20, false),
    ("organisation", 200, false),
    ("namn", 200, false),
    ("epost", 254, false),
    ("telefon", 40, false),
    ("meddelande", 3000, true),
];

fn fields_of(form: usize) -> &'static [(&'static str, usize, bool)] {
    [REPORT, ALT_FORMAT, CONTACT][form]
}

fn chars(range: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    vec(any::<char>(), range).prop_map(String::from_iter)
}

/// White space that `str::trim` removes, line breaks of every kind included.
fn blank() -> impl Strategy<Value = String> {
    vec(
        proptest::sample::select(
            &[
                ' ', '\t', '\r', '\n', '\u{a0}', '\u{3000}', '\u{2028}', '\u{85}',
            ][..],
        ),
        0..4,
    )
    .prop_map(String::from_iter)
}

/// Anything at all: arbitrary Unicode (control characters included), very
/// long text, nothing, or only white space.
fn wild_value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => chars(0..40),
        1 => chars(1000..4000),
        1 => "[a-zA-Zåäö \n]{1000,4000}",
        1 => Just(String::new()),
        1 => blank(),
        1 => "[\\x00-\\x1f\\x7f]{1,5}",
    ]
}

/// A value that the field would accept, before padding.
fn plausible(name: &'static str, max: usize) -> BoxedStrategy<String> {
    match name {
        // Dot-atoms as mail systems accept them: no leading, trailing or
        // doubled dots, no hyphen at the start of the domain.
        "epost" => {
            "[a-z0-9+_]{1,12}(\\.[a-z0-9+_]{1,8})?@[a-z0-9][a-z0-9-]{0,11}\\.(se|org|nu)".boxed()
        }
        "telefon" => "\\+?[0-9]{2,4}-[0-9]{3} [0-9]{2} [0-9]{2}".boxed(),
        "svar" => proptest::sample::select(&["epost", "telefon", "inget"][..])
            .prop_map(str::to_owned)
            .boxed(),
        "format" => proptest::sample::select(
            &["lattlast", "ljud", "punktskrift", "storre-text", "annat"][..],
        )
        .prop_map(str::to_owned)
        .boxed(),
        "amne" => proptest::sample::select(&["inte-ensam", "manad", "ovrigt"][..])
            .prop_map(str::to_owned)
            .boxed(),
        "sida" => "/[a-z0-9/-]{0,60}".boxed(),
        "problem" | "innehall" | "meddelande" | "adress" => prop_oneof![
            4 => "[A-Za-zÅÄÖåäö0-9 .,!?:;\"'<>&\t\n\r€😀]{1,300}",
            // At the limit, just under and just over it, in two-byte letters.
            1 => ((max - 1)..=(max + 1)).prop_map(|n| "å".repeat(n)),
        ]
        .boxed(),
        _ => prop_oneof![
            4 => "[A-Za-zÅÄÖåäöéü0-9 .,'&<>-]{1,60}",
            1 => ((max - 1)..=(max + 1)).prop_map(|n| "ö".repeat(n)),
        ]
        .boxed(),
    }
}

fn padded(value: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    (blank(), value, blank()).prop_map(|(a, v, b)| format!("{a}{v}{b}"))
}

/// Fields nobody asked for: unknown names, repeats of known ones (the first
/// value counts) and, now and then, the honeypot.
fn extra_fields() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        6 => "[a-z_]{1,12}",
        2 => chars(0..10),
        1 => proptest::sample::select(&["namn", "token", "epost", "meddelande", "problem"][..])
            .prop_map(str::to_owned),
        1 => Just("webbplats".to_owned()),
    ];
    vec((name, wild_value()), 0..4)
}

#[derive(Debug, Clone)]
struct Submission {
    form: usize,
    /// In the order sent; the token is first.
    pairs: Vec<(String, String)>,
}

/// `valid_share` in 0..=10: how many in ten field values are plausible
/// (padded) rather than wild. A field may also be left out.
fn submission(valid_share: u32) -> impl Strategy<Value = Submission> {
    (0..FORMS.len())
        .prop_flat_map(move |form| {
            let values: Vec<BoxedStrategy<Option<String>>> = fields_of(form)
                .iter()
                .map(|&(name, max, _)| {
                    prop_oneof![
                        valid_share => padded(plausible(name, max)).prop_map(Some),
                        (10 - valid_share).max(1) => wild_value().prop_map(Some),
                        1 => Just(None),
                    ]
                    .boxed()
                })
                .collect();
            (Just(form), values, extra_fields())
        })
        .prop_map(|(form, values, extra)| {
            let mut pairs = vec![];
            for (&(name, _, _), value) in fields_of(form).iter().zip(values) {
                if let Some(v) = value {
                    pairs.push((name.to_owned(), v));
                }
            }
            pairs.extend(extra);
            Submission { form, pairs }
        })
}

/// What the server should store for a field: the first value submitted,
/// trimmed, with line breaks as `\n`; nothing when that is empty.
fn expected(pairs: &[(String, String)], name: &str) -> Option<String> {
    let v = pairs.iter().find(|(k, _)| k == name)?.1.trim();
    (!v.is_empty()).then(|| v.replace("\r\n", "\n").replace('\r', "\n"))
}

fn expected_case(form: usize, pairs: &[(String, String)]) -> Stored {
    let e = |name| expected(pairs, name);
    let none = Stored {
        kind: FORMS[form].1.to_owned(),
        page: None,
        topic: None,
        format: None,
        organisation: None,
        message: String::new(),
        name: e("namn"),
        email: e("epost"),
        phone: e("telefon"),
        postal_address: None,
        preferred_contact: None,
    };
    match form {
        0 => Stored {
            page: e("sida"),
            message: e("problem").unwrap_or_default(),
            preferred_contact: e("svar"),
            ..none
        },
        1 => Stored {
            message: e("innehall").unwrap_or_default(),
            format: match e("format").as_deref() {
                Some("annat") => e("annat_format").map(|o| format!("annat: {o}")),
                other => other.map(str::to_owned),
            },
            postal_address: e("adress"),
            ..none
        },
        _ => Stored {
            topic: e("amne"),
            organisation: e("organisation"),
            message: e("meddelande").unwrap_or_default(),
            ..none
        },
    }
}

/// An accepted value keeps to its field's documented limits.
fn within_limits(form: usize, pairs: &[(String, String)]) -> Result<(), String> {
    for &(name, max, multiline) in fields_of(form) {
        let Some(v) = expected(pairs, name) else {
            continue;
        };
        let n = v.chars().count();
        if n > max {
            return Err(format!("{name}: {n} characters accepted, limit {max}"));
        }
        if let Some(c) = v
            .chars()
            .find(|&c| c.is_control() && c != '\t' && (c != '\n' || !multiline))
        {
            return Err(format!("{name}: control character {c:?} accepted"));
        }
    }
    Ok(())
}

/// The whole oracle for one submission with a valid token.
fn submit_and_check(
    h: &Harness,
    s: &Submission,
    statuses: &Mutex<BTreeMap<u16, usize>>,
) -> Result<(), TestCaseError> {
    let (path, prefix) = FORMS[s.form];
    let mut pairs = vec![("token".to_owned(), h.tokens[s.form].clone())];
    pairs.extend(s.pairs.iter().cloned());
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    let before = h.count_cases();
    let (status, location) = h.post(
        path,
        Some("application/x-www-form-urlencoded"),
        Some("null"),
        body.into_bytes(),
    );
    let after = h.count_cases();
    *statuses.lock().unwrap().entry(status).or_default() += 1;
    match status {
        303 => {
            if after != before + 1 {
                return fail(format!("303 but {before} -> {after} cases"));
            }
            let location = location.unwrap_or_default();
            let Some(reference) = crate::helpers::reference_of(&location, path) else {
                return fail(format!("303 to {location:?}"));
            };
            if !reference.starts_with(&format!("{prefix}-")) {
                return fail(format!("reference {reference} for {path}"));
            }
            let Some(stored) = h.stored(reference) else {
                return fail(format!("{reference} acknowledged but not stored"));
            };
            let want = expected_case(s.form, &pairs);
            if stored != want {
                return fail(format!(
                    "{reference} stored\n  {stored:?}\nbut submitted (trimmed)\n  {want:?}"
                ));
            }
            if let Err(e) = within_limits(s.form, &pairs) {
                return fail(format!("{reference}: {e}"));
            }
        }
        400..=499 => {
            if after != before {
                return fail(format!("{status} but {before} -> {after} cases"));
            }
        }
        _ => return fail(format!("{path}: answered {status}")),
    }
    Ok(())
}

fn arbitrary_fields_are_stored_as_sent_or_not_at_all(backend: Backend) {
    let h = Harness::start(backend);
    let statuses: Mutex<BTreeMap<u16, usize>> = Mutex::default();
    let result = check(&mut runner(), &submission(2), |s| {
        submit_and_check(&h, &s, &statuses)
    });
    println!(
        "arbitrary fields ({backend:?}): {CASES} cases, answers {:?}",
        statuses.lock().unwrap()
    );
    h.finish();
    result.unwrap_or_else(|e| panic!("{e}"));
}

fn mostly_valid_fields_are_accepted_and_stored_trimmed(backend: Backend) {
    let h = Harness::start(backend);
    let statuses: Mutex<BTreeMap<u16, usize>> = Mutex::default();
    let result = check(&mut runner(), &submission(10), |s| {
        submit_and_check(&h, &s, &statuses)
    });
    let statuses = statuses.into_inner().unwrap();
    println!("mostly valid fields ({backend:?}): {CASES} cases, answers {statuses:?}");
    let accepted = statuses.get(&303).copied().unwrap_or(0);
    h.finish();
    result.unwrap_or_else(|e| panic!("{e}"));
    assert!(
        accepted as u32 >= CASES / 10,
        "only {accepted} of {CASES} mostly valid submissions were accepted: the generator no longer \
         reaches the storing path"
    );
}

mod sqlite {
    use super::*;

    #[test]
    fn arbitrary_bodies_are_refused_without_error() {
        super::arbitrary_bodies_are_refused_without_error(Backend::Sqlite);
    }

    #[test]
    fn arbitrary_fields_are_stored_as_sent_or_not_at_all() {
        super::arbitrary_fields_are_stored_as_sent_or_not_at_all(Backend::Sqlite);
    }

    #[test]
    fn mostly_valid_fields_are_accepted_and_stored_trimmed() {
        super::mostly_valid_fields_are_accepted_and_stored_trimmed(Backend::Sqlite);
    }
}

mod postgres {
    use super::*;

    #[test]
    #[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
    fn arbitrary_bodies_are_refused_without_error() {
        super::arbitrary_bodies_are_refused_without_error(Backend::Postgres);
    }

    #[test]
    #[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
    fn arbitrary_fields_are_stored_as_sent_or_not_at_all() {
        super::arbitrary_fields_are_stored_as_sent_or_not_at_all(Backend::Postgres);
    }

    #[test]
    #[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
    fn mostly_valid_fields_are_accepted_and_stored_trimmed() {
        super::mostly_valid_fields_are_accepted_and_stored_trimmed(Backend::Postgres);
    }
}
