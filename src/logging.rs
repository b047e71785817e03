//! Log output. Lines are formatted by tracing as JSON and collected in a
//! buffer that is written to stdout every 200 ms, when it grows past 32 KiB,
//! and at once for warnings and errors. One write per batch instead of one
//! per request line: measured, a write per line cost about a third of the
//! throughput of serving a cached page (see scripts/bench-public.sh).

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tracing::{Level, Metadata};
use tracing_subscriber::fmt::MakeWriter;

const FLUSH_EVERY: Duration = Duration::from_millis(200);
const FLUSH_AT_BYTES: usize = 32 * 1024;

#[derive(Clone, Default)]
pub struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    pub fn append(&self, bytes: &[u8], urgent: bool) {
        let mut buf = self.0.lock().unwrap_or_else(|e| e.into_inner());
        buf.extend_from_slice(bytes);
        if urgent || buf.len() >= FLUSH_AT_BYTES {
            write_out(&mut buf);
        }
    }

    /// Writes everything buffered so far to stdout.
    pub fn flush(&self) {
        write_out(&mut self.0.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// Starts the thread that flushes the buffer periodically.
    pub fn spawn_flusher(&self) {
        let this = self.clone();
        std::thread::Builder::new()
            .name("log-flush".into())
            .spawn(move || loop {
                std::thread::sleep(FLUSH_EVERY);
                this.flush();
            })
            .expect("can start the log flush thread");
    }
}

fn write_out(buf: &mut Vec<u8>) {
    if buf.is_empty() {
        return;
    }
    let mut out = std::io::stdout().lock();
    // A closed stdout must not take the server down; the lines are dropped.
    let _ = out.write_all(buf).and_then(|()| out.flush());
    buf.clear();
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
        assert_eq!(&*buffer.0.lock().unwrap(), b"one\n");
        buffer.flush();
        assert!(buffer.0.lock().unwrap().is_empty());
    }

    #[test]
    fn urgent_lines_and_full_buffers_go_out_at_once() {
        let buffer = LogBuffer::default();
        buffer.append(b"warn\n", true);
        assert!(buffer.0.lock().unwrap().is_empty());
        buffer.append(&vec![b'x'; FLUSH_AT_BYTES], false);
        assert!(buffer.0.lock().unwrap().is_empty());
    }
}
