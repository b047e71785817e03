//! Log output. Lines are formatted by tracing as JSON and collected in a
//! buffer that a thread of its own writes to stdout every 200 ms and as
//! soon as it grows past 32 KiB; warnings and errors go out at once. One
//! write per batch instead of one per request line, and off the threads
//! that serve requests: measured, a write per line cost about a third of
//! the throughput of serving a cached page, and writing the full buffer
//! from the request path still cost a few percent
//! (see scripts/bench-public.sh).

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tracing::{Level, Metadata};
use tracing_subscriber::fmt::MakeWriter;

const FLUSH_EVERY: Duration = Duration::from_millis(200);
const FLUSH_AT_BYTES: usize = 32 * 1024;
/// If the flush thread falls this far behind (stdout blocked), the request
/// path writes itself, so the buffer cannot grow without bound.
const WRITE_INLINE_AT_BYTES: usize = 8 * FLUSH_AT_BYTES;

#[derive(Clone, Default)]
pub struct LogBuffer(Arc<Shared>);

#[derive(Default)]
struct Shared {
    lines: Mutex<Vec<u8>>,
    /// Wakes the flush thread when the buffer is full.
    full: Condvar,
    /// Held while writing to stdout, so batches reach it in order.
    stdout: Mutex<()>,
}

impl LogBuffer {
    pub fn append(&self, bytes: &[u8], urgent: bool) {
        let len = {
            let mut lines = self.0.lines.lock().unwrap_or_else(|e| e.into_inner());
            lines.extend_from_slice(bytes);
            lines.len()
        };
        if urgent || len >= WRITE_INLINE_AT_BYTES {
            self.flush();
        } else if len >= FLUSH_AT_BYTES {
            self.0.full.notify_one();
        }
    }

    /// Writes everything buffered so far to stdout.
    pub fn flush(&self) {
        let _stdout = self.0.stdout.lock().unwrap_or_else(|e| e.into_inner());
        let batch = std::mem::take(&mut *self.0.lines.lock().unwrap_or_else(|e| e.into_inner()));
        write_out(&batch);
    }

    /// Starts the thread that flushes the buffer periodically and when full.
    pub fn spawn_flusher(&self) {
        let this = self.clone();
        std::thread::Builder::new()
            .name("log-flush".into())
            .spawn(move || loop {
                {
                    let lines = this.0.lines.lock().unwrap_or_else(|e| e.into_inner());
                    let _ = this
                        .0
                        .full
                        .wait_timeout_while(lines, FLUSH_EVERY, |l| l.len() < FLUSH_AT_BYTES);
                }
                this.flush();
            })
            .expect("can start the log flush thread");
    }
}

fn write_out(batch: &[u8]) {
    if batch.is_empty() {
        return;
    }
    let mut out = std::io::stdout().lock();
    // A closed stdout must not take the server down; the lines are dropped.
    let _ = out.write_all(batch).and_then(|()| out.flush());
}

pub struct LineWriter {
    buffer: LogBuffer,
    urgent: bool,
}

impl Write for LineWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.append(bytes, self.urgent);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for LogBuffer {
    type Writer = LineWriter;

    fn make_writer(&'a self) -> LineWriter {
        LineWriter {
            buffer: self.clone(),
            urgent: false,
        }
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> LineWriter {
        LineWriter {
            buffer: self.clone(),
            urgent: *meta.level() <= Level::WARN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_kept_until_flushed() {
        let buffer = LogBuffer::default();
        buffer.make_writer().write_all(b"one\n").unwrap();
        assert_eq!(&*buffer.0.lines.lock().unwrap(), b"one\n");
        buffer.flush();
        assert!(buffer.0.lines.lock().unwrap().is_empty());
    }

    #[test]
    fn urgent_lines_and_overfull_buffers_go_out_at_once() {
        let buffer = LogBuffer::default();
        buffer.append(b"warn\n", true);
        assert!(buffer.0.lines.lock().unwrap().is_empty());
        // Full: left to the flush thread (none runs here).
        buffer.append(&[b'\n'; FLUSH_AT_BYTES], false);
        assert_eq!(buffer.0.lines.lock().unwrap().len(), FLUSH_AT_BYTES);
        // Far behind: written by the caller.
        buffer.append(&vec![b'\n'; WRITE_INLINE_AT_BYTES], false);
        assert!(buffer.0.lines.lock().unwrap().is_empty());
    }

    #[test]
    fn the_flush_thread_takes_a_full_buffer() {
        let buffer = LogBuffer::default();
        buffer.spawn_flusher();
        buffer.append(&[b'\n'; FLUSH_AT_BYTES], false);
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while !buffer.0.lines.lock().unwrap().is_empty() {
            assert!(std::time::Instant::now() < deadline, "not flushed");
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}
