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
