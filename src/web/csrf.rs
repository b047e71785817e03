//! Protection of forms against forgery without cookies or third parties: a
//! signed, time-limited token bound to the form's purpose, and a
//! same-origin check that works under `Referrer-Policy: no-referrer`. The
//! same key signs codes (a receipt's address) and keyed fingerprints (a
//! value counted without being stored).

use axum::http::{header, HeaderMap};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How long a form page stays usable: long enough to write a careful
/// report, short enough that a copied token soon expires.
pub const TOKEN_LIFETIME: Duration = Duration::hours(4);

#[derive(Clone)]
pub struct FormTokens {
    key: Vec<u8>,
}

impl FormTokens {
    pub fn new(key: &[u8]) -> FormTokens {
        FormTokens { key: key.to_vec() }
    }

    fn mac(&self, purpose: &str, issued: i64) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(format!("fridhem-form-v1|{purpose}|{issued}").as_bytes());
        mac
    }

    /// `ISSUED.SIGNATURE`, bound to the form it was issued for. The time is
    /// the start of the minute, so every visitor in that minute gets the
    /// same form page and it can be served from memory.
    pub fn issue(&self, purpose: &str, now: DateTime<Utc>) -> String {
        let issued = now.timestamp() - now.timestamp().rem_euclid(60);
        self.token(purpose, issued)
    }

    fn token(&self, purpose: &str, issued: i64) -> String {
        let signature = self.mac(purpose, issued).finalize().into_bytes();
        format!(
            "{issued}.{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signature)
        )
    }

    /// A code for `value` that only the server can make (e.g. the code in
    /// a receipt's address, so a receipt opens for whoever was sent to it
    /// and references cannot be counted by trying them).
    pub fn code(&self, purpose: &str, value: &str) -> String {
        let full = self.code_mac(purpose, value).finalize().into_bytes();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&full[..16])
    }

    pub fn code_matches(&self, purpose: &str, value: &str, code: &str) -> bool {
        let Ok(given) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(code) else {
            return false;
        };
        // Constant-time comparison of the truncated tag.
        given.len() == 16
            && self
                .code_mac(purpose, value)
                .verify_truncated_left(&given)
                .is_ok()
    }

    fn code_mac(&self, purpose: &str, value: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(format!("fridhem-{purpose}-v1|{value}").as_bytes());
        mac
    }

    /// A keyed fingerprint of `value` for `purpose`, so that counts (such
    /// as e-mails to one address) can be kept without storing the value in
    /// a form that can be searched for.
    pub fn fingerprint(&self, purpose: &str, value: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(format!("fridhem-fingerprint-v1|{purpose}|{value}").as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    pub fn verify(&self, purpose: &str, token: &str, now: DateTime<Utc>) -> Result<(), TokenError> {
        let (issued_text, signature) = token.split_once('.').ok_or(TokenError::Invalid)?;
        let issued: i64 = issued_text.parse().map_err(|_| TokenError::Invalid)?;
        let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| TokenError::Invalid)?;
        // Constant-time comparison.
        self.mac(purpose, issued)
            .verify_slice(&signature)
            .map_err(|_| TokenError::Invalid)?;
        // Only the spelling we issue: "+ts", "0ts" or padded signatures
        // parse to the same values but are not the token that was given out.
        if issued_text != issued.to_string() || token != self.token(purpose, issued) {
            return Err(TokenError::Invalid);
        }
        let age = now.timestamp() - issued;
        if age < -60 {
            return Err(TokenError::Invalid);
        }
        if age > TOKEN_LIFETIME.num_seconds() {
            return Err(TokenError::Expired);
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    Invalid,
    Expired,
}

/// Refuses cross-site posts. With `Referrer-Policy: no-referrer` browsers
/// send `Origin: null` on same-origin form posts, so `null` passes and the
/// token does the rest; a real foreign origin or a cross-site fetch
/// marker does not.
pub fn same_origin(headers: &HeaderMap, base_origin: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        if site == "cross-site" || site == "same-site" {
            return false;
        }
    }
    match headers.get(header::ORIGIN) {
        None => true,
        Some(origin) => origin == "null" || origin.as_bytes() == base_origin.as_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, h, m, 0).unwrap()
    }

    #[test]
    fn tokens_are_bound_to_form_key_and_time() {
        let tokens = FormTokens::new(&[7; 32]);
        let token = tokens.issue("KO", t(10, 0));
        assert_eq!(tokens.verify("KO", &token, t(13, 59)), Ok(()));
        assert_eq!(
            tokens.verify("KO", &token, t(14, 1)),
            Err(TokenError::Expired)
        );
        assert_eq!(
            tokens.verify("AF", &token, t(10, 1)),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            FormTokens::new(&[8; 32]).verify("KO", &token, t(10, 1)),
            Err(TokenError::Invalid)
        );
        let forged = format!(
            "{}.{}",
            t(11, 0).timestamp(),
            token.split_once('.').unwrap().1
        );
        assert_eq!(
            tokens.verify("KO", &forged, t(11, 1)),
            Err(TokenError::Invalid)
        );
        let (ts, sig) = token.split_once('.').unwrap();
        for other_spelling in [
            format!("+{ts}.{sig}"),
            format!("0{ts}.{sig}"),
            format!("{ts}.{sig}="),
            format!(" {ts}.{sig}"),
        ] {
            assert_eq!(
                tokens.verify("KO", &other_spelling, t(10, 1)),
                Err(TokenError::Invalid),
                "{other_spelling}"
            );
        }
        assert_eq!(
            tokens.issue("KO", t(10, 0) + Duration::seconds(59)),
            token,
            "one token per minute"
        );
        for junk in ["", ".", "abc.def", "1.", "-1.AAAA"] {
            assert_eq!(
                tokens.verify("KO", junk, t(10, 0)),
                Err(TokenError::Invalid),
                "{junk}"
            );
        }
    }

    #[test]
    fn origin_rules() {
        let base = "http://127.0.0.1:8080";
        let h = |pairs: &[(&'static str, &'static str)]| {
            let mut m = HeaderMap::new();
            for (k, v) in pairs {
                m.insert(*k, v.parse().unwrap());
            }
            m
        };
        assert!(same_origin(&h(&[]), base));
        assert!(same_origin(
            &h(&[("origin", "null"), ("sec-fetch-site", "same-origin")]),
            base
        ));
        assert!(same_origin(
            &h(&[("origin", "http://127.0.0.1:8080")]),
            base
        ));
        assert!(!same_origin(
            &h(&[("origin", "https://evil.example")]),
            base
        ));
        assert!(!same_origin(&h(&[("sec-fetch-site", "cross-site")]), base));
        assert!(!same_origin(&h(&[("sec-fetch-site", "same-site")]), base));
        assert!(same_origin(&h(&[("sec-fetch-site", "none")]), base));
    }
}
