//! The single writer under many concurrent jobs: every job is answered,
//! and a job that fails (here: a duplicate key) fails alone while the
//! others of its batch are committed.

use std::sync::Arc;

use fridhem::db::writer::{WriteError, Writer};
use fridhem::db::Tx;

use crate::helpers::TestApp;

/// A job that stores `key` in app_meta; a key stored before fails.
async fn put(writer: &Writer, key: String) -> Result<(), WriteError> {
    writer
        .write(move |tx: &mut Tx<'_>| {
            let key = key.clone();
            Box::pin(async move {
                fridhem::on_tx!(tx, |c| sqlx::query(
                    "INSERT INTO app_meta (key, value) VALUES ($1, 'x')"
                )
                .bind(&key)
                .execute(c)
                .await
                .map(|_| ()))
            })
        })
        .await
}

async fn a_failing_job_fails_alone(app: &TestApp) {
    let writer = Arc::new(app.state.writer.clone());
    put(&writer, "taken".into()).await.expect("a fresh key");
    // 200 jobs at once, every tenth one a duplicate: they land in shared
    // batches with the failures among them.
    let jobs: Vec<_> = (0..200)
        .map(|i| {
            let writer = writer.clone();
            let key = if i % 10 == 0 {
                "taken".to_owned()
            } else {
                format!("k{i}")
            };
            tokio::spawn(async move { (i, put(&writer, key).await) })
        })
        .collect();
    let mut failed = vec![];
    for job in jobs {
        let (i, result) = job.await.unwrap();
        match result {
            Ok(()) => assert!(i % 10 != 0, "job {i} stored a duplicate"),
            Err(WriteError::Db(e)) => {
                assert!(i % 10 == 0, "job {i} failed: {e}");
                failed.push(i);
            }
            Err(e) => panic!("job {i}: {e}"),
        }
    }
    assert_eq!(failed.len(), 20);
    let stored: i64 = fridhem::on_pool!(&app.db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM app_meta WHERE key = 'taken' OR key LIKE 'k%'"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(stored, 1 + 180, "every good job is stored, once");
}

crate::db_tests!(a_failing_job_fails_alone);
