//! The access policy of the back office: one table with every `/admin`
//! route, its method, and who may use it. The router is built from this
//! table and nothing else ([`super::router`]), so no staff route can exist
//! without an entry, and the route-matrix test walks the same table.

use axum::http::Method;
use axum::routing::{get, post, MethodRouter};

use crate::auth::Role;
use crate::web::AppState;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Everyone, signed in or not: the sign-in pages.
    Anyone,
    /// Any signed-in person, whatever their roles.
    SignedIn,
    /// A signed-in person with one of these roles (administrators always).
    Roles(&'static [Role]),
}

/// One row of the table.
pub struct Rule {
    pub method: Method,
    /// The path under `/admin`, in axum's pattern syntax.
    pub path: &'static str,
    pub access: Access,
    /// A link on the start page for people who may use it (plain `GET`
    /// pages only).
    pub menu: Option<&'static str>,
    pub handler: fn() -> MethodRouter<AppState>,
}

/// Whoever handles a type of case. The case pages check the type: a
/// person sees and changes only the types they handle.
const HANDLERS: &[Role] = &[
    Role::HandlaggareTg,
    Role::HandlaggareAf,
    Role::HandlaggareKo,
];

/// Whoever keeps the public pages (administrators always may).
const EDITORS: &[Role] = &[Role::Redaktor];

/// Whoever plans the campaign month (administrators always may).
const EVENT_STAFF: &[Role] = &[Role::Evenemangsansvarig];

