//! Personal data at rest: what people wrote about themselves is stored
//! encrypted, so the database file, its WAL, a backup or a `pg_dump` hold
//! no name, address or message in readable form.
//!
//! Each value is sealed with XChaCha20-Poly1305 under the current data
//! key, with a fresh random nonce, and with its place (table, column and
//! the row's own key) as associated data: a value copied into another row
//! or column no longer opens. Stored as text, so both databases keep their
//! column types: `v1:<key id>:<base64url(nonce ‖ ciphertext)>`.
//!
//! The keys live in `FRIDHEM_DATA_KEY_FILE`, outside the database; the
//! database only names them (table `data_keys`, an id derived from the
//! key). At start-up [`DataKeys::prepare`] refuses a missing or wrong file
//! with one line, so no instance serves cases it cannot read. Which tables
//! and columns are sealed is told by the domains ([`SealedTable`]); this
//! module knows no domain.

use std::path::{Path, PathBuf};

use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::Row;

use super::Db;

const PREFIX: &str = "v1:";
const NONCE_LEN: usize = 24;
const KEY_LEN: usize = 32;
/// Rows re-encrypted per transaction by [`reencrypt`].
const BATCH: i64 = 500;

/// Where a value lives; bound into its seal as associated data.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub table: &'static str,
    pub column: &'static str,
    /// The row's own key as text (a case reference, a Message-ID, an id).
    pub row: &'a str,
}

impl Place<'_> {
    fn aad(&self) -> Vec<u8> {
        let mut aad =
            Vec::with_capacity(16 + self.table.len() + self.column.len() + self.row.len());
        aad.extend_from_slice(b"fridhem/v1\0");
        aad.extend_from_slice(self.table.as_bytes());
        aad.push(0);
        aad.extend_from_slice(self.column.as_bytes());
        aad.push(0);
        aad.extend_from_slice(self.row.as_bytes());
        aad
    }
}

/// A table with sealed columns, as its domain declares it: `row` names
/// the column whose value binds a seal to its row. It must be unique and
/// never change (a reference, a Message-ID, the id).
#[derive(Debug, Clone, Copy)]
pub struct SealedTable {
    pub table: &'static str,
    pub row: &'static str,
    pub columns: &'static [&'static str],
}

/// Why a stored value did not open. Never carries the value.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("a value in {table}.{column} is not encrypted")]
    NotSealed {
        table: &'static str,
        column: &'static str,
    },
    #[error("a value in {table}.{column} is encrypted with key {key}, which FRIDHEM_DATA_KEY_FILE does not hold")]
    UnknownKey {
        table: &'static str,
        column: &'static str,
        key: String,
    },
    #[error("a value in {table}.{column} does not open: it was changed or moved from another row")]
    Forged {
        table: &'static str,
        column: &'static str,
    },
}

impl From<SealError> for sqlx::Error {
    /// A value that does not open is a column that cannot be decoded: the
    /// read fails as a whole rather than showing part of a case.
    fn from(e: SealError) -> sqlx::Error {
        sqlx::Error::Decode(Box::new(e))
    }
}

/// Why the keys cannot be used. Displayed as one line at start-up.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("FRIDHEM_DATA_KEY_FILE: {file} does not exist, but the personal data in the database is encrypted with key {key}; restore the file from its backup (a new key cannot read the data)")]
    Missing { file: String, key: String },
    #[error("FRIDHEM_DATA_KEY_FILE: {file}: {reason}")]
    Unreadable { file: String, reason: String },
    #[error("FRIDHEM_DATA_KEY_FILE: {file} holds key {held}, but the personal data in the database is encrypted with key {wanted}; this is the wrong key file")]
    Wrong {
        file: String,
        held: String,
        wanted: String,
    },
    #[error("data keys: {0}")]
    Database(#[from] sqlx::Error),
    #[error("data keys: {0}")]
    Other(String),
}

/// One 256-bit key and its id.
#[derive(Clone)]
struct Key {
    id: String,
    bytes: [u8; KEY_LEN],
    cipher: XChaCha20Poly1305,
}

