//! The surfaces differ where they must: the public one never sets a cookie
//! and answers errors with a public page; the staff one under /admin may set
//! cookies and has its own frame; the open data API answers in JSON.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use tower::ServiceExt;

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

async fn admin_has_its_own_frame(app: &TestApp) {
    let r = app.get("/admin").await;
    assert_eq!(r.status(), 404);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.headers()["x-robots-tag"], "noindex, nofollow");
    assert!(r.headers().contains_key("content-security-policy"));
    let html = r.text().await.unwrap();
    assert!(html.contains("<meta name=\"robots\" content=\"noindex, nofollow\">"));
    assert!(html.contains("Sidan finns inte"));
    assert!(
        !html.contains("class=\"help-box\""),
        "no help box for staff"
    );
    assert!(
        !html.contains("class=\"quick-exit\""),
        "no quick exit for staff"
    );
    let (status, html) = app.get_text("/admin/nagot/annat").await;
    assert_eq!(status, 404);
    assert!(html.contains("för personal"));
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
    admin_has_its_own_frame,
    the_api_answers_in_json,
);