/// Every staff route. Keep it sorted by path.
pub static TABLE: &[Rule] = &[
    Rule {
        method: Method::GET,
        path: "/admin",
        access: Access::SignedIn,
        menu: None,
        handler: || get(super::home::start),
    },
    Rule {
        method: Method::GET,
        path: "/admin/arenden",
        access: Access::Roles(HANDLERS),
        menu: Some("Ärenden"),
        handler: || get(crate::cases::inbox::inbox),
    },
    Rule {
        method: Method::GET,
        path: "/admin/arenden/{referens}",
        access: Access::Roles(HANDLERS),
        menu: None,
        handler: || get(crate::cases::handling::case_page),
    },
    Rule {
        method: Method::POST,
        path: "/admin/arenden/{referens}/anteckning",
        access: Access::Roles(HANDLERS),
        menu: None,
        handler: || post(crate::cases::handling::add_note),
    },
    Rule {
        method: Method::POST,
        path: "/admin/arenden/{referens}/atgardad",
        access: Access::Roles(HANDLERS),
        menu: None,
        handler: || post(crate::cases::handling::mark_fixed),
    },
    Rule {
        method: Method::POST,
        path: "/admin/arenden/{referens}/publicera",
        access: Access::Roles(HANDLERS),
        menu: None,
        handler: || post(crate::cases::handling::publish),
    },
    Rule {
        method: Method::POST,
        path: "/admin/arenden/{referens}/status",
        access: Access::Roles(HANDLERS),
        menu: None,
        handler: || post(crate::cases::handling::change_status),
    },
    Rule {
        method: Method::POST,
        path: "/admin/arenden/{referens}/svar",
        access: Access::Roles(HANDLERS),
        menu: None,
        handler: || post(crate::cases::handling::reply),
    },
    Rule {
        method: Method::POST,
        path: "/admin/arenden/{referens}/tilldela",
        access: Access::Roles(HANDLERS),
        menu: None,
        handler: || post(crate::cases::handling::assign),
    },
    Rule {
        method: Method::GET,
        path: "/admin/evenemang",
        access: Access::Roles(EVENT_STAFF),
        menu: Some("Evenemang"),
        handler: || get(crate::events::editing::list),
    },
    Rule {
        method: Method::GET,
        path: "/admin/evenemang/anmalningar",
        access: Access::Roles(EVENT_STAFF),
        menu: None,
        handler: || get(crate::events::registration::staff::registrations),
    },
    Rule {
        method: Method::GET,
        path: "/admin/evenemang/anmalningar/dorrlista",
        access: Access::Roles(EVENT_STAFF),
        menu: None,
        handler: || get(crate::events::registration::staff::door_list),
    },
    Rule {
        method: Method::POST,
        path: "/admin/evenemang/anmalningar/flytta",
        access: Access::Roles(EVENT_STAFF),
        menu: None,
        handler: || post(crate::events::registration::staff::reorder),
    },
    Rule {
        method: Method::POST,
        path: "/admin/evenemang/anmalningar/ge-plats",
        access: Access::Roles(EVENT_STAFF),
        menu: None,
        handler: || post(crate::events::registration::staff::promote),
    },
    Rule {
        method: Method::GET,
        path: "/admin/evenemang/anmalningar/meddelande",
        access: Access::Roles(EVENT_STAFF),
        menu: None,
        handler: || get(crate::events::registration::staff::message_form),
    },
    Rule {
        method: Method::POST,
        path: "/admin/evenemang/anmalningar/meddelande",
        access: Access::Roles(EVENT_STAFF),
        menu: None,
        handler: || post(crate::events::registration::staff::send_message),
    },
    Rule {
        method: Method::POST,
        path: "/admin/evenemang/anmalningar/platser",
        access: Access::Roles(EVENT_STAFF),
        menu: None,
        handler: || post(crate::events::registration::staff::capacity),
    },
    Rule {
        method: Method::GET,
        path: "/admin/evenemang/evenemang",
        access: Access::Roles(EVENT_STAFF),
        menu: None,
        handler: || get(crate::events::editing::edit_form),
    },
    Rule {
        method: Method::POST,
        path: "/admin/evenemang/evenemang",
        access: Access::Roles(EVENT_STAFF),
        menu: None,
        handler: || post(crate::events::editing::save),
    },
    Rule {
        method: Method::GET,
        path: "/admin/evenemang/kampanj",
        access: Access::Roles(EVENT_STAFF),
        menu: None,
        handler: || get(crate::events::editing::campaign_form),
    },
    Rule {
        method: Method::POST,
        path: "/admin/evenemang/kampanj",
        access: Access::Roles(EVENT_STAFF),
        menu: None,
        handler: || post(crate::events::editing::save_campaign),
    },
    Rule {
        method: Method::POST,
        path: "/admin/evenemang/kampanj/kopiera",
        access: Access::Roles(EVENT_STAFF),
        menu: None,
        handler: || post(crate::events::editing::copy_campaign),
    },
    Rule {
        method: Method::POST,
        path: "/admin/evenemang/kopiera",
        access: Access::Roles(EVENT_STAFF),
        menu: None,
        handler: || post(crate::events::editing::copy),
    },
    Rule {
        method: Method::GET,
        path: "/admin/evenemang/nytt",
        access: Access::Roles(EVENT_STAFF),
        menu: None,
        handler: || get(crate::events::editing::new_form),
    },
    Rule {
        method: Method::POST,
        path: "/admin/evenemang/nytt",
        access: Access::Roles(EVENT_STAFF),
        menu: None,
        handler: || post(crate::events::editing::create),
    },
    Rule {
        method: Method::POST,
        path: "/admin/evenemang/stall-in",
        access: Access::Roles(EVENT_STAFF),
        menu: None,
        handler: || post(crate::events::editing::cancel),
    },
    Rule {
        method: Method::GET,
        path: "/admin/glomt-losenord",
        access: Access::Anyone,
        menu: None,
        handler: || get(crate::auth::reset::forgot_form),
    },
    Rule {
        method: Method::POST,
        path: "/admin/glomt-losenord",
        access: Access::Anyone,
        menu: None,
        handler: || post(crate::auth::reset::forgot),
    },
    Rule {
        method: Method::GET,
        path: "/admin/hjalp",
        access: Access::Roles(EDITORS),
        menu: Some("Hjälpkatalogen"),
        handler: || get(crate::help::editing::list),
    },
    Rule {
        method: Method::POST,
        path: "/admin/hjalp/kontrollerad",
        access: Access::Roles(EDITORS),
        menu: None,
        handler: || post(crate::help::editing::verify),
    },
    Rule {
        method: Method::GET,
        path: "/admin/hjalp/organisation",
        access: Access::Roles(EDITORS),
        menu: None,
        handler: || get(crate::help::organizations::edit),
    },
    Rule {
        method: Method::POST,
        path: "/admin/hjalp/organisation",
        access: Access::Roles(EDITORS),
        menu: None,
        handler: || post(crate::help::organizations::submit),
    },
    Rule {
        method: Method::GET,
        path: "/admin/hjalp/organisation/oversattning",
        access: Access::Roles(EDITORS),
        menu: None,
        handler: || get(crate::help::translating::edit_organization),
    },
    Rule {
        method: Method::POST,
        path: "/admin/hjalp/organisation/oversattning",
        access: Access::Roles(EDITORS),
        menu: None,
        handler: || post(crate::help::translating::submit_organization),
    },
    Rule {
        method: Method::GET,
        path: "/admin/hjalp/oversattning",
        access: Access::Roles(EDITORS),
        menu: None,
        handler: || get(crate::help::translating::edit),
    },
    Rule {
        method: Method::POST,
        path: "/admin/hjalp/oversattning",
        access: Access::Roles(EDITORS),
        menu: None,
        handler: || post(crate::help::translating::submit),
    },
    Rule {
        method: Method::GET,
        path: "/admin/hjalp/tjanst",
        access: Access::Roles(EDITORS),
        menu: None,
        handler: || get(crate::help::editing::edit),
    },
    Rule {
        method: Method::POST,
        path: "/admin/hjalp/tjanst",
        access: Access::Roles(EDITORS),
        menu: None,
        handler: || post(crate::help::editing::submit),
    },
    Rule {
        method: Method::GET,
        path: "/admin/inbjudan/{kod}",
        access: Access::Anyone,
        menu: None,
        handler: || get(crate::auth::invite::invitation),
    },
    Rule {
        method: Method::POST,
        path: "/admin/inbjudan/{kod}",
        access: Access::Anyone,
        menu: None,
        handler: || post(crate::auth::invite::accept),
    },
    Rule {
        method: Method::GET,
        path: "/admin/installningar/arendetyper",
        access: Access::Roles(&[Role::Administrator]),
        menu: Some("Inställningar för ärendetyper"),
        handler: || get(crate::cases::settings::settings_page),
    },
    Rule {
        method: Method::POST,
        path: "/admin/installningar/arendetyper",
        access: Access::Roles(&[Role::Administrator]),
        menu: None,
        handler: || post(crate::cases::settings::save_settings),
    },
    Rule {
        method: Method::GET,
        path: "/admin/konto",
        access: Access::SignedIn,
        menu: Some("Mitt konto"),
        handler: || get(crate::auth::account::account),
    },
    Rule {
        method: Method::POST,
        path: "/admin/konto/aterstallningskoder",
        access: Access::SignedIn,
        menu: None,
        handler: || post(crate::auth::account::renew_codes),
    },
    Rule {
        method: Method::POST,
        path: "/admin/konto/losenord",
        access: Access::SignedIn,
        menu: None,
        handler: || post(crate::auth::account::change_password),
    },
    Rule {
        method: Method::POST,
        path: "/admin/konto/sessioner/avsluta",
        access: Access::SignedIn,
        menu: None,
        handler: || post(crate::auth::account::end_session),
    },
    Rule {
        method: Method::POST,
        path: "/admin/konto/sessioner/avsluta-andra",
        access: Access::SignedIn,
        menu: None,
        handler: || post(crate::auth::account::end_other_sessions),
    },
    Rule {
        method: Method::GET,
        path: "/admin/logg",
        access: Access::Roles(&[Role::Administrator]),
        menu: Some("Granskningslogg"),
        handler: || get(crate::audit::routes::log_page),
    },
    Rule {
        method: Method::GET,
        path: "/admin/logg.csv",
        access: Access::Roles(&[Role::Administrator]),
        menu: None,
        handler: || get(crate::audit::routes::log_csv),
    },
    Rule {
        method: Method::GET,
        path: "/admin/logga-in",
        access: Access::Anyone,
        menu: None,
        handler: || get(crate::auth::routes::sign_in_page),
    },
    Rule {
        method: Method::POST,
        path: "/admin/logga-in",
        access: Access::Anyone,
        menu: None,
        handler: || post(crate::auth::routes::sign_in),
    },
    Rule {
        method: Method::GET,
        path: "/admin/logga-in/kod",
        access: Access::Anyone,
        menu: None,
        handler: || get(crate::auth::routes::start_over),
    },
    Rule {
        method: Method::POST,
        path: "/admin/logga-in/kod",
        access: Access::Anyone,
        menu: None,
        handler: || post(crate::auth::routes::code),
    },
    Rule {
        method: Method::GET,
        path: "/admin/logga-in/registrera",
        access: Access::Anyone,
        menu: None,
        handler: || get(crate::auth::routes::start_over),
    },
    Rule {
        method: Method::POST,
        path: "/admin/logga-in/registrera",
        access: Access::Anyone,
        menu: None,
        handler: || post(crate::auth::routes::enrol),
    },
    Rule {
        method: Method::POST,
        path: "/admin/logga-ut",
        access: Access::SignedIn,
        menu: None,
        handler: || post(crate::auth::routes::sign_out),
    },
    Rule {
        method: Method::GET,
        path: "/admin/nytt-losenord/{kod}",
        access: Access::Anyone,
        menu: None,
        handler: || get(crate::auth::reset::new_password_form),
    },
    Rule {
        method: Method::POST,
        path: "/admin/nytt-losenord/{kod}",
        access: Access::Anyone,
        menu: None,
        handler: || post(crate::auth::reset::new_password),
    },
    Rule {
        method: Method::GET,
        path: "/admin/oversikt",
        access: Access::Roles(HANDLERS),
        menu: Some("Översikt"),
        handler: || get(crate::cases::dashboard::dashboard),
    },
    Rule {
        method: Method::GET,
        path: "/admin/oversikt.csv",
        access: Access::Roles(HANDLERS),
        menu: None,
        handler: || get(crate::cases::dashboard::dashboard_csv),
    },
    Rule {
        method: Method::GET,
        path: "/admin/personal",
        access: Access::Roles(&[Role::Administrator]),
        menu: Some("Personal"),
        handler: || get(crate::auth::personal::list),
    },
    Rule {
        method: Method::GET,
        path: "/admin/personal/bjud-in",
        access: Access::Roles(&[Role::Administrator]),
        menu: None,
        handler: || get(crate::auth::invite::invite_form),
    },
    Rule {
        method: Method::POST,
        path: "/admin/personal/bjud-in",
        access: Access::Roles(&[Role::Administrator]),
        menu: None,
        handler: || post(crate::auth::invite::invite),
    },
    Rule {
        method: Method::GET,
        path: "/admin/personal/{id}",
        access: Access::Roles(&[Role::Administrator]),
        menu: None,
        handler: || get(crate::auth::personal::person),
    },
    Rule {
        method: Method::POST,
        path: "/admin/personal/{id}/ateraktivera",
        access: Access::Roles(&[Role::Administrator]),
        menu: None,
        handler: || post(crate::auth::personal::reactivate),
    },
    Rule {
        method: Method::POST,
        path: "/admin/personal/{id}/ny-inbjudan",
        access: Access::Roles(&[Role::Administrator]),
        menu: None,
        handler: || post(crate::auth::invite::reinvite),
    },
    Rule {
        method: Method::POST,
        path: "/admin/personal/{id}/roller",
        access: Access::Roles(&[Role::Administrator]),
        menu: None,
        handler: || post(crate::auth::personal::set_roles),
    },
    Rule {
        method: Method::POST,
        path: "/admin/personal/{id}/stang-av",
        access: Access::Roles(&[Role::Administrator]),
        menu: None,
        handler: || post(crate::auth::personal::deactivate),
    },
    Rule {
        method: Method::POST,
        path: "/admin/personal/{id}/tvasteg",
        access: Access::Roles(&[Role::Administrator]),
        menu: None,
        handler: || post(crate::auth::personal::reset_second_factor),
    },
    Rule {
        method: Method::POST,
        path: "/admin/sessionen",
        access: Access::SignedIn,
        menu: None,
        handler: || post(crate::auth::routes::keep_alive),
    },
    Rule {
        method: Method::GET,
        path: "/admin/sidor",
        access: Access::Roles(EDITORS),
        menu: Some("Sidor"),
        handler: || get(crate::content::editing::pages),
    },
    Rule {
        method: Method::GET,
        path: "/admin/sidor/oversattning",
        access: Access::Roles(EDITORS),
        menu: None,
        handler: || get(crate::content::translating::edit),
    },
    Rule {
        method: Method::POST,
        path: "/admin/sidor/oversattning",
        access: Access::Roles(EDITORS),
        menu: None,
        handler: || post(crate::content::translating::submit),
    },
    Rule {
        method: Method::GET,
        path: "/admin/sidor/redigera",
        access: Access::Roles(EDITORS),
        menu: None,
        handler: || get(crate::content::editing::edit),
    },
    Rule {
        method: Method::POST,
        path: "/admin/sidor/redigera",
        access: Access::Roles(EDITORS),
        menu: None,
        handler: || post(crate::content::editing::submit),
    },
    Rule {
        method: Method::GET,
        path: "/admin/sidor/version",
        access: Access::Roles(EDITORS),
        menu: None,
        handler: || get(crate::content::revisions::show),
    },
    Rule {
        method: Method::POST,
        path: "/admin/sidor/version",
        access: Access::Roles(EDITORS),
        menu: None,
        handler: || post(crate::content::revisions::restore),
    },
    Rule {
        method: Method::GET,
        path: "/admin/sidor/versioner",
        access: Access::Roles(EDITORS),
        menu: None,
        handler: || get(crate::content::revisions::list),
    },
    Rule {
        method: Method::GET,
        path: "/admin/tillganglighet",
        access: Access::Roles(&[Role::Administrator]),
        menu: Some("Tillgänglighet"),
        handler: || get(crate::content::statement_editing::edit),
    },
    Rule {
        method: Method::POST,
        path: "/admin/tillganglighet",
        access: Access::Roles(&[Role::Administrator]),
        menu: None,
        handler: || post(crate::content::statement_editing::submit),
    },
    Rule {
        method: Method::GET,
        path: "/admin/utkorg",
        access: Access::Roles(&[Role::Administrator]),
        menu: Some("Utkorg"),
        handler: || get(super::outbox::list),
    },
    Rule {
        method: Method::POST,
        path: "/admin/utkorg/{id}/kassera",
        access: Access::Roles(&[Role::Administrator]),
        menu: None,
        handler: || post(super::outbox::discard),
    },
    Rule {
        method: Method::POST,
        path: "/admin/utkorg/{id}/skicka-igen",
        access: Access::Roles(&[Role::Administrator]),
        menu: None,
        handler: || post(super::outbox::resend),
    },
];