impl Key {
    fn new(bytes: [u8; KEY_LEN]) -> Key {
        // The id names the key in stored values and in `data_keys`
        // without revealing it: a hash of the key under its own label.
        let digest = Sha256::new()
            .chain_update(b"fridhem data key id\0")
            .chain_update(bytes)
            .finalize();
        let id = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
        Key {
            id,
            bytes,
            cipher: XChaCha20Poly1305::new((&bytes).into()),
        }
    }

    fn generate() -> Key {
        let mut bytes = [0u8; KEY_LEN];
        getrandom::getrandom(&mut bytes).expect("the system has randomness");
        Key::new(bytes)
    }

    fn hex(&self) -> String {
        self.bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The keys an instance holds: the one new values are sealed with, and
/// older ones a rotation has not yet finished with.
#[derive(Clone)]
pub struct DataKeys {
    current: Key,
    others: Vec<Key>,
}

impl std::fmt::Debug for DataKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DataKeys(current {})", self.current.id)
    }
}

impl DataKeys {
    /// The id of the key new values are sealed with.
    pub fn current_id(&self) -> &str {
        &self.current.id
    }

    fn find(&self, id: &str) -> Option<&Key> {
        std::iter::once(&self.current)
            .chain(&self.others)
            .find(|k| k.id == id)
    }

