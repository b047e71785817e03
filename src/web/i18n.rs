//! The message catalogues: every string the interface shows comes from
//! Fluent files in `locales/`, one catalogue per language, Swedish complete
//! and the others checked to have every Swedish key.
//!
//! A request's language is its [`Locale`]. Swedish lives at `/`; every other
//! language will live under `/{code}/` followed by the Swedish path
//! (`/fi/hjalp`), so one URL names one page in one language and caches,
//! `hreflang` links and the language list stay simple. Today only Swedish
//! is published: every request is Swedish.
//!
//! Messages without arguments are formatted once at start-up, so a page
//! render only does map look-ups.

use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// A language the public site is published in. Swedish is the source
/// text; the others follow it page by page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Sv,
    Fi,
    En,
    Ar,
    Fa,
    So,
    /// Easy-to-read Swedish.
    Lattlast,
}

/// The pages published in every language (Swedish paths). Other pages
/// (the forms, the accessibility statement, the privacy notice) are in
/// Swedish only, and the translated pages say how to get help with them.
pub const TRANSLATED_PATHS: &[&str] = &[
    "/",
    "/hjalp",
    "/orolig-for-nagon",
    "/dolj-ditt-besok",
    "/inte-ensam",
    "/en-manad-fri-fran-vald",
];

impl Lang {
    /// In the order of the language list: Swedish, then Finnish (a
    /// minority language with legal rights in the municipality), then
    /// the others.
    pub const ALL: [Lang; 7] = [
        Lang::Sv,
        Lang::Fi,
        Lang::En,
        Lang::Ar,
        Lang::Fa,
        Lang::So,
        Lang::Lattlast,
    ];

    /// The code in URLs and in the translation tables.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::Fi => "fi",
            Lang::En => "en",
            Lang::Ar => "ar",
            Lang::Fa => "fa",
            Lang::So => "so",
            Lang::Lattlast => "lattlast",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The BCP 47 tag of the `lang` attribute: easy-to-read Swedish is
    /// Swedish to browsers, screen readers and hyphenation.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Lattlast => "sv",
            other => other.code(),
        }
    }

    /// The `hreflang` of links to the language's pages. Easy-to-read
    /// Swedish needs a tag of its own there, or the two Swedish versions
    /// would claim the same one; a private-use subtag keeps it Swedish.
    pub fn hreflang(self) -> &'static str {
        match self {
            Lang::Lattlast => "sv-x-lattlast",
            other => other.code(),
        }
    }

    /// Writing direction, for the `dir` attribute.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar | Lang::Fa => "rtl",
            _ => "ltr",
        }
    }

    /// The language's name in itself, for the language list.
    pub fn autonym(self) -> &'static str {
        match self {
            Lang::Sv => "Svenska",
            Lang::Fi => "Suomi",
            Lang::En => "English",
            Lang::Ar => "العربية",
            Lang::Fa => "فارسی",
            Lang::So => "Soomaali",
            Lang::Lattlast => "Lättläst svenska",
        }
    }

    /// The URL prefix of the language's pages: none for Swedish.
    pub fn path_prefix(self) -> &'static str {
        match self {
            Lang::Sv => "",
            Lang::Fi => "/fi",
            Lang::En => "/en",
            Lang::Ar => "/ar",
            Lang::Fa => "/fa",
            Lang::So => "/so",
            Lang::Lattlast => "/lattlast",
        }
    }

    /// Where the Swedish page at `path` is in this language: `/` becomes
    /// `/fi/`, `/hjalp` `/fi/hjalp`. Only for [`TRANSLATED_PATHS`]; other
    /// paths stay as they are (their pages are Swedish only).
    pub fn url(self, path: &str) -> String {
        if self == Lang::Sv || !is_translated(path_only(path)) {
            return path.to_owned();
        }
        format!("{}{path}", self.path_prefix())
    }

    /// The language of a request path and the Swedish path it names:
    /// `/fi/hjalp` is Finnish `/hjalp`, `/fi/` and `/fi` Finnish `/`.
    pub fn of_path(path: &str) -> (Lang, &str) {
        for lang in Lang::ALL.into_iter().skip(1) {
            if let Some(rest) = path.strip_prefix(lang.path_prefix()) {
                if rest.is_empty() {
                    return (lang, "/");
                }
                if rest.starts_with('/') {
                    return (lang, rest);
                }
            }
        }
        (Lang::Sv, path)
    }

    fn source(self) -> &'static str {
        match self {
            Lang::Sv => include_str!("../../locales/sv/main.ftl"),
            Lang::Fi => include_str!("../../locales/fi/main.ftl"),
            Lang::En => include_str!("../../locales/en/main.ftl"),
            Lang::Ar => include_str!("../../locales/ar/main.ftl"),
            Lang::Fa => include_str!("../../locales/fa/main.ftl"),
            Lang::So => include_str!("../../locales/so/main.ftl"),
            Lang::Lattlast => include_str!("../../locales/lattlast/main.ftl"),
        }
    }
}

