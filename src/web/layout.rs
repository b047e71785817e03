//! The frames pages are drawn in, as plain data for the templates: the
//! public frame (quick exit, help box, municipality footer) and the staff
//! frame (no quick exit, no help box). Domains fill in their content; the
//! frame knows no domain.

use std::sync::{Arc, RwLock};

use chrono::NaiveDate;

use super::format;
use super::i18n::{Catalogue, I18n, Lang, Locale};
use super::state::AppState;
use crate::config::Municipality;

pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// One line in the help box: a featured service's first public number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLine {
    pub name: String,
    /// As people write it, with non-breaking spaces.
    pub number: String,
    pub href: String,
    pub always_open: bool,
}

/// The help lines every public page shows, kept in memory and replaced
/// whole when the directory changes, so the numbers are there even when
/// the database is not.
#[derive(Default)]
pub struct HelpBox(RwLock<Arc<Vec<HelpLine>>>);

impl HelpBox {
    pub fn lines(&self) -> Arc<Vec<HelpLine>> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn replace(&self, lines: Vec<HelpLine>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(lines);
    }
}

/// What a public page says about itself.
pub struct PageInfo<'a> {
    /// The page's own path, for the navigation and the report link; empty
    /// for pages that are not a place of their own (errors, receipts).
    pub path: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// "Senast uppdaterad", when the page has such a date.
    pub updated: Option<NaiveDate>,
}

pub struct PublicLayout {
    i18n: Arc<I18n>,
    locale: Lang,
    pub lang: &'static str,
    pub dir: &'static str,
    pub title: String,
    /// The page's h1 when it differs from the title (e.g. "Fel: " prefix).
    pub heading: Option<String>,
    pub description: String,
    /// The stylesheet and the quick-exit script, inlined: nothing of the
    /// site stays in the browser's cache, and the first load is one request.
    /// Allowed by their hashes in the CSP.
    pub css: &'static str,
    pub js: &'static str,
    pub icon_url: String,
    pub nav: Vec<NavItem>,
    pub municipality: Municipality,
    pub municipality_phone: String,
    pub municipality_phone_href: String,
    pub help_lines: Arc<Vec<HelpLine>>,
    pub help_box_first: bool,
    /// ISO date and its text.
    pub updated: Option<(String, String)>,
    pub exit_progress_2: String,
    pub exit_progress_1: String,
    /// The accessibility report form, with this page filled in.
    pub report_href: String,
}

const NAV: &[(&str, &str)] = &[
    ("/", "nav-start"),
    ("/hjalp", "nav-help"),
    ("/orolig-for-nagon", "nav-worried"),
    ("/inte-ensam", "nav-not-alone"),
    ("/en-manad-fri-fran-vald", "nav-month"),
];

impl PublicLayout {
    pub fn new(state: &AppState, locale: Locale, page: PageInfo<'_>) -> PublicLayout {
        let t = state.i18n.catalogue(locale.0);
        let municipality = state.config.municipality.clone();
        PublicLayout {
            i18n: state.i18n.clone(),
            locale: locale.0,
            lang: locale.0.code(),
            dir: locale.0.dir(),
            title: page.title.to_owned(),
            heading: None,
            description: page.description.to_owned(),
            css: state.assets.inline_css(),
            js: state.assets.inline_js(),
            icon_url: state.assets.url(super::assets::Name::Icon).to_owned(),
            nav: NAV
                .iter()
                .map(|(href, key)| NavItem {
                    href,
                    label: t.t(key).to_owned(),
                    current: *href == page.path,
                })
                .collect(),
            municipality_phone: municipality.phone.display().to_owned(),
            municipality_phone_href: municipality.phone.tel_href(),
            municipality,
            help_lines: state.help_box.lines(),
            // Where people look for help first, the numbers come before the text.
            help_box_first: page.path == "/" || page.path == "/hjalp",
            updated: page.updated.map(|d| (d.to_string(), format::date(t, d))),
            exit_progress_2: t.t_attr("exit-progress", &[("remaining", 2.into())]),
            exit_progress_1: t.t_attr("exit-progress", &[("remaining", 1.into())]),
            report_href: if page.path.is_empty() {
                "/tillganglighet/rapportera".to_owned()
            } else {
                format!(
                    "/tillganglighet/rapportera?sida={}",
                    url::form_urlencoded::byte_serialize(page.path.as_bytes()).collect::<String>()
                )
            },
        }
    }

    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.catalogue().t(key)
    }

    pub fn catalogue(&self) -> &Catalogue {
        self.i18n.catalogue(self.locale)
    }
}

/// The staff frame: Fridhem's name and the staff navigation; no quick exit
/// and no help box, never indexed.
pub struct AdminLayout {
    i18n: Arc<I18n>,
    locale: Lang,
    pub lang: &'static str,
    pub dir: &'static str,
    pub title: String,
    pub css: &'static str,
    pub icon_url: String,
    /// The signed-in person's name and the CSRF token for "Logga ut".
    pub signed_in: Option<(String, String)>,
    pub script_url: String,
    pub style_url: String,
    /// Seconds after which a page warns that the session will end, and
    /// after which it has ended (see assets/admin.js).
    pub warn_after: i64,
    pub ends_after: i64,
}

impl AdminLayout {
    pub fn new(state: &AppState, locale: Locale, title: &str) -> AdminLayout {
        AdminLayout {
            i18n: state.i18n.clone(),
            locale: locale.0,
            lang: locale.0.code(),
            dir: locale.0.dir(),
            title: title.to_owned(),
            css: state.assets.inline_css(),
            icon_url: state.assets.url(super::assets::Name::Icon).to_owned(),
            signed_in: None,
            script_url: state.assets.url(super::assets::Name::Admin).to_owned(),
            style_url: state.assets.url(super::assets::Name::AdminCss).to_owned(),
            warn_after: 0,
            ends_after: 0,
        }
    }

    /// Shows `name` in the header with a "Logga ut" button carrying `csrf`,
    /// and a warning two minutes before the session ends for lack of use
    /// (`idle_seconds` after the last request; a minute is kept in hand
    /// because the server notes use at most once a minute).
    pub fn signed_in(mut self, name: &str, csrf: String, idle_seconds: i64) -> AdminLayout {
        self.signed_in = Some((name.to_owned(), csrf));
        self.ends_after = (idle_seconds - 60).max(60);
        self.warn_after = (self.ends_after - 120).max(30);
        self
    }

    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.i18n.catalogue(self.locale).t(key)
    }
}
