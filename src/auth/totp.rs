//! The second factor: time-based one-time codes (RFC 6238 with SHA-1, six
//! digits, 30-second steps, one step of drift either way), the QR code and
//! text a person enrols with, and single-use recovery codes.

use chrono::{DateTime, Utc};
use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

pub const STEP_SECONDS: i64 = 30;
pub const DIGITS: u32 = 6;
pub const RECOVERY_CODES: usize = 10;

/// A fresh 160-bit secret, base32 as authenticator apps expect it.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    getrandom::getrandom(&mut bytes).expect("the system has randomness");
    BASE32_NOPAD.encode(&bytes)
}

/// The 30-second step `now` falls in.
pub fn step(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(STEP_SECONDS)
}

/// The code for `step` (RFC 4226's HOTP with the step as counter).
pub fn code_at(secret: &str, step: i64) -> Option<u32> {
    let key = BASE32_NOPAD.decode(secret.as_bytes()).ok()?;
    let mut mac = Hmac::<Sha1>::new_from_slice(&key).ok()?;
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    Some(binary % 10u32.pow(DIGITS))
}

/// The step `code` was made for, if it is valid now (one step of drift
/// either way) and newer than `last_used`: a code is accepted once only.
pub fn accept(secret: &str, code: &str, now: DateTime<Utc>, last_used: Option<i64>) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let given: u32 = code.parse().ok()?;
    let current = step(now);
    (current - 1..=current + 1)
        .filter(|s| last_used.is_none_or(|last| *s > last))
        .find(|s| code_at(secret, *s) == Some(given))
}

/// What an authenticator app reads from the QR code.
pub fn otpauth_uri(secret: &str, account: &str) -> String {
    let label: String = url::form_urlencoded::byte_serialize(account.as_bytes()).collect();
    format!("otpauth://totp/Fridhem:{label}?secret={secret}&issuer=Fridhem&algorithm=SHA1&digits=6&period=30")
}

/// The QR code as inline SVG (presentation attributes only: the CSP allows
/// no inline style).
pub fn qr_svg(uri: &str) -> String {
    match qrcode::QrCode::with_error_correction_level(uri, qrcode::EcLevel::M) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build()
            // Drop the XML declaration: the SVG sits inside HTML.
            .split_once("<svg")
            .map(|(_, rest)| format!("<svg role=\"img\" aria-label=\"QR-kod för appen\"{rest}"))
            .unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// The secret in groups of four, easier to type into an app by hand.
pub fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Ten new recovery codes (as shown, `xxxxx-xxxxx`) with the hashes to
/// store. 50 random bits each: a fast hash is enough.
pub fn new_recovery_codes() -> Vec<(String, String)> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            getrandom::getrandom(&mut bytes).expect("the system has randomness");
            let text = BASE32_NOPAD.encode(&bytes)[..10].to_ascii_lowercase();
            let shown = format!("{}-{}", &text[..5], &text[5..]);
            let hash = recovery_hash(&shown).expect("a code we made is well-formed");
            (shown, hash)
        })
        .collect()
}

/// The stored form of a recovery code as typed (case, spaces and the
/// hyphen do not matter); `None` if it cannot be one.
pub fn recovery_hash(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let well_formed = code.len() == 10
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b));
    well_formed.then(|| {
        let digest = Sha256::digest(format!("fridhem-recovery-v1|{code}").as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// RFC 6238's SHA-1 key, "12345678901234567890", in base32.
    fn rfc_secret() -> String {
        BASE32_NOPAD.encode(b"12345678901234567890")
    }

    #[test]
    fn rfc_6238_test_vectors() {
        // The RFC's eight-digit values; six digits are their last six.
        for (t, code) in [
            (59, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            let now = Utc.timestamp_opt(t, 0).unwrap();
            assert_eq!(
                code_at(&rfc_secret(), step(now)),
                Some(code % 1_000_000),
                "t={t}"
            );
        }
    }

    #[test]
    fn window_and_replay() {
        let secret = new_secret();
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 10).unwrap();
        let s = step(now);
        let code = |st: i64| format!("{:06}", code_at(&secret, st).unwrap());
        assert_eq!(accept(&secret, &code(s), now, None), Some(s));
        assert_eq!(accept(&secret, &code(s - 1), now, None), Some(s - 1));
        assert_eq!(accept(&secret, &code(s + 1), now, None), Some(s + 1));
        assert_eq!(accept(&secret, &code(s - 2), now, None), None);
        assert_eq!(accept(&secret, &code(s + 2), now, None), None);
        // Once accepted, neither that code nor an older one works again.
        assert_eq!(accept(&secret, &code(s), now, Some(s)), None);
        assert_eq!(accept(&secret, &code(s - 1), now, Some(s)), None);
        assert_eq!(accept(&secret, &code(s + 1), now, Some(s)), Some(s + 1));
        assert_eq!(accept(&secret, "12345", now, None), None);
        assert_eq!(accept(&secret, "abcdef", now, None), None);
    }

    #[test]
    fn recovery_codes_are_forgiving_to_type() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let (shown, hash) = &codes[0];
        assert_eq!(
            recovery_hash(&shown.to_uppercase().replace('-', " ")).as_ref(),
            Some(hash)
        );
        assert_eq!(recovery_hash("123456"), None);
        let distinct: std::collections::HashSet<_> = codes.iter().map(|c| &c.1).collect();
        assert_eq!(distinct.len(), 10);
    }

    #[test]
    fn qr_code_is_inline_svg_without_style() {
        let svg = qr_svg(&otpauth_uri(&new_secret(), "anna@example.se"));
        assert!(svg.starts_with("<svg role=\"img\""), "{svg}");
        assert!(!svg.contains("style"), "{svg}");
    }
}
