//! Safe Markdown: what an editor writes becomes HTML from a short
//! allow-list, so nothing written in the back office can run script on a
//! public page, with or without the CSP.
//!
//! Allowed: headings (`##` to `######`; the page title is the only h1),
//! paragraphs and line breaks, lists, links, emphasis (`*`, `**`) and
//! tables. Links go to `http:`, `https:`, `mailto:` and `tel:` addresses,
//! to local paths (`/hjalp`) and to places on the same page (`#svar`);
//! every other link loses its address and stays as text. Every other tag
//! (raw HTML, images, code, quotes, rules) is removed with its attributes,
//! its text kept; `script`, `style` and the like go with their content.
//! No attribute survives but a link's `href` (and the `rel` added here).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::web::i18n::{isolate_numbers, Lang};

/// The tags that may reach a page.
pub const TAGS: [&str; 17] = [
    "h2", "h3", "h4", "h5", "h6", "p", "br", "ul", "ol", "li", "a", "em", "strong", "table",
    "thead", "tbody", "tr",
];

/// Table cells, besides [`TAGS`].
pub const CELLS: [&str; 2] = ["th", "td"];

/// The schemes a link may use.
pub const SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// A relative address that stays: a path on this site or a place on the
/// page. `//host` (another host) and `/\host` (read as one by browsers)
/// do not.
fn local(url: &str) -> Option<Cow<'_, str>> {
    let ok = match url.as_bytes() {
        [b'#', ..] => true,
        [b'/', b'/' | b'\\', ..] => false,
        [b'/', ..] => true,
        _ => false,
    };
    ok.then_some(Cow::Borrowed(url))
}

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tags: HashSet<&str> = TAGS.into_iter().chain(CELLS).collect();
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(tags)
        .tag_attributes(HashMap::from([("a", HashSet::from(["href"]))]))
        .url_schemes(SCHEMES.into())
        .url_relative(ammonia::UrlRelative::Custom(Box::new(local)))
        .link_rel(Some("noreferrer"))
        .clean_content_tags(HashSet::from([
            "script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math",
            "textarea", "select", "title",
        ]));
    builder
});

/// Markdown to safe HTML.
pub fn render(markdown: &str) -> String {
    render_in(markdown, Lang::Sv)
}

/// Markdown to safe HTML for a page in `lang`: links to pages that exist
/// in every language lead to that language's version (`/hjalp` in a
/// Finnish text is `/fi/hjalp`), so texts are written with the Swedish
/// paths whatever their language.
pub fn render_in(markdown: &str, lang: Lang) -> String {
    let parser = pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES)
        .map(|event| match event {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if lang != Lang::Sv && dest_url.starts_with('/') => {
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link {
                    link_type,
                    dest_url: lang.url(&dest_url).into(),
                    title,
                    id,
                })
            }
            pulldown_cmark::Event::Text(text) if lang.dir() == "rtl" => {
                pulldown_cmark::Event::Text(isolate_numbers(&text).into())
            }
            other => other,
        });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    CLEANER.clean(&html).to_string()
}

#[cfg(test)]
mod tests {
    use super::{render, render_in};
    use crate::web::i18n::Lang;

    #[test]
    fn links_lead_to_the_pages_language() {
        let md = "[Hjälp](/hjalp?for=barn), [start](/), [kontakt](/kontakt), \
                  [1177](https://www.1177.se/hjalp) och [112](tel:112)";
        let html = render_in(md, Lang::Ar);
        for part in [
            r#"href="/ar/hjalp?for=barn""#,
            r#"href="/ar/""#,
            r#"href="/kontakt""#,
            r#"href="https://www.1177.se/hjalp""#,
            r#"href="tel:112""#,
        ] {
            assert!(html.contains(part), "{part} in {html}");
        }
        assert!(render(md).contains(r#"href="/hjalp?for=barn""#));
        // A link that only looks local still goes nowhere.
        assert!(!render_in("[x](//evil.example/)", Lang::Fi).contains("evil"));
    }

    #[test]
    fn what_editors_need_stays() {
        let html = render(
            "## Rubrik\n\nEtt *stycke* med **fetstil** och [en länk](https://www.1177.se/).\n\n\
             - ett\n- två\n\n1. första\n\n| Vem | Nummer |\n|:--|--:|\n| Polisen | [112](tel:112) |\n\n\
             [Hjälp](/hjalp) och [svar](#svar) och [mejl](mailto:a@example.se)",
        );
        for part in [
            "<h2>Rubrik</h2>",
            "<em>stycke</em>",
            "<strong>fetstil</strong>",
            "<a href=\"https://www.1177.se/\" rel=\"noreferrer\">en länk</a>",
            "<ul>",
            "<ol>",
            "<table>",
            "<th>Vem</th>",
            "<a href=\"tel:112\" rel=\"noreferrer\">112</a>",
            "<a href=\"/hjalp\" rel=\"noreferrer\">Hjälp</a>",
            "<a href=\"#svar\" rel=\"noreferrer\">svar</a>",
            "<a href=\"mailto:a@example.se\" rel=\"noreferrer\">mejl</a>",
        ] {
            assert!(html.contains(part), "{part} missing from {html}");
        }
        assert!(
            !html.contains("style"),
            "table alignment is no inline style: {html}"
        );
    }

    #[test]
    fn raw_html_and_the_page_title_level_go() {
        let html = render(
            "# Rubrik\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> \
             <div onclick=\"x()\">text</div>",
        );
        assert!(!html.contains("<h1"));
        assert!(!html.contains("script") && !html.contains("alert"));
        assert!(!html.contains("onerror") && !html.contains("<img"));
        assert!(!html.contains("onclick") && !html.contains("<div"));
        assert!(html.contains("Rubrik") && html.contains("text"));
    }

    #[test]
    fn other_addresses_lose_their_link() {
        for link in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "//evil.example/",
            "file:///etc/passwd",
            "relative/path",
        ] {
            let html = render(&format!("[klicka]({link})"));
            assert!(!html.contains("href"), "{link} kept: {html}");
            assert!(html.contains("klicka"));
        }
        // Written as HTML, `/\host` is refused too; in Markdown the
        // backslash is escaped (`/%5Chost`), a path on this site.
        let html = render("<a href=\"/\\evil.example/\">x</a> [y](/\\evil.example/)");
        assert!(!html.contains("href=\"/\\"), "{html}");
        assert!(!html.contains("href=\"//"), "{html}");
    }
}
