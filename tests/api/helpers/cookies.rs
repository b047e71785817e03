//! A client that keeps cookies like a browser: what staff sign-in tests
//! will use, and what shows that the public surface never leaves one.

use std::sync::Arc;

use reqwest::cookie::{CookieStore, Jar};

pub struct CookieClient {
    pub client: reqwest::Client,
    jar: Arc<Jar>,
    base: url::Url,
}

impl CookieClient {
    /// A client for the server at `address` (`http://127.0.0.1:port`) that
    /// stores every cookie it is given and sends it back; redirects are
    /// not followed, so tests see each 303.
    pub fn new(address: &str) -> CookieClient {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        CookieClient {
            client,
            jar,
            base: url::Url::parse(address).unwrap(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        self.base.join(path).unwrap().to_string()
    }

    /// The `Cookie` header the client would send to `path`, if any.
    pub fn cookies_for(&self, path: &str) -> Option<String> {
        let url = self.base.join(path).unwrap();
        self.jar
            .cookies(&url)
            .map(|v| v.to_str().unwrap_or_default().to_owned())
    }
}
