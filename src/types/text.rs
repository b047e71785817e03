//! Rules for text that people type.

/// Invisible characters that change how text is shown or compared: bidi
/// overrides, embeddings, isolates and marks, zero-width spaces and
/// joiners, word joiners, soft hyphens and byte-order marks (Unicode's
/// format category). A name written with U+202E can show as something else
/// in a handler's inbox; an address with U+200B is not the address it looks
/// like.
pub fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}')
}

/// The joiners that Persian and Arabic names legitimately contain
/// (ZWNJ in "می‌خواهم", ZWJ in some scripts): allowed in names, refused in
/// addresses and numbers.
pub fn is_script_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// What is wrong with a field an editor typed, in Swedish, if anything:
/// empty when it must not be (`required` says what to write), longer than
/// `max` characters, or holding control characters other than line breaks
/// and tabs. `what` names the field at the start of a sentence
/// ("Rubriken").
pub fn editor_problem(
    value: &str,
    max: usize,
    required: Option<&str>,
    what: &str,
) -> Option<String> {
    let length = value.chars().count();
    if value.trim().is_empty() {
        required.map(str::to_owned)
    } else if length > max {
        Some(format!(
            "{what} får vara högst {} tecken. Nu är den {}.",
            thousands(max),
            thousands(length)
        ))
    } else if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        Some(format!("{what} innehåller tecken som inte kan sparas."))
    } else {
        None
    }
}

/// A whole number the Swedish way, thousands grouped with a no-break
/// space: "2 000", "12 500".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}
