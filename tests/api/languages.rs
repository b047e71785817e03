//! The public site in seven languages (issue 14): Swedish at `/`, the
//! others under `/fi/`, `/en/`, `/ar/`, `/fa/`, `/so/` and `/lattlast/`,
//! each page with `lang` and `dir`, complete `hreflang` alternates that
//! answer 200, the language list, the frame in the reader's language, and
//! the Swedish text with a notice where a translation is missing. Both
//! databases.

use std::collections::BTreeSet;

use fridhem::web::i18n::{I18n, Lang, TRANSLATED_PATHS};

use crate::helpers::TestApp;

/// Every `href` of `<link rel="alternate">` with its `hreflang`.
fn alternates(html: &str) -> Vec<(String, String)> {
    html.match_indices("<link rel=\"alternate\" hreflang=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            let (lang, rest) = rest.split_once('"').unwrap();
            let rest = rest.strip_prefix(" href=\"").unwrap();
            let (href, _) = rest.split_once('"').unwrap();
            (lang.to_owned(), href.to_owned())
        })
        .collect()
}

fn opening_html_tag(html: &str) -> &str {
    let start = html.find("<html").unwrap();
    &html[start..start + html[start..].find('>').unwrap() + 1]
}

async fn every_page_answers_in_every_language(app: &TestApp) {
    let i18n = I18n::load();
    let mut targets = BTreeSet::new();
    for lang in Lang::ALL {
        let t = i18n.catalogue(lang);
        for path in TRANSLATED_PATHS {
            let url = lang.url(path);
            let (status, html) = app.get_text(&url).await;
            assert_eq!(status, 200, "{url}");
            assert_eq!(
                opening_html_tag(&html),
                format!(
                    "<html lang=\"{}\" dir=\"{}\">",
                    lang.html_lang(),
                    lang.dir()
                ),
                "{url}"
            );
            // Alternates: every language once, and x-default (Swedish), as
            // absolute addresses on the site's base URL.
            let alt = alternates(&html);
            let mut expected: Vec<(String, String)> = Lang::ALL
                .iter()
                .map(|l| (l.hreflang().to_owned(), app.url(&l.url(path))))
                .collect();
            expected.push(("x-default".to_owned(), app.url(path)));
            assert_eq!(alt, expected, "{url}");
            targets.extend(alt.into_iter().map(|(_, href)| href));
            // The language list names every language in itself and leads
            // to this page in it.
            for other in Lang::ALL {
                let link = format!(
                    "<a href=\"{}\" lang=\"{}\" hreflang=\"{}\" dir=\"{}\"{}>{}</a>",
                    other.url(path),
                    other.html_lang(),
                    other.hreflang(),
                    other.dir(),
                    if other == lang {
                        " aria-current=\"true\""
                    } else {
                        ""
                    },
                    other.autonym()
                );
                assert!(html.contains(&link), "{url}: {link}");
            }
            // The frame is in the reader's language.
            for key in [
                "exit-button",
                "help-box-title",
                "skip-to-content",
                "nav-help",
            ] {
                assert!(html.contains(t.t(key)), "{url}: {key}");
            }
            assert!(
                html.contains(&format!(
                    "href=\"{}\">{}<",
                    lang.url("/hjalp"),
                    t.t("help-box-more")
                )),
                "{url}: the help box leads to the directory in the language"
            );
            if lang == Lang::Sv {
                assert!(!html.contains("class=\"contact-language\""), "{url}");
                assert!(!html.contains("class=\"translation-note\""), "{url}");
            } else {
                // How to reach the municipality, and Kvinnofridslinjen's
                // interpreter, as phone links that stay left to right.
                assert!(html.contains(t.t("contact-language-title")), "{url}");
                assert!(
                    html.contains(
                        "<a href=\"tel:+4620505050\" dir=\"ltr\">020-50\u{a0}50\u{a0}50</a>"
                    ),
                    "{url}"
                );
                // The demo texts have not been reviewed by native speakers.
                assert!(html.contains(t.t("translation-not-reviewed")), "{url}");
                assert!(!html.contains(t.t("language-fallback")), "{url}");
                assert!(!html.contains(t.t("translation-behind")), "{url}");
            }
        }
    }
    for href in targets {
        let r = reqwest::get(&href).await.unwrap();
        assert_eq!(r.status(), 200, "alternate {href}");
    }
}

