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

/// A language the interface has a catalogue for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Sv,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Sv, Lang::En];

    /// The BCP 47 tag, also the `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// Writing direction, for the `dir` attribute.
    pub fn dir(self) -> &'static str {
        "ltr"
    }

    /// The URL prefix of the language's pages: none for Swedish.
    pub fn path_prefix(self) -> &'static str {
        match self {
            Lang::Sv => "",
            Lang::En => "/en",
        }
    }

    fn source(self) -> &'static str {
        match self {
            Lang::Sv => include_str!("../../locales/sv/main.ftl"),
            Lang::En => include_str!("../../locales/en/main.ftl"),
        }
    }
}

/// The language a request is answered in. Every page is Swedish until the
/// other languages are published; the extractor is where the path prefix
/// will be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locale(pub Lang);

impl Default for Locale {
    fn default() -> Locale {
        Locale(Lang::Sv)
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Locale {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        _parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Locale::default())
    }
}

pub struct Catalogue {
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
    fn load(lang: &str, source: &str) -> Catalogue {
        let langid: LanguageIdentifier = lang.parse().expect("known language tag");
        let resource = FluentResource::try_new(source.to_owned())
            .unwrap_or_else(|(_, errors)| panic!("locales/{lang}/main.ftl: {errors:?}"));
        let keys: Vec<String> = resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect();
        let mut bundle = FluentBundle::new_concurrent(vec![langid]);
        // Bidi isolation marks around placeables are needed only where
        // right-to-left text meets numbers and names; in left-to-right
        // languages they are invisible characters in copied text and
        // screen-reader output for nothing.
        bundle.set_use_isolating(matches!(lang, "ar" | "fa"));
        bundle
            .add_resource(resource)
            .unwrap_or_else(|errors| panic!("locales/{lang}/main.ftl: {errors:?}"));
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
        Catalogue { bundle, plain }
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
                .map(|lang| (lang, Catalogue::load(lang.code(), lang.source())))
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
}
