//! The frames pages are drawn in, as plain data for the templates: the
//! public frame (quick exit, help box, municipality footer) and the staff
//! frame (no quick exit, no help box). Domains fill in their content; the
//! frame knows no domain.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::NaiveDate;

use super::format;
use super::i18n::{self, Catalogue, I18n, Lang, Locale};
use super::state::AppState;
use crate::config::Municipality;

pub struct NavItem {
    pub href: String,
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

/// The help lines every public page shows, in every language, kept in
/// memory and replaced whole when the directory changes, so the numbers
/// are there even when the database is not.
#[derive(Default)]
pub struct HelpBox(RwLock<HashMap<Lang, Arc<Vec<HelpLine>>>>);

impl HelpBox {
    /// The lines in `lang`; the Swedish ones if that language has none.
    pub fn lines(&self, lang: Lang) -> Arc<Vec<HelpLine>> {
        let lines = self.0.read().unwrap_or_else(|e| e.into_inner());
        lines
            .get(&lang)
            .or_else(|| lines.get(&Lang::Sv))
            .cloned()
            .unwrap_or_default()
    }

    pub fn replace(&self, lines: HashMap<Lang, Vec<HelpLine>>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) =
            lines.into_iter().map(|(l, v)| (l, Arc::new(v))).collect();
    }
}

/// Kvinnofridslinjen's number, for the sentence on every translated page
/// that it connects an interpreter. The help box's line is used when the
/// directory has it; this is the number it has had since 2007.
const KVINNOFRIDSLINJEN: (&str, &str) = ("020-50\u{a0}50\u{a0}50", "tel:+4620505050");

/// A sentence as HTML with `number` in it made a phone link that keeps
/// left-to-right order inside right-to-left text.
fn with_number_link(sentence: &str, number: &str, href: &str) -> String {
    let sentence = format::escape_html(sentence);
    let number = format::escape_html(number);
    let link = format!(r#"<a href="{href}" dir="ltr">{number}</a>"#);
    sentence.replacen(&number, &link, 1)
}

/// One entry of the language list: the page in another language.
pub struct LanguageLink {
    pub href: String,
    pub name: &'static str,
    pub lang: &'static str,
    pub hreflang: &'static str,
    pub dir: &'static str,
    pub current: bool,
}

/// How a page in another language than Swedish stands to its Swedish text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranslationState {
    /// Swedish, or a page that exists only in Swedish.
    Source,
    /// Translated, following the current Swedish text (or not), reviewed
    /// by a native speaker (or not).
    Translated { behind: bool, reviewed: bool },
    /// No translation yet: the Swedish text is shown with a notice.
    Fallback,
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
    /// Whether the text is a translation, and how current.
    pub translation: TranslationState,
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
    /// Links within the site, in the page's language where the page
    /// exists in it.
    pub home_href: String,
    pub help_href: String,
    pub hide_visit_href: String,
    /// The same page in every language, the current one marked.
    pub languages: Vec<LanguageLink>,
    /// `hreflang` alternates (absolute addresses): only pages that exist in
    /// every language.
    pub alternates: Vec<(&'static str, String)>,
    pub translation: TranslationState,
    /// The Swedish page, for the "changed" notice.
    pub swedish_href: String,
    /// How to reach the municipality in this language, and that
    /// Kvinnofridslinjen connects an interpreter (not on Swedish pages).
    pub contact_language: Option<(String, String)>,
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
        let lang = locale.0;
        let t = state.i18n.catalogue(lang);
        let municipality = state.config.municipality.clone();
        let translated = i18n::is_translated(page.path);
        let help_lines = state.help_box.lines(lang);
        let contact_language = (lang != Lang::Sv).then(|| {
            let kvinnofrid = help_lines
                .iter()
                .find(|l| l.href == KVINNOFRIDSLINJEN.1)
                .map(|l| (l.number.as_str(), l.href.as_str()))
                .unwrap_or(KVINNOFRIDSLINJEN);
            let phone = municipality.phone.display();
            (
                with_number_link(
                    &t.t_args("contact-language", &[("phone", phone.into())]),
                    phone,
                    &municipality.phone.tel_href(),
                ),
                with_number_link(
                    &t.t_args(
                        "contact-language-kvinnofridslinjen",
                        &[("number", kvinnofrid.0.into())],
                    ),
                    kvinnofrid.0,
                    kvinnofrid.1,
                ),
            )
        });
        PublicLayout {
            i18n: state.i18n.clone(),
            locale: lang,
            lang: lang.html_lang(),
            dir: lang.dir(),
            title: page.title.to_owned(),
            heading: None,
            description: page.description.to_owned(),
            css: state.assets.inline_css(),
            js: state.assets.inline_js(),
            icon_url: state.assets.url(super::assets::Name::Icon).to_owned(),
            nav: NAV
                .iter()
                .map(|(href, key)| NavItem {
                    href: lang.url(href),
                    label: t.t(key).to_owned(),
                    current: *href == page.path,
                })
                .collect(),
            municipality_phone: municipality.phone.display().to_owned(),
            municipality_phone_href: municipality.phone.tel_href(),
            municipality,
            help_lines,
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
                    url::form_urlencoded::byte_serialize(lang.url(page.path).as_bytes())
                        .collect::<String>()
                )
            },
            home_href: lang.url("/"),
            help_href: lang.url("/hjalp"),
            hide_visit_href: lang.url("/dolj-ditt-besok"),
            languages: Lang::ALL
                .into_iter()
                .map(|other| LanguageLink {
                    // A page in Swedish only leads to the other language's
                    // start page.
                    href: other.url(if translated { page.path } else { "/" }),
                    name: other.autonym(),
                    lang: other.html_lang(),
                    hreflang: other.hreflang(),
                    dir: other.dir(),
                    current: other == lang,
                })
                .collect(),
            // Absolute, as search engines (and Lighthouse) require.
            alternates: if translated {
                let base = state.config.server.base_url.as_str().trim_end_matches('/');
                Lang::ALL
                    .into_iter()
                    .map(|other| (other.hreflang(), format!("{base}{}", other.url(page.path))))
                    .chain([("x-default", format!("{base}{}", page.path))])
                    .collect()
            } else {
                vec![]
            },
            translation: if lang == Lang::Sv {
                TranslationState::Source
            } else {
                page.translation
            },
            swedish_href: if translated {
                page.path.to_owned()
            } else {
                "/".to_owned()
            },
            contact_language,
        }
    }

    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.catalogue().t(key)
    }

    /// The Swedish text is shown in place of a missing translation.
    pub fn is_fallback(&self) -> bool {
        self.translation == TranslationState::Fallback
    }

    /// The translation follows an older Swedish text.
    pub fn is_behind(&self) -> bool {
        matches!(
            self.translation,
            TranslationState::Translated { behind: true, .. }
        )
    }

    /// The translation has not been checked by a native speaker.
    pub fn not_reviewed(&self) -> bool {
        matches!(
            self.translation,
            TranslationState::Translated {
                reviewed: false,
                ..
            }
        )
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
