//! The surfaces differ where they must: the public one never sets a cookie
//! and answers errors with a public page; the staff one under /admin may set
//! cookies and has its own frame; the open data API answers in JSON.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use tower::ServiceExt;

use crate::helpers::forms::{send_form, token_of, valid_fields};
use crate::helpers::TestApp;

async fn sets_a_cookie() -> axum::response::Response {
    (
        [(
            header::SET_COOKIE,
            "__Host-test=1; Secure; HttpOnly; Path=/",
        )],
        "ok",
    )
        .into_response()
}

async fn cookies_only_behind_the_staff_layer(app: &TestApp) {
    let routes = || Router::new().route("/kaka", get(sets_a_cookie));
    let request = || Request::get("/kaka").body(Body::empty()).unwrap();
    let public = fridhem::public::surface(routes(), &app.state).with_state(app.state.clone());
    let response = public.oneshot(request()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        !response.headers().contains_key(header::SET_COOKIE),
        "a public response carried a cookie"
    );
    let admin = fridhem::admin::surface(routes(), &app.state).with_state(app.state.clone());
    let response = admin.oneshot(request()).await.unwrap();
    assert_eq!(
        response.headers()[header::SET_COOKIE],
        "__Host-test=1; Secure; HttpOnly; Path=/"
    );
}

/// A visitor whose browser keeps cookies goes through every public page,
/// sends a form and reads the receipt: the jar is still empty. The same
/// client does keep a cookie the staff surface sets, so the emptiness is
/// the server's doing, not the client's.
async fn a_visit_leaves_no_cookie(app: &TestApp) {
    let visitor = app.cookie_client();
    for (path, _) in crate::pages::PUBLIC_PAGES {
        let r = visitor.client.get(visitor.url(path)).send().await.unwrap();
        assert!(r.status().is_success(), "{path}");
    }
    let html = visitor
        .client
        .get(visitor.url("/kontakt"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = token_of(&html);
    let mut fields = valid_fields("/kontakt");
    fields.push(("token", &token));
    let r = send_form(&visitor.client, &visitor.url("/kontakt"), &fields).await;
    assert_eq!(r.status(), 303);
    let receipt = r.headers()["location"].to_str().unwrap().to_owned();
    let r = visitor
        .client
        .get(visitor.url(&receipt))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    for path in ["/", "/kontakt", &receipt] {
        assert_eq!(visitor.cookies_for(path), None, "{path}");
    }

    // The staff surface, served over HTTP, may set one and the jar keeps it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let admin = fridhem::admin::surface(
        Router::new().route("/kaka", get(sets_a_plain_cookie)),
        &app.state,
    )
    .with_state(app.state.clone());
    let server = tokio::spawn(async move { axum::serve(listener, admin).await });
    let staff = crate::helpers::cookies::CookieClient::new(&address);
    let r = staff.client.get(staff.url("/kaka")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(staff.cookies_for("/").as_deref(), Some("test=1"));
    server.abort();
}

async fn sets_a_plain_cookie() -> axum::response::Response {
    ([(header::SET_COOKIE, "test=1; HttpOnly; Path=/")], "ok").into_response()
}

async fn admin_has_its_own_frame(app: &TestApp) {
    let r = app.get("/admin/logga-in").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.headers()["x-robots-tag"], "noindex, nofollow");
    assert!(r.headers().contains_key("content-security-policy"));
    let html = r.text().await.unwrap();
    assert!(html.contains("<meta name=\"robots\" content=\"noindex, nofollow\">"));
    assert!(html.contains("för personal"));
    assert!(
        !html.contains("class=\"help-box\""),
        "no help box for staff"
    );
    assert!(
        !html.contains("class=\"quick-exit\""),
        "no quick exit for staff"
    );
    // Any other address asks an anonymous visitor to sign in first.
    for (path, till) in [
        ("/admin", "%2Fadmin"),
        ("/admin/nagot/annat?x=1", "%2Fadmin%2Fnagot%2Fannat%3Fx%3D1"),
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status(), 303, "{path}");
        assert_eq!(
            r.headers()["location"],
            format!("/admin/logga-in?till={till}").as_str()
        );
        assert_eq!(r.headers()["cache-control"], "no-store");
    }
}

async fn the_api_answers_in_json(app: &TestApp) {
    for (method, path, status) in [
        ("GET", "/openreferral/finns-inte", 404),
        ("POST", "/openreferral/services", 405),
    ] {
        let r = app
            .client
            .request(method.parse().unwrap(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), status, "{method} {path}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{method} {path}"
        );
        let body: serde_json::Value = r.json().await.unwrap();
        assert!(body["error"].is_string());
    }
    // A public path with the wrong method gets the public page instead.
    let r = app.client.post(app.url("/hjalp")).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert!(r.text().await.unwrap().contains("class=\"help-box\""));
}

crate::db_tests!(
    cookies_only_behind_the_staff_layer,
    a_visit_leaves_no_cookie,
    admin_has_its_own_frame,
    the_api_answers_in_json,
);
