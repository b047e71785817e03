//! Inviting a colleague: the administrator's form at
//! `/admin/personal/bjud-in`, a new invitation from the person's page, and
//! the page the e-mailed link opens at `/admin/inbjudan/{token}`, where
//! the person chooses a password and goes straight on to enrol the app.
//! Also the pieces the reset link shares: choosing a password and what an
//! unusable link says.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use chrono::{DateTime, Utc};

use super::model::{Link, LinkPurpose, LinkState, Role, Staff};
use super::personal::ticked_roles;
use super::routes::{
    db, enrol_form, field, layout, read_form, read_pairs, see_other, with_status, BUSY,
};
use super::service::{self, Invitation, Invited, Reinvited};
use super::view::{self, Problem, RoleChoice};
use super::{mail, password, session, staff_layout, store, totp};
use crate::mail::seal;
use crate::types::EmailAddress;
use crate::web::csrf::same_origin;
use crate::web::error::AppError;
use crate::web::format;
use crate::web::render::html;
use crate::web::AppState;

/// The form token of the choose-a-password pages.
const CHOOSE_FORM: &str = "staff-choose-password";

// --- the administrator's side -----------------------------------------------

struct InviteForm {
    email: String,
    name: String,
    roles: Vec<Role>,
}

fn invite_page(
    state: &AppState,
    staff: &Staff,
    form: &InviteForm,
    errors: Vec<(&'static str, String)>,
) -> Result<Response, AppError> {
    let error_at = |href: &str| {
        errors
            .iter()
            .find(|(h, _)| *h == href)
            .map(|(_, t)| t.clone())
    };
    let page = html(&view::Invite {
        layout: staff_layout(state, staff, "Bjud in en kollega"),
        csrf: session::csrf_token(state, &staff.session),
        email: form.email.clone(),
        name: form.name.clone(),
        roles: Role::ALL
            .into_iter()
            .map(|r| RoleChoice {
                name: r.name(),
                label: r.label(),
                scope: r.scope(),
                checked: form.roles.contains(&r),
            })
            .collect(),
        email_error: error_at("#email"),
        name_error: error_at("#name"),
        roles_error: error_at("#roll-administrator"),
        errors: errors
            .iter()
            .map(|(href, text)| Problem {
                href,
                text: text.clone(),
            })
            .collect(),
    })?;
    Ok(if errors.is_empty() {
        page
    } else {
        with_status(page, StatusCode::BAD_REQUEST)
    })
}

pub async fn invite_form(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
) -> Result<Response, AppError> {
    let empty = InviteForm {
        email: String::new(),
        name: String::new(),
        roles: vec![],
    };
    invite_page(&state, &staff, &empty, vec![])
}

/// A fresh link: what its e-mail carries in place of the token (a sealed
/// placeholder the mail worker fills in with the site's key, so the
/// database never holds the token), and the token's hash the database
/// keeps.
pub(super) fn new_link(state: &AppState) -> (String, String) {
    let nonce = seal::new_nonce();
    let token = state.form_tokens.fingerprint(seal::PURPOSE, &nonce);
    (seal::placeholder(&nonce), session::hash(&token))
}

pub async fn invite(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let fields = read_pairs(&headers, body).await?;
    let one = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or(String::new(), |(_, v)| v.trim().to_owned())
    };
    let form = InviteForm {
        email: one("email"),
        name: one("name"),
        roles: ticked_roles(&fields)?,
    };
    let mut errors = vec![];
    let email = EmailAddress::parse(&form.email);
    if form.email.is_empty() {
        errors.push(("#email", "Skriv personens e-postadress.".to_owned()));
    } else if email.is_none() {
        errors.push((
            "#email",
            "Skriv en e-postadress i formen namn@kommun.se.".to_owned(),
        ));
    }
    if form.name.is_empty() {
        errors.push(("#name", "Skriv personens namn.".to_owned()));
    } else if form.name.chars().count() > 200 || form.name.chars().any(char::is_control) {
        errors.push((
            "#name",
            "Namnet får ha högst 200 tecken och inga radbrytningar.".to_owned(),
        ));
    }
    if form.roles.is_empty() {
        errors.push(("#roll-administrator", "Välj minst en roll.".to_owned()));
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return invite_page(&state, &staff, &form, errors);
    };
    let now = state.clock.now();
    let (token, token_hash) = new_link(&state);
    let address = email.as_str().to_lowercase();
    let letter = mail::invitation(
        &state.config.server.base_url,
        &address,
        &form.name,
        &staff.name,
        &token,
        now + LinkPurpose::Invitation.lifetime(),
    );
    let invitation = Invitation {
        email: address,
        name: form.name.clone(),
        roles: form.roles.clone(),
        token_hash,
        mail: letter,
    };
    match service::invite(
        &state.writer,
        &state.data_keys,
        staff.account_id,
        invitation,
        now,
    )
    .await?
    {
        Invited::Sent(id) => {
            state.mail_wake.notify_one();
            Ok(see_other(&format!("/admin/personal/{id}?klart=inbjuden")))
        }
        Invited::Taken(_) => {
            let errors = vec![(
                "#email",
                "Det finns redan ett konto med den här e-postadressen. Du hittar det i listan över personal."
                    .to_owned(),
            )];
            invite_page(&state, &staff, &form, errors)
        }
    }
}

