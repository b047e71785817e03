//! Sealed values in outbox messages. A secret a message must carry (the
//! token of a single-use link) is stored in the outbox as a placeholder
//! holding a random nonce, and the worker puts the value in at delivery: a
//! keyed MAC of the nonce, made with the site's key, which lives outside
//! the database. A copy of the database or of a backup therefore opens no
//! link, while the message still leaves with it.

/// What the key is used for when a seal is made or opened.
pub const PURPOSE: &str = "outbox-seal";

const OPEN: &str = "{{seal:";
const CLOSE: &str = "}}";

/// A new random nonce (128 bits, base64url).
pub fn new_nonce() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).expect("the system has randomness");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The text that stands in the stored message for the value of `nonce`.
pub fn placeholder(nonce: &str) -> String {
    format!("{OPEN}{nonce}{CLOSE}")
}

/// `text` as it may go into a message body: text someone typed (a name,
/// needs, a staff message) cannot contain a placeholder, or a person who
/// knew a nonce could have the worker write its token into their own
/// e-mail. A space goes between any two `{`.
pub fn defuse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = None;
    for c in text.chars() {
        if c == '{' && previous == Some('{') {
            out.push(' ');
        }
        out.push(c);
        previous = Some(c);
    }
    out
}

/// `text` with every placeholder replaced by `value_of(nonce)`.
pub fn unseal(text: &str, value_of: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let Some(end) = after.find(CLOSE) else { break };
        out.push_str(&rest[..start]);
        out.push_str(&value_of(&after[..end]));
        rest = &after[end + CLOSE.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_replaced_and_nothing_else() {
        let body = format!(
            "a {} b {} c {{{{seal:",
            placeholder("n1"),
            placeholder("n2")
        );
        let opened = unseal(&body, &|n| format!("<{n}>"));
        assert_eq!(opened, "a <n1> b <n2> c {{seal:");
        assert_eq!(unseal("plain", &|_| unreachable!()), "plain");
        assert_eq!(new_nonce().len(), 22);
    }

    #[test]
    fn typed_text_cannot_become_a_placeholder() {
        let typed = format!("Behov: {}", placeholder("stolen"));
        let body = defuse(&typed);
        assert_eq!(unseal(&body, &|_| unreachable!()), body);
        assert_eq!(defuse("{{{{seal:x}}"), "{ { { {seal:x}}");
        assert!(!defuse("{{{{{").contains("{{"));
    }
}
