//! Safe Markdown on a public page (issue 13): a corpus of XSS attempts is
//! written into a page as an editor's text is, through the content
//! service and the writer, and the public page as served is read back.
//! Every element in the editor's part must be on the allow-list, with no
//! attribute but a link's `href` (to an allowed address) and its `rel`.

use crate::helpers::TestApp;

const CORPUS: &[&str] = &[
    "<script>alert('x1')</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert('x2')>",
    "![bild](javascript:alert('x2b'))",
    "<svg onload=alert('x3')><script>alert('x3b')</script></svg>",
    "[a](javascript:alert('x4'))",
    "[b](JAVASCRIPT:alert('x4b'))",
    "[c](java&#x09;script:alert('x4c'))",
    "[d](&#106;avascript:alert('x4d'))",
    "[e](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[f](<javascript:alert('x5')>)",
    "[g]( javascript:alert('x5b') )",
    "[ref]\n\n[ref]: javascript:alert('x5c')",
    "<javascript:alert('x5d')>",
    "[h](//evil.example/)",
    "[i](vbscript:msgbox('x5e'))",
    "<a href=\"javascript:alert('x6')\">z</a>",
    "<a href=\" javascript:alert('x6b')\">z</a>",
    "<a href=\"https://ok.example/\" onclick=\"alert('x6c')\" target=\"_blank\">ok</a>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<object data=\"https://evil.example/x.swf\"></object><embed src=\"https://evil.example/x\">",
    "<style>body{display:none}</style>",
    "<p style=\"background:url(javascript:alert('x8'))\">stil</p>",
    "<form action=\"https://evil.example/\"><input name=q><button>Skicka</button></form>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
    "<link rel=stylesheet href=\"https://evil.example/x.css\">",
    "&lt;script&gt;alert('x9')&lt;/script&gt;",
    "<table><tr><td><table><tr><td onmouseover=\"alert('x10')\">nästlad</td></tr></table></td></tr></table>",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert('x11')> | [l](javascript:alert('x11b')) |",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('x12')>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('x13')>\">",
    "<details open ontoggle=alert('x14')>",
    "<a href=\"data:text/html,<script>alert('x15')</script>\">data</a>",
];

/// What editors need, first on the page (an attempt above could swallow
/// it as text).
const KEPT: &str = "[ok](https://www.1177.se/) [ring](tel:020505050) [lokal](/hjalp)\n\n\
                    | Vem | Nummer |\n|---|---|\n| Polisen | 112 |";

const ALLOWED: &[&str] = &[
    "h2", "h3", "h4", "h5", "h6", "p", "br", "ul", "ol", "li", "a", "em", "strong", "table",
    "thead", "tbody", "tr", "th", "td",
];

/// The elements of `html` (serialized by the sanitizer, so attribute
/// values are quoted): each start tag's name and its attributes.
fn start_tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' || i + 1 >= bytes.len() || !bytes[i + 1].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-') {
            j += 1;
        }
        let name = html[i + 1..j].to_ascii_lowercase();
        let mut attributes = Vec::new();
        loop {
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' || bytes[j] == b'/' {
                break;
            }
            let start = j;
            while j < bytes.len() && !b"= >/".contains(&bytes[j]) {
                j += 1;
            }
            let attribute = html[start..j].to_ascii_lowercase();
            let mut value = String::new();
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                let quote = bytes[j];
                assert!(quote == b'"', "unquoted attribute in {html}");
                let end = j + 1 + html[j + 1..].find('"').expect("closing quote");
                value = html[j + 1..end].to_owned();
                j = end + 1;
            }
            attributes.push((attribute, value));
        }
        tags.push((name, attributes));
        i = j;
    }
    tags
}

fn allowed_address(href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    ["http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|s| lower.starts_with(s))
        || (href.starts_with('/') && !href.starts_with("//") && !href.starts_with("/\\"))
        || href.starts_with('#')
}

/// Every element on the allow-list, and no attribute but a link's `href`
/// (to an allowed address) and its `rel`.
fn only_allowed(html: &str) {
    for (name, attributes) in start_tags(html) {
        assert!(ALLOWED.contains(&name.as_str()), "<{name}> in {html}");
        for (attribute, value) in attributes {
            match (name.as_str(), attribute.as_str()) {
                ("a", "href") => assert!(allowed_address(&value), "href={value} in {html}"),
                ("a", "rel") => assert_eq!(value, "noreferrer"),
                _ => panic!("<{name} {attribute}=\"{value}\"> in {html}"),
            }
        }
    }
}

async fn nothing_executable_reaches_a_public_page(app: &TestApp) {
    // Through the editor, as an editor would paste it: first the preview,
    // then published.
    let body = format!("{KEPT}\n\n{}", CORPUS.join("\n\n"));
    use crate::helpers::staff::{act, create_account, enrol};
    create_account(app, "red@example.se", &[fridhem::auth::Role::Redaktor]).await;
    let red = enrol(app, "red@example.se").await;
    let fields = |action| {
        vec![
            ("sida", "/inte-ensam"),
            ("titel", "Inte ensam"),
            ("beskrivning", "Prov"),
            ("text", body.as_str()),
            ("atgard", action),
        ]
    };
    let r = act(
        app,
        &red,
        "/admin/sidor/redigera",
        &fields("forhandsgranska"),
    )
    .await;
    assert_eq!(r.status(), 200);
    let preview = r.text().await.unwrap();
    let start = preview
        .find("<div class=\"prose\">")
        .expect("the preview's text")
        + 19;
    only_allowed(&preview[start..start + preview[start..].find("</div>").expect("its end")]);
    let r = act(app, &red, "/admin/sidor/redigera", &fields("publicera")).await;
    assert_eq!(r.status(), 303);
    let started = std::time::Instant::now();
    let html = loop {
        let (status, html) = app.get_text("/inte-ensam").await;
        assert_eq!(status, 200);
        if html.contains("nästlad") {
            break html;
        }
        assert!(started.elapsed().as_secs() < 5, "the page did not change");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let start = html
        .find("<div class=\"prose\">")
        .expect("the editor's part")
        + 19;
    let prose = &html[start..start + html[start..].find("</div>").expect("its end")];

    assert!(
        start_tags(prose).len() > 20,
        "the corpus left its text: {prose}"
    );
    only_allowed(prose);
    // Each attempt on its own too: in one page, an open HTML block can
    // swallow the next one as text.
    for attempt in CORPUS {
        only_allowed(&fridhem::content::markdown::render(attempt));
    }
    // Escaped text stays text, and what editors need stays.
    let escaped = fridhem::content::markdown::render("&lt;script&gt;alert('x9')&lt;/script&gt;");
    assert!(escaped.contains("&lt;script&gt;alert('x9')"), "{escaped}");
    for kept in [
        "<a href=\"https://www.1177.se/\" rel=\"noreferrer\">ok</a>",
        "<a href=\"tel:020505050\" rel=\"noreferrer\">ring</a>",
        "<a href=\"/hjalp\" rel=\"noreferrer\">lokal</a>",
        "<table>",
    ] {
        assert!(prose.contains(kept), "{kept} missing: {prose}");
    }
}

crate::db_tests!(nothing_executable_reaches_a_public_page);