/// The rule for a method and a concrete path, if the table has one.
pub fn rule_for(method: &Method, path: &str) -> Option<&'static Rule> {
    TABLE
        .iter()
        .find(|r| r.method == method && matches(r.path, path))
}

/// Whether a concrete path fits a pattern (`{name}` matches one segment).
pub fn matches(pattern: &str, path: &str) -> bool {
    let (mut p, mut q) = (pattern.split('/'), path.split('/'));
    loop {
        match (p.next(), q.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a.starts_with('{') && a.ends_with('}') && !b.is_empty() => {}
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_unique_and_under_admin() {
        let mut seen = std::collections::HashSet::new();
        for pair in TABLE.windows(2) {
            assert!(
                pair[0].path <= pair[1].path,
                "{} before {}",
                pair[0].path,
                pair[1].path
            );
        }
        for rule in TABLE {
            assert!(
                rule.path == "/admin" || rule.path.starts_with("/admin/"),
                "{}",
                rule.path
            );
            assert!(
                seen.insert((rule.method.clone(), rule.path)),
                "twice: {} {}",
                rule.method,
                rule.path
            );
            if rule.menu.is_some() {
                assert_eq!(rule.method, Method::GET, "{}", rule.path);
                assert!(!rule.path.contains('{'), "{}", rule.path);
            }
        }
    }

    #[test]
    fn patterns_match_one_segment_per_parameter() {
        assert!(matches(
            "/admin/arenden/{referens}",
            "/admin/arenden/TG-2026-0001"
        ));
        assert!(!matches("/admin/arenden/{referens}", "/admin/arenden/"));
        assert!(!matches("/admin/arenden/{referens}", "/admin/arenden/a/b"));
        assert!(matches("/admin", "/admin"));
        assert!(!matches("/admin", "/admin/x"));
    }
}
