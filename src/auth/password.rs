//! Staff passwords: the rules a new one must meet, and Argon2id hashing on
//! a blocking thread (a hash takes a noticeable share of a second and
//! 19 MiB; on an async worker it would stall every request behind it).

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use unicode_normalization::UnicodeNormalization;

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

/// OWASP's recommendation for Argon2id: 19 MiB, two passes, one lane.
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const PASSES: u32 = 2;
pub const LANES: u32 = 1;

/// Why a new password was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    TooShort,
    TooLong,
    Common,
    Weak,
}

impl Problem {
    pub fn message(self) -> String {
        match self {
            Problem::TooShort => format!("Lösenordet måste ha minst {MIN_CHARS} tecken."),
            Problem::TooLong => format!("Lösenordet får ha högst {MAX_CHARS} tecken."),
            Problem::Common => {
                "Lösenordet finns i en lista över vanliga lösenord. Välj ett annat.".to_owned()
            }
            Problem::Weak => "Lösenordet är för lätt att gissa. Använd till exempel flera ord \
                              som inte hör ihop, eller ett längre lösenord."
                .to_owned(),
        }
    }
}

/// The password as it is hashed: Unicode NFC, so "å" typed as one
/// character or as "a" + ring is the same password on every device.
pub fn normalize(password: &str) -> String {
    password.nfc().collect()
}

/// Checks a new password against the rules; `context` holds words an
/// attacker would try first (the person's name and e-mail address).
pub fn check(password: &str, context: &[&str]) -> Result<(), Problem> {
    let password = normalize(password);
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(Problem::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(Problem::TooLong);
    }
    let entropy = zxcvbn::zxcvbn(&password, context);
    // The common-password list is zxcvbn's own "passwords" dictionary: a
    // single entry of it (also reversed or with l33t substitutions)
    // spelling the whole password.
    let whole_common = entropy.sequence().iter().any(|m| {
        m.i == 0
            && m.j + 1 >= chars
            && matches!(&m.pattern, zxcvbn::matching::patterns::MatchPattern::Dictionary(d)
                if format!("{:?}", d.dictionary_name) == "Passwords")
    });
    if whole_common {
        return Err(Problem::Common);
    }
    if entropy.score() < zxcvbn::Score::Three {
        return Err(Problem::Weak);
    }
    Ok(())
}

fn hasher() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// The PHC string of `password` (normalised) with a fresh salt.
pub async fn hash(password: String) -> Result<String, HashError> {
    tokio::task::spawn_blocking(move || hash_now(&password))
        .await
        .map_err(|e| HashError(e.to_string()))?
}

/// Why a hash for a web request was not made.
#[derive(Debug)]
pub enum NotHashed {
    /// Every hashing slot stayed taken: ask the person to try again.
    Busy,
    Failed(HashError),
}

/// [`hash`] for a web request: waits for a hashing slot as [`verify`]
/// does, so choosing passwords cannot exhaust memory either.
pub async fn hash_in_turn(password: String) -> Result<String, NotHashed> {
    let _slot = tokio::time::timeout(SLOT_WAIT, permits().acquire())
        .await
        .map_err(|_| NotHashed::Busy)?
        .map_err(|_| NotHashed::Busy)?;
    hash(password).await.map_err(NotHashed::Failed)
}

fn hash_now(password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| HashError(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| HashError(e.to_string()))?;
    hasher()
        .hash_password(normalize(password).as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Too many hashes are running: each takes 19 MiB, so the number at once
/// is capped and an attempt beyond it is refused rather than queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// Hashes at once: two per core keeps the cores busy and memory bounded
/// (19 MiB each) however many sign-ins arrive together.
fn permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(2 * cores)
    })
}

/// How long an attempt waits for a free hashing slot before it is refused.
const SLOT_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Whether `password` matches `stored`. Without an account (`None`) the
/// password is checked against a dummy hash and refused, so an unknown
/// address costs the same time as a known one.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, Busy> {
    // Longer than any password we accept: refused without hashing.
    if password.len() > 4 * MAX_CHARS {
        return Ok(false);
    }
    let _slot = tokio::time::timeout(SLOT_WAIT, permits().acquire())
        .await
        .map_err(|_| Busy)?
        .map_err(|_| Busy)?;
    let result = tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        let matches = hasher()
            .verify_password(normalize(&password).as_bytes(), &parsed)
            .is_ok();
        known && matches
    })
    .await;
    Ok(result.unwrap_or(false))
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_now("fridhem-no-such-account").expect("hashing works"))
}

/// Computes the dummy hash now (at start-up), so the first unknown address
/// does not pay for two hashes.
pub async fn prepare() {
    let _ = tokio::task::spawn_blocking(dummy_hash).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_say_which_one_failed() {
        assert_eq!(check("kort", &[]), Err(Problem::TooShort));
        assert_eq!(check(&"å".repeat(129), &[]), Err(Problem::TooLong));
        assert_eq!(check("password1234", &[]), Err(Problem::Common));
        assert_eq!(check("aaaaaaaaaaaaaaaa", &[]), Err(Problem::Weak));
        assert_eq!(
            check(
                "anna.berg@example.se",
                &["anna.berg@example.se", "Anna Berg"]
            ),
            Err(Problem::Weak)
        );
        assert_eq!(check("blåbär cykel trappa moln", &[]), Ok(()));
        // 12 characters, counted as characters rather than bytes.
        assert_eq!(check("åäöÅÄÖåäöÅÄ", &[]), Err(Problem::TooShort));
    }

    #[tokio::test]
    async fn hashes_verify_after_normalisation() {
        let composed = "blåbär cykel trappa moln";
        let decomposed = "bla\u{30a}ba\u{308}r cykel trappa moln";
        let stored = hash(composed.to_owned()).await.unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert_eq!(
            verify(decomposed.to_owned(), Some(stored.clone())).await,
            Ok(true)
        );
        assert_eq!(
            verify("blåbär cykel trappa mol".to_owned(), Some(stored.clone())).await,
            Ok(false)
        );
        assert_eq!(verify(composed.to_owned(), None).await, Ok(false));
        assert_eq!(verify("x".repeat(10_000), Some(stored)).await, Ok(false));
    }
}
