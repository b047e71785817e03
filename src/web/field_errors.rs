//! What is wrong with a form, as the GOV.UK error summary links it to its
//! fields: one line per field with the anchor to jump to and the message,
//! also shown above the field itself.

/// One field's problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The input's `id` (and form name).
    pub field: String,
    /// Where the summary's link goes: `#id`, or the first input of a group.
    pub href: String,
    pub text: String,
}

impl FieldError {
    pub fn new(field: &str, text: impl Into<String>) -> FieldError {
        FieldError {
            field: field.to_owned(),
            href: format!("#{field}"),
            text: text.into(),
        }
    }

    /// A group of inputs (radios) whose summary link goes to `first`.
    pub fn at(field: &str, first: &str, text: impl Into<String>) -> FieldError {
        FieldError {
            field: field.to_owned(),
            href: format!("#{first}"),
            text: text.into(),
        }
    }
}

/// The message for `field`, for the template to show above it.
pub fn message<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.text.as_str())
}