    /// `plain` sealed for `place` under the current key.
    pub fn seal(&self, place: Place<'_>, plain: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::getrandom(&mut nonce).expect("the system has randomness");
        let aad = place.aad();
        let sealed = self
            .current
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: &aad,
                },
            )
            .expect("XChaCha20-Poly1305 seals any length this program stores");
        let mut raw = Vec::with_capacity(NONCE_LEN + sealed.len());
        raw.extend_from_slice(&nonce);
        raw.extend_from_slice(&sealed);
        let mut out = String::with_capacity(PREFIX.len() + 9 + raw.len() * 4 / 3 + 4);
        out.push_str(PREFIX);
        out.push_str(&self.current.id);
        out.push(':');
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode_string(&raw, &mut out);
        out
    }

    pub fn seal_opt(&self, place: Place<'_>, plain: Option<&str>) -> Option<String> {
        plain.map(|p| self.seal(place, p))
    }

    /// The value stored at `place`, opened with whichever held key sealed it.
    pub fn open(&self, place: Place<'_>, stored: &str) -> Result<String, SealError> {
        let not_sealed = || SealError::NotSealed {
            table: place.table,
            column: place.column,
        };
        let (key_id, data) = parse(stored).ok_or_else(not_sealed)?;
        let key = self.find(key_id).ok_or_else(|| SealError::UnknownKey {
            table: place.table,
            column: place.column,
            key: key_id.to_owned(),
        })?;
        let forged = || SealError::Forged {
            table: place.table,
            column: place.column,
        };
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(data)
            .map_err(|_| forged())?;
        if raw.len() < NONCE_LEN {
            return Err(forged());
        }
        let (nonce, sealed) = raw.split_at(NONCE_LEN);
        let plain = key
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: &place.aad(),
                },
            )
            .map_err(|_| forged())?;
        String::from_utf8(plain).map_err(|_| forged())
    }

    pub fn open_opt(
        &self,
        place: Place<'_>,
        stored: Option<&str>,
    ) -> Result<Option<String>, SealError> {
        stored.map(|s| self.open(place, s)).transpose()
    }

    /// Keys for one process only, for embedders and tests that name no
    /// key file: every instance of this process shares them, nothing
    /// outlives it.
    pub fn for_this_process() -> DataKeys {
        static KEY: std::sync::OnceLock<Key> = std::sync::OnceLock::new();
        DataKeys {
            current: KEY.get_or_init(Key::generate).clone(),
            others: Vec::new(),
        }
    }

    /// The keys of `file` checked against the database, creating the file
    /// (owner-only) when it does not exist and the database has never had
    /// encrypted data. The database decides which key is current; the
    /// file must hold it and every key still in use. On the first start
    /// with keys, values written before encryption existed are sealed.
    pub async fn prepare(
        db: &Db,
        file: Option<&Path>,
        tables: &[SealedTable],
        now: DateTime<Utc>,
    ) -> Result<DataKeys, KeyError> {
        let live = live_keys(db).await?;
        let held = match file {
            None => vec![DataKeys::for_this_process().current],
            Some(file) => match read_key_file(file)? {
                Some(keys) => keys,
                None => {
                    if let Some(key) = live.last() {
                        return Err(KeyError::Missing {
                            file: file.display().to_string(),
                            key: key.clone(),
                        });
                    }
                    create_key_file(file)?
                }
            },
        };
        let shown = || {
            file.map_or_else(
                || "(this process only)".to_owned(),
                |f| f.display().to_string(),
            )
        };
        if live.is_empty() {
            // The first start with encryption: seal what is still plain,
            // then name the key. Interrupted, the next start does the same
            // again, and values already sealed under this key are kept.
            let keys = DataKeys {
                current: held[0].clone(),
                others: held[1..].to_vec(),
            };
            reencrypt(db, &keys, tables, true).await?;
            register(db, &keys.current.id, now).await?;
        }
        let live = live_keys(db).await?;
        let wanted = live.last().expect("a key is registered").clone();
        let Some(current) = held.iter().find(|k| k.id == wanted) else {
            return Err(KeyError::Wrong {
                file: shown(),
                held: held
                    .iter()
                    .map(|k| k.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                wanted,
            });
        };
        for id in &live {
            if !held.iter().any(|k| &k.id == id) {
                return Err(KeyError::Wrong {
                    file: shown(),
                    held: held
                        .iter()
                        .map(|k| k.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    wanted: id.clone(),
                });
            }
        }
        Ok(DataKeys {
            current: current.clone(),
            others: held.iter().filter(|k| k.id != wanted).cloned().collect(),
        })
    }
}

/// `(key id, base64 data)` of a stored value, if it has the sealed form.
fn parse(stored: &str) -> Option<(&str, &str)> {
    let rest = stored.strip_prefix(PREFIX)?;
    let (id, data) = rest.split_once(':')?;
    (id.len() == 8 && id.bytes().all(|b| b.is_ascii_hexdigit())).then_some((id, data))
}

/// Key ids in use, oldest generation first; the last is current.
async fn live_keys(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    crate::on_pool!(db, |p| sqlx::query_scalar(
        "SELECT id FROM data_keys WHERE retired_at IS NULL ORDER BY generation"
    )
    .fetch_all(p)
    .await)
}

/// Names `id` as the current key (a new generation) unless it is named.
async fn register(db: &Db, id: &str, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    crate::on_pool!(db, |p| sqlx::query(
        // `WHERE true` keeps SQLite from reading ON CONFLICT as a join's
        // ON; a key already named, or another instance naming its key in
        // the same generation, leaves the row as it is.
        "INSERT INTO data_keys (id, generation, created_at) \
         SELECT $1, COALESCE(MAX(generation), 0) + 1, $2 FROM data_keys WHERE true \
         ON CONFLICT DO NOTHING"
    )
    .bind(id)
    .bind(now)
    .execute(p)
    .await
    .map(|_| ()))
}

/// The keys in `file`, current first; `None` when there is no file.
fn read_key_file(file: &Path) -> Result<Option<Vec<Key>>, KeyError> {
    let unreadable = |reason: String| KeyError::Unreadable {
        file: file.display().to_string(),
        reason,
    };
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(unreadable(e.to_string())),
    };
    let mut keys = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bytes: Vec<u8> = (0..line.len())
            .step_by(2)
            .map(|i| {
                line.get(i..i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            })
            .collect::<Option<_>>()
            .ok_or_else(|| unreadable("a key line is not 64 hexadecimal digits".to_owned()))?;
        let bytes: [u8; KEY_LEN] = bytes
            .try_into()
            .map_err(|_| unreadable("a key line is not 64 hexadecimal digits".to_owned()))?;
        keys.push(Key::new(bytes));
    }
    if keys.is_empty() {
        return Err(unreadable("holds no key".to_owned()));
    }
    Ok(Some(keys))
}

