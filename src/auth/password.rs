//! Staff passwords: the rules a new one must meet, and Argon2id hashing on
//! a blocking thread (a hash takes a noticeable share of a second and
//! 19 MiB; on an async worker it would stall every request behind it).

use std::sync::OnceLock;

use argon2::password_hash::{self, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
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

fn params() -> Params {
    Params::new(MEMORY_KIB, PASSES, LANES, None).expect("valid Argon2 parameters")
}

/// The largest work area a stored hash may ask for (its `m`): ours use 19
/// MiB; a hash asking for more was not made here.
const MAX_MEMORY_KIB: u32 = 64 * 1024;

/// Argon2's work area for one hash, mapped from the operating system and
/// returned to it right after. Left to the allocator, the 19 MiB would stay
/// in the process for good: mimalloc keeps what a blocking thread freed
/// until that thread allocates again, which may be never (measured: 21 MB
/// more resident memory after the first hash).
struct WorkArea {
    blocks: *mut Block,
    count: usize,
}

impl WorkArea {
    fn new(count: usize) -> Option<WorkArea> {
        let len = count.checked_mul(Block::SIZE)?;
        // SAFETY: an anonymous private mapping; nothing else refers to it.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        (ptr != libc::MAP_FAILED).then_some(WorkArea {
            blocks: ptr.cast(),
            count,
        })
    }
}

impl AsMut<[Block]> for WorkArea {
    fn as_mut(&mut self) -> &mut [Block] {
        // SAFETY: the mapping is `count` blocks long, page-aligned (Block
        // needs 64), zero-filled (a valid Block), and only this value
        // hands out a reference to it.
        unsafe { std::slice::from_raw_parts_mut(self.blocks, self.count) }
    }
}

impl Drop for WorkArea {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping made in `new`.
        unsafe {
            libc::munmap(self.blocks.cast(), self.count * Block::SIZE);
        }
    }
}

/// Argon2 of `password` with `salt` into `out`, in a mapped work area.
fn hash_into(
    argon: &Argon2<'_>,
    params: &Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), String> {
    let area = WorkArea::new(params.block_count()).ok_or("no memory for Argon2")?;
    argon
        .hash_password_into_with_memory(password, salt, out, area)
        .map_err(|e| e.to_string())
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
    let fail = |e: &dyn std::fmt::Display| HashError(e.to_string());
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| fail(&e))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| fail(&e))?;
    let mut raw_salt = [0u8; 64];
    let raw_salt = salt
        .as_salt()
        .decode_b64(&mut raw_salt)
        .map_err(|e| fail(&e))?;
    let params = params();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let password = normalize(password);
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        hash_into(&argon, &params, password.as_bytes(), raw_salt, out)
            .map_err(|_| password_hash::Error::Crypto)
    })
    .map_err(|e| fail(&e))?;
    // The same PHC string Argon2's own PasswordHasher writes.
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| fail(&e))?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// Whether `password` gives the hash in the PHC string `stored`.
fn matches(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Ok(algorithm), Ok(params), Some(salt), Some(expected)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
        parsed.salt,
        parsed.hash,
    ) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    if params.m_cost() > MAX_MEMORY_KIB {
        return false;
    }
    let mut raw_salt = [0u8; 64];
    let Ok(raw_salt) = salt.decode_b64(&mut raw_salt) else {
        return false;
    };
    let argon = Argon2::new(algorithm, version, params.clone());
    let password = normalize(password);
    let computed = Output::init_with(expected.len(), |out| {
        hash_into(&argon, &params, password.as_bytes(), raw_salt, out)
            .map_err(|_| password_hash::Error::Crypto)
    });
    // Output compares in constant time.
    computed.is_ok_and(|c| c == expected)
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
        let matches = matches(&password, &stored);
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

    #[test]
    fn hashes_are_those_argon2_itself_makes_and_checks() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params());
        // Ours, checked by the crate's own verifier.
        let ours = hash_now("blåbär cykel trappa moln").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(argon
            .verify_password("blåbär cykel trappa moln".as_bytes(), &parsed)
            .is_ok());
        // The crate's own (as stored before the work area was mapped),
        // checked by ours; a wrong password and a hash of other cost fail.
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let theirs = argon
            .hash_password("vinter kanel lykta".as_bytes(), &salt)
            .unwrap()
            .to_string();
        assert!(matches("vinter kanel lykta", &theirs));
        assert!(!matches("vinter kanel lyktan", &theirs));
        let huge = theirs.replace("m=19456", "m=1048576");
        assert!(!matches("vinter kanel lykta", &huge), "no 1 GiB work area");
        assert!(!matches("vinter kanel lykta", "not a hash"));
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