/// A language a text (a page, a service) can be translated into, beside
/// Swedish (the source).
/// The code is the one in the URL and in the translation tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranslationLang {
    Fi,
    En,
    Ar,
    Fa,
    So,
    /// Easy-to-read Swedish.
    Lattlast,
}

impl TranslationLang {
    pub const ALL: [TranslationLang; 6] = [
        TranslationLang::Fi,
        TranslationLang::En,
        TranslationLang::Ar,
        TranslationLang::Fa,
        TranslationLang::So,
        TranslationLang::Lattlast,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TranslationLang::Fi => "fi",
            TranslationLang::En => "en",
            TranslationLang::Ar => "ar",
            TranslationLang::Fa => "fa",
            TranslationLang::So => "so",
            TranslationLang::Lattlast => "lattlast",
        }
    }

    pub fn from_code(code: &str) -> Option<TranslationLang> {
        TranslationLang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language a translation is for; `None` for Swedish, the source.
    pub fn of(lang: Lang) -> Option<TranslationLang> {
        TranslationLang::from_code(lang.code())
    }

    /// The language's name in Swedish, for the back office.
    pub fn swedish_name(self) -> &'static str {
        match self {
            TranslationLang::Fi => "Finska",
            TranslationLang::En => "Engelska",
            TranslationLang::Ar => "Arabiska",
            TranslationLang::Fa => "Persiska",
            TranslationLang::So => "Somaliska",
            TranslationLang::Lattlast => "Lättläst svenska",
        }
    }

    /// The `lang` attribute of text in the language.
    pub fn html_lang(self) -> &'static str {
        match self {
            TranslationLang::Lattlast => "sv",
            other => other.code(),
        }
    }

    /// The `dir` attribute: Arabic and Persian run right to left.
    pub fn dir(self) -> &'static str {
        match self {
            TranslationLang::Ar | TranslationLang::Fa => "rtl",
            _ => "ltr",
        }
    }
}

/// The texts that exist only in Swedish: forms, the accessibility
/// statement, e-mail and the staff pages.
const SWEDISH_ONLY: &str = include_str!("../../locales/sv/forms.ftl");

/// A Swedish path (query and fragment cut off) is published in every
/// language.
pub fn is_translated(path: &str) -> bool {
    TRANSLATED_PATHS.contains(&path)
}

fn path_only(href: &str) -> &str {
    href.split(['?', '#']).next().unwrap_or(href)
}

/// Wraps each number that has spaces, dashes or colons inside ("114 14",
/// "08-580 285 00", "09:00–17:00") in Unicode isolation marks (LRI … PDI),
/// so right-to-left text shows it in its own order instead of as reversed
/// pieces. The marks are characters, not markup, so they survive the safe
/// Markdown's allow-list; screen readers skip them.
pub fn isolate_numbers(text: &str) -> String {
    const SEPARATORS: [char; 7] = [' ', '\u{a0}', '-', '\u{2013}', ':', '.', '/'];
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit));
        if !starts {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let mut end = i + 1;
        let mut separated = false;
        while end < chars.len() {
            if chars[end].is_ascii_digit() {
                end += 1;
            } else if SEPARATORS.contains(&chars[end])
                && chars.get(end + 1).is_some_and(char::is_ascii_digit)
            {
                separated = true;
                end += 2;
            } else {
                break;
            }
        }
        let run: String = chars[i..end].iter().collect();
        if separated {
            out.push('\u{2066}');
            out.push_str(&run);
            out.push('\u{2069}');
        } else {
            out.push_str(&run);
        }
        i = end;
    }
    out
}

/// The language a request is answered in, read from its path's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locale(pub Lang);

impl Default for Locale {
    fn default() -> Locale {
        Locale(Lang::Sv)
    }
}

impl Locale {
    pub fn of_uri(uri: &axum::http::Uri) -> Locale {
        Locale(Lang::of_path(uri.path()).0)
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Locale {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Locale::of_uri(&parts.uri))
    }
}