fn key_file_text(keys: &[&Key]) -> String {
    let mut text = String::from(
        "# Fridhem's data key: the personal data in the database is encrypted with it.\n\
         # Keep a copy apart from the database and its backups. Without this file\n\
         # the data cannot be read; with it, anyone holding a backup can.\n\
         # The first key is the newest; a second one is there only while\n\
         # `fridhem rotate-data-key` has not finished.\n",
    );
    for key in keys {
        text.push_str(&key.hex());
        text.push('\n');
    }
    text
}

/// A new key in a new file, owner-only, written whole under a temporary
/// name and linked into place: an instance starting at the same moment
/// either sees no file or the whole of it; if it wrote first, its key is
/// taken.
fn create_key_file(file: &Path) -> Result<Vec<Key>, KeyError> {
    let key = Key::generate();
    let unwritable = |e: std::io::Error| KeyError::Unreadable {
        file: file.display().to_string(),
        reason: format!("cannot be created: {e}"),
    };
    let temp = write_temp(file, &key_file_text(&[&key])).map_err(unwritable)?;
    let linked = std::fs::hard_link(&temp, file);
    let _ = std::fs::remove_file(&temp);
    match linked {
        Ok(()) => {
            tracing::warn!(
                file = %file.display(),
                "created a new data key: back this file up apart from the database"
            );
            Ok(vec![key])
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            read_key_file(file)?.ok_or_else(|| KeyError::Other("the key file vanished".into()))
        }
        Err(e) => Err(unwritable(e)),
    }
}

/// `text` in an owner-only file beside `file`, flushed to disk.
fn write_temp(file: &Path, text: &str) -> std::io::Result<PathBuf> {
    use std::io::Write;
    let dir = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let name = file
        .file_name()
        .map_or_else(|| "data-key".into(), |n| n.to_string_lossy().into_owned());
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut out = options.open(&temp)?;
    out.write_all(text.as_bytes())?;
    out.sync_all()?;
    Ok(temp)
}

/// Replaces `file` with one holding `keys`, atomically.
fn replace_key_file(file: &Path, keys: &[&Key]) -> Result<(), KeyError> {
    let failed = |e: std::io::Error| KeyError::Unreadable {
        file: file.display().to_string(),
        reason: format!("cannot be written: {e}"),
    };
    let temp = write_temp(file, &key_file_text(keys)).map_err(failed)?;
    std::fs::rename(&temp, file).map_err(failed)?;
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// What [`reencrypt`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Resealed {
    pub values: u64,
    pub rows: u64,
}

