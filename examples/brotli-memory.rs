//! How much memory and time brotli takes on a page, per quality and window,
//! and what Fridhem's own settings take. The numbers behind the choices in
//! `src/web/compress.rs`.
//!
//!   curl -s http://127.0.0.1:8080/hjalp -o /tmp/hjalp.html
//!   cargo run --release --example brotli-memory -- /tmp/hjalp.html

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use fridhem::web::compress::{brotli, Effort};

/// The system allocator, counting the bytes in use and their peak.
struct Counting;
static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = IN_USE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
        PEAK.fetch_max(now, Ordering::SeqCst);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::SeqCst);
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f`; returns its output's length, the peak extra memory in KB and
/// the time it took.
fn measure(f: impl FnOnce() -> Vec<u8>) -> (usize, usize, std::time::Duration) {
    let base = IN_USE.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let started = Instant::now();
    let len = f().len();
    (
        len,
        (PEAK.load(Ordering::SeqCst) - base) / 1024,
        started.elapsed(),
    )
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: brotli-memory PAGE.html");
    let data = std::fs::read(&path).expect("the page can be read");
    println!("{path}: {} bytes", data.len());
    for quality in [5u32, 6, 9, 10, 11] {
        for window in [15u32, 16, 17, 22] {
            let (len, kb, time) = measure(|| {
                let mut out = vec![];
                let mut w = ::brotli::CompressorWriter::new(&mut out, 4096, quality, window);
                w.write_all(&data).unwrap();
                drop(w);
                out
            });
            println!(
                "quality {quality:2} window 2^{window}: {len:6} bytes, peak {kb:6} KB, {time:?}"
            );
        }
    }
    for (name, effort) in [
        ("Max", Effort::Max),
        ("Quick", Effort::Quick),
        ("Fast", Effort::Fast),
    ] {
        let (len, kb, time) = measure(|| brotli(&data, effort));
        println!("Fridhem {name:5}: {len:6} bytes, peak {kb:6} KB, {time:?}");
    }
}