pub struct Catalogue {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
    plain: HashMap<String, String>,
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogue")
            .field("messages", &self.plain.len())
            .finish()
    }
}

impl Catalogue {
    fn load(lang: Lang) -> Catalogue {
        let code = lang.code();
        // Fluent's plural rules need a real language: easy-to-read Swedish
        // counts like Swedish.
        let langid: LanguageIdentifier = lang.html_lang().parse().expect("known language tag");
        // Every catalogue carries the Swedish-only texts too: a Swedish
        // word on a translated page is better than a message id, though
        // the completeness test keeps the translated pages to their own.
        let sources = [lang.source(), SWEDISH_ONLY];
        let mut bundle = FluentBundle::new_concurrent(vec![langid]);
        let mut keys: Vec<String> = Vec::new();
        for source in sources {
            let resource = FluentResource::try_new(source.to_owned())
                .unwrap_or_else(|(_, errors)| panic!("locales/{code}: {errors:?}"));
            keys.extend(resource.entries().filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            }));
            bundle
                .add_resource(resource)
                .unwrap_or_else(|errors| panic!("locales/{code}: {errors:?}"));
        }
        // Bidi isolation marks around placeables are needed only where
        // right-to-left text meets numbers and names; in left-to-right
        // languages they are invisible characters in copied text and
        // screen-reader output for nothing.
        bundle.set_use_isolating(lang.dir() == "rtl");
        let mut plain = HashMap::new();
        for key in keys {
            let msg = bundle.get_message(&key).expect("just added");
            if let Some(pattern) = msg.value() {
                let mut errors = vec![];
                let text = bundle.format_pattern(pattern, None, &mut errors);
                if errors.is_empty() {
                    plain.insert(key, text.into_owned());
                }
            }
        }
        Catalogue {
            lang,
            bundle,
            plain,
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// `text` (written by editors) ready for this language's direction:
    /// in right-to-left languages numbers with spaces keep their order
    /// (see [`isolate_numbers`]).
    pub fn directional(&self, text: &str) -> String {
        if self.lang.dir() == "rtl" {
            isolate_numbers(text)
        } else {
            text.to_owned()
        }
    }

    /// A message without arguments. A missing key shows the key itself,
    /// which the completeness test keeps from ever reaching production.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.plain.get(key).map(String::as_str).unwrap_or(key)
    }

    /// Whether the catalogue has this message (with or without arguments).
    pub fn has(&self, key: &str) -> bool {
        self.bundle.has_message(key)
    }

    /// A message without arguments, if the catalogue has it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.plain.get(key).map(String::as_str)
    }

    /// A message with arguments, for HTML text. In right-to-left languages
    /// placeables keep Fluent's bidi isolation so numbers and names read
    /// right.
    pub fn t_args(&self, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let Some(pattern) = self.bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = vec![];
        self.bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    }

    /// Like [`Catalogue::t_args`] but without the invisible isolation marks,
    /// for attribute values, which must never carry formatting characters.
    pub fn t_attr(&self, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        self.t_args(key, args).replace(['\u{2068}', '\u{2069}'], "")
    }

    #[cfg(test)]
    fn keys(&self) -> impl Iterator<Item = &str> {
        self.plain.keys().map(String::as_str)
    }
}

/// Every language's catalogue.
#[derive(Debug)]
pub struct I18n {
    catalogues: Vec<(Lang, Catalogue)>,
}

impl I18n {
    pub fn load() -> I18n {
        I18n {
            catalogues: Lang::ALL
                .into_iter()
                .map(|lang| (lang, Catalogue::load(lang)))
                .collect(),
        }
    }

    pub fn catalogue(&self, lang: Lang) -> &Catalogue {
        self.catalogues
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, c)| c)
            .expect("every language has a catalogue")
    }
}

