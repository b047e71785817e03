//! A submitted `application/x-www-form-urlencoded` body, read strictly:
//! what every public form (cases, registrations) starts from.

use std::collections::HashMap;

/// The hidden field every public form carries: its signed token.
pub const TOKEN_FIELD: &str = "token";
/// A field no person sees or fills, assistive technology included.
pub const HONEYPOT_FIELD: &str = "webbplats";

/// A submitted body that cannot be read as a form at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    InvalidUtf8,
}

/// Field values as submitted. Unknown fields are kept but never used;
/// a repeated field keeps its first value.
#[derive(Debug, Clone, Default)]
pub struct Submitted(HashMap<String, String>);

impl Submitted {
    /// Reads an `application/x-www-form-urlencoded` body. Unlike a lossy
    /// decoder, invalid UTF-8 is refused rather than silently replaced.
    pub fn parse(body: &[u8]) -> Result<Submitted, BodyError> {
        let mut values = HashMap::new();
        for pair in body.split(|b| *b == b'&') {
            if pair.is_empty() {
                continue;
            }
            let (key, value) = match pair.iter().position(|b| *b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &b""[..]),
            };
            let key = decode(key)?;
            let value = decode(value)?;
            values.entry(key).or_insert(value);
        }
        Ok(Submitted(values))
    }

    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Submitted {
        let mut values = HashMap::new();
        for (k, v) in pairs {
            values.entry(k.to_owned()).or_insert_with(|| v.to_owned());
        }
        Submitted(values)
    }

    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map(String::as_str).unwrap_or("")
    }

    /// A value trimmed of surrounding white space, `None` when empty.
    pub fn value(&self, name: &str) -> Option<String> {
        let v = self.get(name).trim();
        (!v.is_empty()).then(|| normalise_newlines(v))
    }
}

fn normalise_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

fn decode(bytes: &[u8]) -> Result<String, BodyError> {
    let plus_as_space: Vec<u8> = bytes
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    let decoded: Vec<u8> = percent_encoding::percent_decode(&plus_as_space).collect();
    String::from_utf8(decoded).map_err(|_| BodyError::InvalidUtf8)
}