/// "Skicka ny inbjudan" on an invited person's page.
pub async fn reinvite(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let account = store::account(&state.db, id)
        .await
        .map_err(db)?
        .ok_or(AppError::NotFound)?;
    // Whether the account is (still) invited is decided in the writer job;
    // a letter composed for one that is not is simply not stored.
    let now = state.clock.now();
    let (token, token_hash) = new_link(&state);
    let letter = mail::invitation(
        &state.config.server.base_url,
        &account.email,
        &account.name,
        &staff.name,
        &token,
        now + LinkPurpose::Invitation.lifetime(),
    );
    match service::reinvite(
        &state.writer,
        &state.data_keys,
        staff.account_id,
        id,
        token_hash,
        letter,
        now,
    )
    .await?
    {
        Reinvited::Sent => {
            state.mail_wake.notify_one();
            Ok(see_other(&format!(
                "/admin/personal/{id}?klart=ny-inbjudan"
            )))
        }
        Reinvited::NotInvited => Err(AppError::Conflict(
            "Personen har redan valt ett lösenord eller är avstängd; en inbjudan behövs inte."
                .into(),
        )),
    }
}

// --- following a link ---------------------------------------------------------

/// The link a token names, if it is one of `purpose`.
async fn find_link(
    state: &AppState,
    token: &str,
    purpose: LinkPurpose,
) -> Result<Option<Link>, AppError> {
    // A token is 43 base64url characters; anything else is not ours.
    if token.len() != 43
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Ok(None);
    }
    let link = store::link(&state.db, &session::hash(token))
        .await
        .map_err(db)?;
    Ok(link.filter(|l| l.purpose == purpose))
}

