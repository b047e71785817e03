//! A real SMTP server for the tests (mailin-embedded), run in a thread and
//! collecting every accepted message.

use std::io;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use mailin_embedded::{Handler, Server};

#[derive(Clone, Default)]
pub struct Inbox(Arc<Mutex<Vec<String>>>);

impl Inbox {
    pub fn messages(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

#[derive(Clone)]
struct Collect {
    inbox: Inbox,
    current: Vec<u8>,
}

/// Mail to this address is refused by the server (550 no such mailbox).
pub const REFUSED_RECIPIENT: &str = "avvisad@example.se";

impl Handler for Collect {
    fn rcpt(&mut self, to: &str) -> mailin_embedded::Response {
        if to.contains(REFUSED_RECIPIENT) {
            mailin_embedded::response::NO_MAILBOX
        } else {
            mailin_embedded::response::OK
        }
    }

    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        _to: &[String],
    ) -> mailin_embedded::Response {
        self.current.clear();
        mailin_embedded::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        let text = String::from_utf8_lossy(&self.current).into_owned();
        self.inbox.0.lock().unwrap().push(text);
        mailin_embedded::response::OK
    }
}

/// Starts an SMTP server on `port` in a background thread.
pub fn start(port: u16) -> Inbox {
    let inbox = Inbox::default();
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("SMTP port is free");
    let mut server = Server::new(Collect {
        inbox: inbox.clone(),
        current: vec![],
    });
    server.with_name("smtp.test").with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    inbox
}
