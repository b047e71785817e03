//! How long one staff password hash takes on this machine, with the
//! production parameters (Argon2id, 19 MiB, t=2, p=1), as a sign-in pays
//! it once on a blocking thread:
//!
//!     cargo run --release --example argon2-time

use std::time::Instant;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let password = "vinter kanel lykta segelbåt".to_owned();
    let mut times = vec![];
    let mut stored = String::new();
    for _ in 0..10 {
        let start = Instant::now();
        stored = fridhem::auth::password::hash(password.clone())
            .await
            .expect("hashing works");
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    let start = Instant::now();
    assert_eq!(
        fridhem::auth::password::verify(password, Some(stored)).await,
        Ok(true)
    );
    let verify = start.elapsed().as_secs_f64() * 1000.0;
    times.sort_by(f64::total_cmp);
    println!(
        "Argon2id m={} KiB t={} p={}: hash median {:.1} ms (min {:.1}, max {:.1}), one verify {:.1} ms",
        fridhem::auth::password::MEMORY_KIB,
        fridhem::auth::password::PASSES,
        fridhem::auth::password::LANES,
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        verify
    );
}