/// The page of a link that cannot be followed: what happened and what to
/// do (404 for a link we never sent, 410 for one that has ended).
fn unusable(
    state: &AppState,
    purpose: LinkPurpose,
    link: Option<&Link>,
    now: DateTime<Utc>,
) -> Result<Response, AppError> {
    let ask = link.and_then(|l| l.inviter.as_ref()).map_or_else(
        || "Be en administratör i kommunen om en ny inbjudan.".to_owned(),
        |(name, email)| format!("Be {name} ({email}) om en ny inbjudan."),
    );
    let state_now = link.map(|l| l.state(now));
    let (title, paragraphs, next): (&str, Vec<String>, Option<(&'static str, &'static str)>) =
        match (purpose, state_now) {
            (LinkPurpose::Invitation, None | Some(LinkState::Open)) => (
                "Länken fungerar inte",
                vec![
                    "Länken är ingen giltig inbjudan till Fridhem. Kontrollera att du fick med hela länken från e-postmeddelandet.".into(),
                    ask,
                ],
                None,
            ),
            (LinkPurpose::Invitation, Some(LinkState::Used)) => (
                "Inbjudan är redan använd",
                vec![
                    "Länken i en inbjudan fungerar en gång, och den här har redan använts för att välja ett lösenord.".into(),
                    "Logga in med ditt lösenord. Har du glömt det kan du få ett nytt från inloggningssidan.".into(),
                ],
                Some(("/admin/logga-in", "Till inloggningen")),
            ),
            (LinkPurpose::Invitation, Some(LinkState::Voided)) => (
                "Inbjudan gäller inte längre",
                vec![
                    "Du har fått en nyare inbjudan, och bara länken i den senaste fungerar. Eller så har kontot stängts av.".into(),
                    ask,
                ],
                None,
            ),
            (LinkPurpose::Invitation, Some(LinkState::Expired)) => (
                "Inbjudan har gått ut",
                vec![
                    format!(
                        "Inbjudan gällde till {}.",
                        format::stockholm(link.expect("a state has a link").expires_at, format::MINUTE_IN_TEXT)
                    ),
                    ask,
                ],
                None,
            ),
            (LinkPurpose::Reset, None | Some(LinkState::Open)) => (
                "Länken fungerar inte",
                vec!["Länken är ingen giltig länk för att byta lösenord i Fridhem. Kontrollera att du fick med hela länken från e-postmeddelandet, eller begär en ny.".into()],
                Some(("/admin/glomt-losenord", "Begär en ny länk")),
            ),
            (LinkPurpose::Reset, Some(LinkState::Used)) => (
                "Länken är redan använd",
                vec!["Lösenordet har redan bytts med den här länken. Logga in med det nya lösenordet.".into()],
                Some(("/admin/logga-in", "Till inloggningen")),
            ),
            (LinkPurpose::Reset, Some(LinkState::Voided)) => (
                "Länken gäller inte längre",
                vec!["En nyare länk har skickats, eller lösenordet har bytts på annat sätt. Använd länken i det senaste meddelandet, eller begär en ny.".into()],
                Some(("/admin/glomt-losenord", "Begär en ny länk")),
            ),
            (LinkPurpose::Reset, Some(LinkState::Expired)) => (
                "Länken har gått ut",
                vec![format!(
                    "Länken gällde i en timme, till {}. Begär en ny, så skickar vi en ny länk.",
                    format::stockholm(link.expect("a state has a link").expires_at, format::MINUTE_IN_TEXT)
                )],
                Some(("/admin/glomt-losenord", "Begär en ny länk")),
            ),
        };
    let status = if state_now.is_none() || state_now == Some(LinkState::Open) {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::GONE
    };
    Ok(with_status(
        html(&view::LinkPage {
            layout: layout(state, title),
            paragraphs,
            next,
        })?,
        status,
    ))
}

/// The texts that differ between the invitation's and the reset's
/// password page.
struct PasswordPage {
    title: &'static str,
    intro: &'static str,
    button: &'static str,
    action: String,
}

fn choose_page(
    state: &AppState,
    page: &PasswordPage,
    link: &Link,
    password_error: Option<String>,
    repeat_error: Option<String>,
) -> Result<Response, AppError> {
    let mut errors = vec![];
    if let Some(e) = &password_error {
        errors.push(Problem {
            href: "#password",
            text: e.clone(),
        });
    }
    if let Some(e) = &repeat_error {
        errors.push(Problem {
            href: "#password2",
            text: e.clone(),
        });
    }
    let failed = !errors.is_empty();
    let response = html(&view::ChoosePassword {
        layout: layout(state, page.title),
        errors,
        intro: page.intro,
        action: page.action.clone(),
        token: state.form_tokens.issue(CHOOSE_FORM, state.clock.now()),
        email: link.account_email.clone(),
        button: page.button,
        password_error,
        repeat_error,
    })?;
    Ok(if failed {
        with_status(response, StatusCode::BAD_REQUEST)
    } else {
        response
    })
}

/// What a choose-a-password form leads to.
enum Chosen {
    /// The new password's hash.
    Hash(String),
    /// The page to answer with (a problem with the form).
    Answer(Response),
}

/// Checks a choose-a-password form (its token, the rules, the repetition)
/// and hashes the password.
async fn chosen_password(
    state: &AppState,
    page: &PasswordPage,
    link: &Link,
    form: &HashMap<String, String>,
) -> Result<Chosen, AppError> {
    let now = state.clock.now();
    let answer = |p: Option<String>, r: Option<String>| -> Result<Chosen, AppError> {
        Ok(Chosen::Answer(choose_page(state, page, link, p, r)?))
    };
    if state
        .form_tokens
        .verify(CHOOSE_FORM, field(form, "token"), now)
        .is_err()
    {
        return answer(
            Some("Sidan hade varit öppen för länge. Skriv lösenordet igen.".into()),
            None,
        );
    }
    let (first, second) = (field(form, "password"), field(form, "password2"));
    if first.is_empty() {
        return answer(Some("Välj ett lösenord.".into()), None);
    }
    if let Err(problem) = password::check(first, &[&link.account_email, &link.account_name]) {
        return answer(Some(problem.message()), None);
    }
    if first != second {
        return answer(
            None,
            Some("Lösenorden är inte lika. Skriv samma lösenord två gånger.".into()),
        );
    }
    match password::hash_in_turn(first.to_owned()).await {
        Ok(hash) => Ok(Chosen::Hash(hash)),
        Err(password::NotHashed::Busy) => Ok(Chosen::Answer(with_status(
            choose_page(state, page, link, Some(BUSY.into()), None)?,
            StatusCode::SERVICE_UNAVAILABLE,
        ))),
        Err(password::NotHashed::Failed(e)) => Err(AppError::Render(e.to_string())),
    }
}