/// Seals every value of `tables` that is not sealed under the current
/// key: values under an older held key are opened and sealed again; plain
/// values only when `plain_allowed` (the first start with encryption).
/// Works in batches of rows, each its own transaction, so it can stop at
/// any point and be run again.
pub async fn reencrypt(
    db: &Db,
    keys: &DataKeys,
    tables: &[SealedTable],
    plain_allowed: bool,
) -> Result<Resealed, KeyError> {
    let mut done = Resealed::default();
    for table in tables {
        let select = format!(
            "SELECT id, CAST({row} AS TEXT) AS sealed_row, {cols} FROM {t} WHERE id > $1 ORDER BY id LIMIT {BATCH}",
            row = table.row,
            cols = table.columns.join(", "),
            t = table.table,
        );
        let mut after = 0i64;
        loop {
            // (id, [(column, new value)])
            let rows: Vec<(i64, String, Vec<Option<String>>)> = crate::on_pool!(db, |p| {
                sqlx::query(&select)
                    .bind(after)
                    .fetch_all(p)
                    .await?
                    .into_iter()
                    .map(|r| {
                        let values = (0..table.columns.len())
                            .map(|i| r.try_get::<Option<String>, _>(i + 2))
                            .collect::<Result<Vec<_>, _>>()?;
                        Ok((r.try_get(0)?, r.try_get(1)?, values))
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()
            })?;
            let Some(last) = rows.last() else { break };
            after = last.0;
            let mut changes: Vec<(i64, Vec<(&'static str, String)>)> = Vec::new();
            for (id, row_key, values) in &rows {
                let mut row_changes = Vec::new();
                for (column, value) in table.columns.iter().zip(values) {
                    let Some(stored) = value else { continue };
                    if parse(stored).is_some_and(|(k, _)| k == keys.current.id) {
                        continue;
                    }
                    let place = Place {
                        table: table.table,
                        column,
                        row: row_key,
                    };
                    let plain = match keys.open(place, stored) {
                        Ok(plain) => plain,
                        Err(_) if plain_allowed => stored.clone(),
                        Err(e) => return Err(KeyError::Other(e.to_string())),
                    };
                    row_changes.push((*column, keys.seal(place, &plain)));
                }
                if !row_changes.is_empty() {
                    changes.push((*id, row_changes));
                }
            }
            if changes.is_empty() {
                continue;
            }
            crate::on_pool!(db, |p| {
                let mut tx = p.begin().await?;
                for (id, row_changes) in &changes {
                    let sets = row_changes
                        .iter()
                        .enumerate()
                        .map(|(i, (c, _))| format!("{c} = ${}", i + 1))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let sql = format!(
                        "UPDATE {} SET {sets} WHERE id = ${}",
                        table.table,
                        row_changes.len() + 1
                    );
                    let mut q = sqlx::query(&sql);
                    for (_, v) in row_changes {
                        q = q.bind(v);
                    }
                    q.bind(id).execute(&mut *tx).await?;
                    done.values += row_changes.len() as u64;
                    done.rows += 1;
                }
                tx.commit().await?;
                Ok::<(), sqlx::Error>(())
            })?;
        }
    }
    Ok(done)
}

/// What a rotation did.
#[derive(Debug, Clone)]
pub struct Rotation {
    pub new_key: String,
    pub old_keys: Vec<String>,
    pub resealed: Resealed,
    /// Whether this run finished a rotation an earlier run began.
    pub resumed: bool,
}

/// Re-encrypts everything under a new key: writes the file with the new
/// key first and the old ones after it, makes the new key current in the
/// database, seals every value again, retires the old keys and leaves
/// only the new key in the file. Run again after an interruption, it
/// finishes the rotation it began instead of starting another.
pub async fn rotate(
    db: &Db,
    file: &Path,
    tables: &[SealedTable],
    now: DateTime<Utc>,
) -> Result<Rotation, KeyError> {
    let (keys, resumed) = begin_rotation(db, file, tables, now).await?;
    let mut resealed = Resealed::default();
    // Instances started before the rotation write under the old key
    // until they restart; a few passes catch what they wrote meanwhile.
    for _ in 0..3 {
        let pass = reencrypt(db, &keys, tables, false).await?;
        resealed.values += pass.values;
        resealed.rows += pass.rows;
        if pass.values == 0 {
            let old_keys: Vec<String> = keys.others.iter().map(|k| k.id.clone()).collect();
            crate::on_pool!(db, |p| sqlx::query(
                "UPDATE data_keys SET retired_at = $1 WHERE id <> $2 AND retired_at IS NULL"
            )
            .bind(now)
            .bind(&keys.current.id)
            .execute(p)
            .await
            .map(|_| ()))?;
            replace_key_file(file, &[&keys.current])?;
            return Ok(Rotation {
                new_key: keys.current.id.clone(),
                old_keys,
                resealed,
                resumed,
            });
        }
    }
    Err(KeyError::Other(
        "values are still being written under the old key: restart every instance with the new key file, then run `fridhem rotate-data-key` again to finish".to_owned(),
    ))
}

/// The first half of [`rotate`]: the new key written to the file (before
/// the old ones) and made current in the database, unless an earlier run
/// got that far. Returns the keys to seal with and whether a rotation was
/// already under way. From here on every instance that starts seals with
/// the new key and still opens values under the old one.
pub async fn begin_rotation(
    db: &Db,
    file: &Path,
    tables: &[SealedTable],
    now: DateTime<Utc>,
) -> Result<(DataKeys, bool), KeyError> {
    let held = read_key_file(file)?.ok_or_else(|| KeyError::Unreadable {
        file: file.display().to_string(),
        reason: "does not exist; there is nothing to rotate".to_owned(),
    })?;
    let live = live_keys(db).await?;
    // A rotation is under way when the file holds more than one key or
    // the database names more than one live key.
    let resumed = held.len() > 1 || live.len() > 1;
    let ring = if resumed {
        held
    } else {
        let new = Key::generate();
        let mut ring = vec![new];
        ring.extend(held);
        replace_key_file(file, &ring.iter().collect::<Vec<_>>())?;
        ring
    };
    register(db, &ring[0].id, now).await?;
    // The same checks as a start: the file must hold every live key, and
    // the new key must now be the current one.
    let keys = DataKeys::prepare(db, Some(file), tables, now).await?;
    if keys.current.id != ring[0].id {
        return Err(KeyError::Other(format!(
            "the database's current key is {}, not the file's first key {}; was the key file replaced during the rotation?",
            keys.current.id, ring[0].id
        )));
    }
    Ok((keys, resumed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> DataKeys {
        DataKeys {
            current: Key::generate(),
            others: Vec::new(),
        }
    }

    const AT: Place<'static> = Place {
        table: "cases",
        column: "message",
        row: "TG-2026-00001",
    };

    #[test]
    fn a_sealed_value_opens_only_where_it_was_sealed() {
        let keys = keys();
        let sealed = keys.seal(AT, "Anna Andersson, Storgatan 1");
        assert!(!sealed.contains("Anna"));
        assert!(sealed.starts_with(&format!("v1:{}:", keys.current_id())));
        assert_eq!(
            keys.open(AT, &sealed).unwrap(),
            "Anna Andersson, Storgatan 1"
        );
        for other in [
            Place {
                row: "TG-2026-00002",
                ..AT
            },
            Place {
                column: "name",
                ..AT
            },
            Place {
                table: "outbox",
                ..AT
            },
        ] {
            assert!(matches!(
                keys.open(other, &sealed),
                Err(SealError::Forged { .. })
            ));
        }
    }

    #[test]
    fn every_seal_has_its_own_nonce() {
        let keys = keys();
        assert_ne!(keys.seal(AT, "samma text"), keys.seal(AT, "samma text"));
    }

    #[test]
    fn a_changed_byte_or_a_plain_value_does_not_open() {
        let keys = keys();
        let sealed = keys.seal(AT, "hej");
        let mut bytes = sealed.clone().into_bytes();
        let last = bytes.len() - 1;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        let changed = String::from_utf8(bytes).unwrap();
        assert!(matches!(
            keys.open(AT, &changed),
            Err(SealError::Forged { .. })
        ));
        assert!(matches!(
            keys.open(AT, "hej"),
            Err(SealError::NotSealed { .. })
        ));
        let stranger = DataKeys {
            current: Key::generate(),
            others: Vec::new(),
        };
        assert!(matches!(
            stranger.open(AT, &sealed),
            Err(SealError::UnknownKey { .. })
        ));
    }

    #[test]
    fn an_older_key_still_opens_what_it_sealed() {
        let old = keys();
        let sealed = old.seal(AT, "gammalt");
        let rotated = DataKeys {
            current: Key::generate(),
            others: vec![old.current.clone()],
        };
        assert_eq!(rotated.open(AT, &sealed).unwrap(), "gammalt");
        assert!(rotated.seal(AT, "nytt").contains(rotated.current_id()));
    }

    #[test]
    fn the_key_file_round_trips_and_is_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("data-key");
        let created = create_key_file(&file).unwrap();
        let read = read_key_file(&file).unwrap().unwrap();
        assert_eq!(read[0].id, created[0].id);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&file, "not a key\n").unwrap();
        assert!(matches!(
            read_key_file(&file),
            Err(KeyError::Unreadable { .. })
        ));
    }
}