async fn other_addresses_in_a_language(app: &TestApp) {
    let i18n = I18n::load();
    // `/fi` is the Finnish start page without its slash.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = client.get(app.url("/fi")).send().await.unwrap();
    assert_eq!(r.status(), 301);
    assert_eq!(r.headers()["location"], "/fi/");

    // Forms exist in Swedish only: in Finnish such an address is a Finnish
    // "not found" page, with the Finnish help box.
    for (url, lang) in [("/fi/kontakt", Lang::Fi), ("/ar/finns-inte", Lang::Ar)] {
        let (status, html) = app.get_text(url).await;
        assert_eq!(status, 404, "{url}");
        assert_eq!(
            opening_html_tag(&html),
            format!(
                "<html lang=\"{}\" dir=\"{}\">",
                lang.html_lang(),
                lang.dir()
            )
        );
        let t = i18n.catalogue(lang);
        assert!(html.contains(t.t("help-box-title")), "{url}");
        assert!(html.contains(t.t("exit-button")), "{url}");
        assert!(
            alternates(&html).is_empty(),
            "{url}: no alternates for an error"
        );
    }
    // A page in Swedish only has no alternates; its language list leads to
    // each language's start page.
    let (_, html) = app.get_text("/kontakt").await;
    assert!(alternates(&html).is_empty());
    assert!(html.contains("<a href=\"/so/\" lang=\"so\" hreflang=\"so\" dir=\"ltr\">Soomaali</a>"));
    // A Swedish path that merely starts like a language is Swedish.
    assert_eq!(app.get("/en-manad-fri-fran-vald").await.status(), 200);
    assert_eq!(app.get("/finska").await.status(), 404);

    // Links inside a translated text lead to the pages in its language;
    // links to Swedish-only pages stay, marked as Swedish.
    let (_, html) = app.get_text("/en/").await;
    assert!(html.contains("href=\"/en/hjalp\""));
    assert!(html.contains("href=\"/kontakt\" hreflang=\"sv\""));
}

async fn a_page_without_somali_text_is_shown_in_swedish(app: &TestApp) {
    let i18n = I18n::load();
    let so = i18n.catalogue(Lang::So);
    fridhem::on_pool!(&app.db, |p| sqlx::query(
        "DELETE FROM page_translations WHERE path = '/inte-ensam' AND lang = 'so'"
    )
    .execute(p)
    .await
    .map(|_| ()))
    .unwrap();
    let (status, html) = app.get_text("/so/inte-ensam").await;
    assert_eq!(status, 200);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"so\" dir=\"ltr\">"));
    // The notice in Somali, then the Swedish page marked as Swedish.
    let notice = format!(
        "<p class=\"notice notice--language\">{}</p>\n<div lang=\"sv\" dir=\"ltr\">\n",
        so.t("language-fallback")
    );
    let at = html
        .find(&notice)
        .expect("the Somali notice before the Swedish text");
    assert!(html[at..].contains("<h1>Inte ensam</h1>"));
    // The help box, the quick exit and the contact sentence stay Somali.
    for key in ["help-box-title", "exit-button", "contact-language-title"] {
        assert!(html.contains(so.t(key)), "{key}");
    }
    // No "not reviewed" marker for a text that is not a translation.
    assert!(!html.contains(so.t("translation-not-reviewed")));
    // Other Somali pages are unaffected.
    let (_, start) = app.get_text("/so/").await;
    assert!(!start.contains(so.t("language-fallback")));

    // A service without Somali text keeps its Swedish words, marked.
    fridhem::on_pool!(&app.db, |p| sqlx::query(
        "DELETE FROM service_translations WHERE lang = 'so' AND service_id = \
         (SELECT id FROM services WHERE key = 'bris-116111')"
    )
    .execute(p)
    .await
    .map(|_| ()))
    .unwrap();
    let (_, html) = app.get_text("/so/hjalp").await;
    assert!(html.contains("<h3 class=\"service__name\" lang=\"sv\">BRIS</h3>"));
    assert!(
        html.contains("<p class=\"service__description\" lang=\"sv\">För dig som är under 18 år")
    );
}

async fn the_directory_reads_right_to_left(app: &TestApp) {
    let (_, html) = app.get_text("/ar/hjalp").await;
    // Numbers inside Arabic text keep their order; number links are
    // left to right; filters stay in Arabic.
    assert!(html.contains("\u{2066}114 14\u{2069}"), "isolated number");
    assert!(
        html.contains("<a class=\"phone__number\" href=\"tel:11414\" dir=\"ltr\">114\u{a0}14</a>")
    );
    assert!(html.contains("href=\"/ar/hjalp?for=granne\""));
    assert!(
        !html.contains("class=\"service__name\" lang=\"sv\""),
        "every service has Arabic text"
    );
    let (_, sv) = app.get_text("/hjalp").await;
    assert!(
        !sv.contains('\u{2066}'),
        "Swedish text has no isolation marks"
    );
}

crate::db_tests!(
    every_page_answers_in_every_language,
    other_addresses_in_a_language,
    a_page_without_somali_text_is_shown_in_swedish,
    the_directory_reads_right_to_left,
);