/// The password page of a link of `purpose`.
fn page_for(purpose: LinkPurpose, token: &str) -> PasswordPage {
    match purpose {
        LinkPurpose::Invitation => PasswordPage {
            title: "Välkommen till Fridhem",
            intro: "Välj ett lösenord för ditt konto. Sedan kopplar du en app för engångskoder, så att ingen annan kan logga in även om de skulle få veta lösenordet.",
            button: "Välj lösenord och fortsätt",
            action: format!("/admin/inbjudan/{token}"),
        },
        LinkPurpose::Reset => PasswordPage {
            title: "Välj ett nytt lösenord",
            intro: "När du har valt ett nytt lösenord loggas du ut överallt. Sedan loggar du in med det nya lösenordet och koden från din app.",
            button: "Byt lösenord",
            action: format!("/admin/nytt-losenord/{token}"),
        },
    }
}

/// `GET` of a link: its password page, or why it cannot be followed.
pub(super) async fn open_link(
    state: &AppState,
    token: &str,
    purpose: LinkPurpose,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let link = find_link(state, token, purpose).await?;
    match &link {
        Some(l) if l.state(now) == LinkState::Open => {
            choose_page(state, &page_for(purpose, token), l, None, None)
        }
        _ => unusable(state, purpose, link.as_ref(), now),
    }
}

/// `POST` of a link's password page: the open link and the chosen
/// password's hash, or the answer to give (the link has ended, the form
/// has a problem).
pub(super) async fn submitted(
    state: &AppState,
    token: &str,
    purpose: LinkPurpose,
    headers: &HeaderMap,
    body: Body,
) -> Result<Result<(Link, String), Response>, AppError> {
    if !same_origin(headers, &state.base_origin) {
        return Err(AppError::Forbidden);
    }
    let form = read_form(headers, body).await?;
    let now = state.clock.now();
    let link = find_link(state, token, purpose).await?;
    let Some(open) = link.filter(|l| l.state(now) == LinkState::Open) else {
        return Ok(Err(ended(state, token, purpose).await?));
    };
    Ok(
        match chosen_password(state, &page_for(purpose, token), &open, &form).await? {
            Chosen::Hash(hash) => Ok((open, hash)),
            Chosen::Answer(page) => Err(page),
        },
    )
}

/// The page of a link that cannot be followed (any more), as it is now:
/// also for one used or voided while the password was being hashed.
pub(super) async fn ended(
    state: &AppState,
    token: &str,
    purpose: LinkPurpose,
) -> Result<Response, AppError> {
    let link = find_link(state, token, purpose).await?;
    unusable(state, purpose, link.as_ref(), state.clock.now())
}

pub async fn invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    open_link(&state, &token, LinkPurpose::Invitation).await
}

/// The chosen password is set and the link used up; the person goes on
/// to enrol the app, as at a first sign-in, and is signed in after it.
pub async fn accept(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let hash = match submitted(&state, &token, LinkPurpose::Invitation, &headers, body).await? {
        Ok((_, hash)) => hash,
        Err(answer) => return Ok(answer),
    };
    let now = state.clock.now();
    let accepted =
        service::accept_invitation(&state.writer, session::hash(&token), hash, now).await?;
    let Some(id) = accepted else {
        return ended(&state, &token, LinkPurpose::Invitation).await;
    };
    let account = store::account(&state.db, id)
        .await
        .map_err(db)?
        .ok_or(AppError::NotFound)?;
    let secret = totp::new_secret();
    service::offer_totp(&state.writer, account.id, secret.clone()).await?;
    enrol_form(&state, &account, &secret, "/admin", None)
}
