//! Editorial content as the domain sees it: pages, the campaign month, the
//! accessibility statement with its items and compliance, and the privacy
//! notice.

use chrono::NaiveDate;

use crate::web::i18n::Lang;
pub use crate::web::layout::TranslationState;

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
    /// The body as safe HTML (see [`super::markdown`]).
    pub fn body_html(&self) -> String {
        super::markdown::render(&self.body_md)
    }

    /// The page as a reader of `lang` gets it: the translation when there
    /// is one, otherwise the Swedish text, marked as such.
    pub fn shown_in(self, lang: Lang, translation: Option<PageTranslation>) -> ShownPage {
        match translation {
            Some(t) if lang != Lang::Sv => ShownPage {
                body_html: super::markdown::render_in(&t.body_md, lang),
                state: TranslationState::Translated {
                    behind: t.is_behind(self.updated_on),
                    reviewed: t.reviewed,
                },
                title: t.title,
                description: t.description,
                updated_on: t.updated_on,
                path: self.path,
            },
            _ => ShownPage {
                body_html: super::markdown::render_in(&self.body_md, lang),
                state: if lang == Lang::Sv {
                    TranslationState::Source
                } else {
                    TranslationState::Fallback
                },
                title: self.title,
                description: self.description,
                updated_on: self.updated_on,
                path: self.path,
            },
        }
    }
}

/// A page in the language it is read in.
#[derive(Debug, Clone)]
pub struct ShownPage {
    pub path: String,
    pub title: String,
    pub description: String,
    pub body_html: String,
    /// The translation's date, or the Swedish text's when it is shown.
    pub updated_on: NaiveDate,
    pub state: TranslationState,
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

impl Statement {
    /// The compliance status follows from the criteria: "helt" when no
    /// nonconformity is listed, otherwise "delvis" (or "inte" when the
    /// statement says so).
    pub fn status(&self, items: &[StatementItem]) -> Compliance {
        let failing = items.iter().any(|i| i.kind == "nonconformity");
        match (failing, self.compliance.as_str()) {
            (false, _) => Compliance::Full,
            (true, "inte") => Compliance::None,
            (true, _) => Compliance::Partial,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compliance {
    Full,
    Partial,
    None,
}

impl Compliance {
    /// The value the statement's `compliance` column uses.
    pub fn code(self) -> &'static str {
        match self {
            Compliance::Full => "helt",
            Compliance::Partial => "delvis",
            Compliance::None => "inte",
        }
    }

    pub fn message_key(self) -> &'static str {
        match self {
            Compliance::Full => "compliance-full",
            Compliance::Partial => "compliance-partial",
            Compliance::None => "compliance-none",
        }
    }

    pub fn sentence_key(self) -> &'static str {
        match self {
            Compliance::Full => "statement-compliance-full",
            Compliance::Partial => "statement-compliance-partial",
            Compliance::None => "statement-compliance-none",
        }
    }
}

/// The privacy notice's facts that differ per municipality.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PrivacyNotice {
    pub board: String,
    pub dpo_contact: String,
    pub is_example: bool,
    pub updated_on: NaiveDate,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StatementItem {
    pub kind: String,
    pub title: String,
    pub description: String,
    pub criterion: String,
    pub reason: String,
    /// For a problem published from a case: when it is to be fixed, as
    /// the page shows the date.
    #[sqlx(default)]
    pub planned_fix: Option<String>,
}

pub use crate::web::i18n::TranslationLang;

/// A page's text in another language and the Swedish text it follows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PageTranslation {
    pub lang: String,
    pub title: String,
    pub description: String,
    pub body_md: String,
    /// The date ("Senast uppdaterad") of the Swedish text translated.
    pub source_updated_on: NaiveDate,
    /// Checked by someone who has the language as their first language.
    pub reviewed: bool,
    pub updated_on: NaiveDate,
}

impl PageTranslation {
    /// The Swedish page has changed since the text it follows.
    pub fn is_behind(&self, swedish_updated_on: NaiveDate) -> bool {
        self.source_updated_on < swedish_updated_on
    }
}