/// Message ids in a Fluent source, with or without arguments.
#[cfg(test)]
fn message_ids(source: &str) -> Vec<String> {
    let resource = FluentResource::try_new(source.to_owned()).expect("parses");
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_swedish_key_exists_in_every_language() {
        let sv = message_ids(Lang::Sv.source());
        assert!(sv.len() > 50, "Swedish catalogue looks incomplete");
        for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::Sv) {
            let other = message_ids(lang.source());
            let missing: Vec<_> = sv.iter().filter(|k| !other.contains(k)).collect();
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
            let extra: Vec<_> = other.iter().filter(|k| !sv.contains(k)).collect();
            assert!(
                extra.is_empty(),
                "{lang:?} has keys Swedish lacks: {extra:?}"
            );
        }
    }

    #[test]
    fn all_messages_format_without_errors() {
        let i18n = I18n::load();
        let sv = i18n.catalogue(Lang::Sv);
        assert_eq!(sv.t("exit-button"), "Lämna sidan snabbt");
        assert!(sv.keys().count() > 50);
        let text = sv.t_attr("exit-progress", &[("remaining", 2.into())]);
        assert!(text.contains('2') && !text.contains('\u{2068}'));
        // Swedish text carries no invisible isolation marks at all.
        let text = sv.t_args("help-count", &[("count", 11.into())]);
        assert!(!text.contains(['\u{2068}', '\u{2069}']), "{text:?}");
    }

    #[test]
    fn every_language_formats_its_counts_and_hours() {
        let i18n = I18n::load();
        for lang in Lang::ALL {
            let t = i18n.catalogue(lang);
            // Arabic writes none, one and two in words.
            for count in [0, 1, 2] {
                let text = t.t_args("help-count", &[("count", count.into())]);
                assert!(!text.is_empty() && text != "help-count", "{lang:?} {count}");
            }
            for count in [3, 11, 100] {
                let text = t.t_args("help-count", &[("count", count.into())]);
                assert!(
                    text.contains(&count.to_string()),
                    "{lang:?} {count}: {text}"
                );
            }
            let text = t.t_args("status-open-until", &[("time", "22:00".into())]);
            assert!(text.contains("22:00"), "{lang:?}: {text}");
            // Right-to-left text isolates what it puts in, so a time or a
            // number keeps its own direction; left-to-right text does not.
            assert_eq!(
                text.contains('\u{2068}'),
                lang.dir() == "rtl",
                "{lang:?}: {text:?}"
            );
            assert_ne!(t.t("exit-button"), "exit-button", "{lang:?}");
        }
    }

    #[test]
    fn numbers_keep_their_order_in_right_to_left_text() {
        assert_eq!(
            isolate_numbers("اتصل بـ 114 14 أو 08-580 285 00، من 09:00–17:00."),
            "اتصل بـ \u{2066}114 14\u{2069} أو \u{2066}08-580 285 00\u{2069}، من \u{2066}09:00–17:00\u{2069}."
        );
        // A number without separators needs nothing; a trailing dot is not
        // part of the number.
        assert_eq!(isolate_numbers("112. +46 8"), "112. \u{2066}+46 8\u{2069}");
        assert_eq!(isolate_numbers("inga siffror"), "inga siffror");
    }

    #[test]
    fn paths_name_their_language() {
        assert_eq!(Lang::of_path("/"), (Lang::Sv, "/"));
        assert_eq!(Lang::of_path("/hjalp"), (Lang::Sv, "/hjalp"));
        assert_eq!(Lang::of_path("/fi/hjalp"), (Lang::Fi, "/hjalp"));
        assert_eq!(Lang::of_path("/fi/"), (Lang::Fi, "/"));
        assert_eq!(Lang::of_path("/fi"), (Lang::Fi, "/"));
        assert_eq!(
            Lang::of_path("/lattlast/inte-ensam"),
            (Lang::Lattlast, "/inte-ensam")
        );
        // A Swedish path that merely begins like a prefix stays Swedish.
        assert_eq!(Lang::of_path("/finska"), (Lang::Sv, "/finska"));
        assert_eq!(Lang::of_path("/ensam"), (Lang::Sv, "/ensam"));
        assert_eq!(
            Lang::of_path("/en-manad-fri-fran-vald"),
            (Lang::Sv, "/en-manad-fri-fran-vald")
        );
        assert_eq!(Lang::Ar.url("/"), "/ar/");
        assert_eq!(Lang::Ar.url("/hjalp?for=barn"), "/ar/hjalp?for=barn");
        assert_eq!(
            Lang::Ar.url("/orolig-for-nagon#tecken"),
            "/ar/orolig-for-nagon#tecken"
        );
        assert_eq!(Lang::Ar.url("/kontakt"), "/kontakt");
        assert_eq!(Lang::Sv.url("/hjalp"), "/hjalp");
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
            for path in TRANSLATED_PATHS {
                assert_eq!(Lang::of_path(&lang.url(path)), (lang, *path));
            }
        }
    }
}
