use chrono::NaiveDate;

/// An editorial page. The body is Markdown written by editors.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Page {
    pub path: String,
    pub title: String,
    pub description: String,
    pub body_md: String,
    pub updated_on: NaiveDate,
}

impl Page {
    /// Markdown to HTML, then sanitised: editors may paste anything, and
    /// pulldown-cmark passes raw HTML through untouched.
    pub fn body_html(&self) -> String {
        render_markdown(&self.body_md)
    }
}

pub fn render_markdown(markdown: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::Builder::default()
        // h1 belongs to the page title; an editor's "#" must not add a second.
        .rm_tags(["h1", "img"])
        .url_schemes(["https", "http", "mailto", "tel"].into())
        .link_rel(Some("noreferrer"))
        .clean(&html)
        .to_string()
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignMonth {
    pub year: i64,
    pub programme_published_on: Option<NaiveDate>,
    pub updated_on: NaiveDate,
}

/// The accessibility statement's fixed fields (one row).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Statement {
    pub service_name: String,
    pub compliance: String,
    pub compliance_text: String,
    pub assessed_on: NaiveDate,
    pub updated_on: NaiveDate,
    pub method: String,
    pub feedback_text: String,
    pub answer_time: String,
    pub enforcement_text: String,
    pub burden_none: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StatementItem {
    pub kind: String,
    pub title: String,
    pub description: String,
    pub criterion: String,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_sanitised() {
        let html = render_markdown(
            "# Rubrik\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [ring](tel:112) <img src=x onerror=alert(1)>",
        );
        assert!(!html.contains("<h1"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("href=\"javascript"));
        assert!(!html.contains("onerror") && !html.contains("<img"));
        assert!(html.contains("href=\"tel:112\""));
    }
}
