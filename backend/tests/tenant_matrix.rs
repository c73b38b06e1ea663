//! The tenant matrix, generated from the router's own route list: the demo data gives
//! two centres (cases with reports, registered patients, a clinic each, notifications
//! at the first, an aggregate login). Every API and page route with a path parameter is
//! called with each of centre A's ids in its parameters, by centre B's staff, B's
//! clinic, a patient of B, the aggregate login and an anonymous caller (API with a
//! bearer token, pages with the session cookie, the form token and the bearer token of
//! that caller). Each
//! answer is a refusal (401/403/404, a page's redirect to a login, or a 400 that an id
//! existing nowhere gets too), carries nothing of
//! A's case (name, phone, input ID, a notification's name, phone, address), and the
//! database is the same afterwards. Every GET route without path parameters is also
//! called with A's ids and values in its query (searches, filters): nothing of A comes
//! back. A new route is in the matrix as soon as it is mounted.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use backend::clinic::sql::{self, V};
use backend::http::routes::{self, Kind, RouteInfo};
use backend::password::HashCost;
use common::{Phone, Signed, TestApp, form, hidden};
use serde_json::{Value, json};

/// Routes whose parameters are not another tenant's data, each with its reason.
const NOT_TENANT_DATA: &[(&str, &str)] = &[
    ("/lang/{tag}", "a language tag; the same for everyone"),
    ("/api/v1/clinic/counts/{day}", "a day of the caller's own counts"),
    ("/api/v1/registrations/{id}/verify", "public step: an unguessable request id plus the mailed code"),
    ("/api/v1/registrations/{id}/password", "public step: needs the registration token of that request"),
    ("/api/v1/registrations/{id}/attributes", "public step: needs the registration token of that request"),
];

const DEMO_PASSWORD: &str = "Mimamori-Demo-2026";

/// One caller of the matrix.
struct Caller {
    name: &'static str,
    token: Option<String>,
    cookie: Option<String>,
    csrf: String,
}

/// What is A's: ids to put in paths, values that must not come back.
struct TenantA {
    ids: Vec<(&'static str, String)>,
    secrets: Vec<String>,
    staff_token: String,
}

fn field<'a>(line: &'a str, after: &str) -> &'a str {
    line.split(after).nth(1).unwrap_or("").split_whitespace().next().unwrap_or("")
}

async fn staff_token(t: &TestApp, email: &str) -> String {
    t.login_staff(email, DEMO_PASSWORD).await
}

async fn api_login(t: &TestApp, path: &str, email: &str) -> String {
    let r = t.post(path, None, json!({ "email": email, "password": DEMO_PASSWORD })).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {:?}", r.body);
    r.body["token"].as_str().unwrap().to_owned()
}

async fn clinic_pages(t: &TestApp, email: &str) -> (String, String) {
    let login = t.page(Method::GET, "/clinic/login", None, None, &[]).await;
    let csrf = hidden(&login.text, "csrf");
    let (cookie, _) = login.set_cookie("mimamori_org_login").unwrap();
    let body = form(&[("email", email), ("password", DEMO_PASSWORD), ("csrf", &csrf), ("next", "/clinic")]);
    let r = t.page(Method::POST, "/clinic/login", Some(&format!("mimamori_org_login={cookie}")), Some(body), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let cookie = format!("mimamori_org={}", r.set_cookie("mimamori_org").unwrap().0);
    // The form token of a page with a form (the aggregate login has none: no token).
    let home = t.page(Method::GET, "/clinic/notifications/new", Some(&cookie), None, &[]).await;
    let csrf = if home.text.contains("name=\"csrf\"") { hidden(&home.text, "csrf") } else { String::new() };
    (cookie, csrf)
}

async fn patient_pages(t: &TestApp, email: &str) -> Phone {
    let mut phone = Phone::default();
    t.open(&mut phone, "/app/login").await;
    let r = t.fill(&mut phone, "/app/login", &[("email", email), ("password", DEMO_PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    t.open(&mut phone, "/app/report").await;
    phone
}

/// Demo data, A's ids and secrets, and the callers from outside A.
async fn world(t: &TestApp) -> (TenantA, Vec<Caller>) {
    let lines = backend::cli::demo(&t.db, HashCost::TEST_ONLY, t.state.clock.now()).await.unwrap();
    let lines: Vec<String> = lines.into_iter().chain(backend::clinic::demo(&t.db, HashCost::TEST_ONLY).await.unwrap()).collect();
    let admins: Vec<&str> = lines.iter().filter(|l| l.starts_with("centre ")).map(|l| field(l, "admin login ")).collect();
    let centre_b = lines.iter().position(|l| l.starts_with("centre ")).and_then(|a| lines.iter().skip(a + 1).position(|l| l.starts_with("centre ")).map(|b| a + 1 + b)).unwrap();
    let patients_b: Vec<&str> = lines[centre_b..].iter().filter(|l| l.contains("registered patient ")).map(|l| field(l, "registered patient ")).collect();
    let clinics: Vec<&str> = lines.iter().filter(|l| l.starts_with("clinic ")).map(|l| field(l, "login ")).collect();
    let aggregate = lines.iter().find_map(|l| l.strip_prefix("aggregate statistics login ")).map(|l| l.split_whitespace().next().unwrap()).unwrap();
    let a_token = staff_token(t, admins[0]).await;

    // A's cases with reports, their notifications and report ids.
    let mut ids = Vec::new();
    let mut secrets = Vec::new();
    let cases = t.get("/api/v1/cases", Some(&a_token)).await.body["cases"].as_array().unwrap().clone();
    for case in &cases {
        let id = case["id"].as_i64().unwrap();
        ids.push(("case", id.to_string()));
        for key in ["name", "phone", "input_id"] {
            secrets.push(case[key].as_str().unwrap().to_owned());
        }
        let reports = t.get(&format!("/api/v1/cases/{id}/reports"), Some(&a_token)).await.body;
        if let Some(r) = reports["reports"].as_array().and_then(|r| r.first()) {
            ids.push(("report", r["id"].as_str().unwrap().to_owned()));
        }
    }
    let queue = t.get("/api/v1/notifications", Some(&a_token)).await.body;
    for n in queue["notifications"].as_array().unwrap() {
        let id = n["id"].as_i64().unwrap();
        ids.push(("notification", id.to_string()));
        let full = t.get(&format!("/api/v1/notifications/{id}"), Some(&a_token)).await.body;
        for key in ["name", "phone", "address"] {
            secrets.push(full["notification"]["fields"][key].as_str().unwrap().to_owned());
        }
    }
    assert!(ids.iter().any(|i| i.0 == "report") && ids.iter().any(|i| i.0 == "notification"), "{ids:?}");
    // One of each kind is enough for the matrix; the first case has reports.
    let mut one: Vec<(&'static str, String)> = Vec::new();
    for (kind, id) in ids {
        if !one.iter().any(|o| o.0 == kind) {
            one.push((kind, id));
        }
    }

    let b_staff: Signed = t.sign_in(admins[1], DEMO_PASSWORD).await;
    let (clinic_cookie, clinic_csrf) = clinic_pages(t, clinics[1]).await;
    let (agg_cookie, agg_csrf) = clinic_pages(t, aggregate).await;
    let phone = patient_pages(t, patients_b[0]).await;
    let callers = vec![
        Caller { name: "staff of centre B", token: Some(staff_token(t, admins[1]).await), cookie: Some(b_staff.cookie), csrf: b_staff.csrf },
        Caller { name: "clinic of centre B", token: Some(api_login(t, "/api/v1/clinic/login", clinics[1]).await), cookie: Some(clinic_cookie), csrf: clinic_csrf },
        Caller { name: "patient of centre B", token: Some(api_login(t, "/api/v1/login", patients_b[0]).await), cookie: Some(phone.cookie()), csrf: phone.csrf.clone() },
        Caller { name: "aggregate login", token: Some(api_login(t, "/api/v1/clinic/login", aggregate).await), cookie: Some(agg_cookie), csrf: agg_csrf },
        Caller { name: "anonymous", token: None, cookie: None, csrf: String::new() },
    ];
    (TenantA { ids: one, secrets, staff_token: a_token }, callers)
}

/// A JSON body the route's owner would send (so the refusal is the tenant check, not
/// the body's shape).
fn json_body(r: &RouteInfo, case: &str) -> Option<Value> {
    let p = r.path.as_str();
    Some(match () {
        _ if p.ends_with("/handled") => json!({ "note": "電話で確認した" }),
        _ if p.ends_with("/call") => json!({ "observation": "phone" }),
        _ if p.ends_with("/accept") => json!({ "observation": "app", "period_start": "2026-01-01", "period_end": "2026-01-14" }),
        _ if p.ends_with("/duplicate") => json!({ "case_id": case.parse::<i64>().unwrap_or(1) }),
        _ => return None,
    })
}

/// The form fields the route's owner would send, beside the form token.
fn form_fields(r: &RouteInfo, case: &str) -> Vec<(&'static str, String)> {
    let p = r.path.as_str();
    match () {
        _ if p.ends_with("/contacts") => vec![("outcome", "reached".into()), ("note", "電話で確認した".into())],
        _ if p.ends_with("/handled") => vec![("note", "電話で確認した".into())],
        _ if p.ends_with("/transfer") => vec![("to_centre", "1".into()), ("reason", "転居のため".into())],
        _ if p.ends_with("/call") => vec![("observation", "phone".into()), ("phone", String::new()), ("lang", "ja".into())],
        _ if p.ends_with("/accept") => vec![("observation", "app".into()), ("period_start", "2026-01-01".into()), ("period_end", "2026-01-14".into())],
        _ if p.ends_with("/duplicate") => vec![("case_id", case.into())],
        _ => Vec::new(),
    }
}

/// One call of route `r` at `path` by caller `c`, with the body its owner would send:
/// status, headers and body text.
async fn call(t: &TestApp, r: &RouteInfo, path: &str, c: &Caller, case: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    if r.kind() == Kind::Api {
        let body = json_body(r, case);
        let res = t.send(TestApp::request(r.method.clone(), path, c.token.as_deref(), body.as_ref())).await;
        return (res.status, res.headers, res.body.to_string());
    }
    let body = (r.method != Method::GET).then(|| {
        let mut fields = vec![("csrf", c.csrf.clone())];
        fields.extend(form_fields(r, case));
        form(&fields.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>())
    });
    // The caller's bearer token too: a route outside `/api/` may take one.
    let bearer = c.token.as_ref().map(|t| format!("Bearer {t}"));
    let extra: Vec<(&str, &str)> = bearer.as_deref().map(|b| ("authorization", b)).into_iter().collect();
    let res = t.page(r.method.clone(), path, c.cookie.as_deref(), body, &extra).await;
    (res.status, res.headers, res.text)
}

/// An id of the same shape as `id` that no table holds: a number or a UUID.
fn ghost_of(id: &str) -> String {
    if id.parse::<i64>().is_ok() { "987654321".to_owned() } else { "00000000-0000-4000-8000-00000000dead".to_owned() }
}

/// The path with every parameter set to `value`.
fn fill(r: &RouteInfo, value: &str) -> String {
    let mut out = r.path.clone();
    for p in r.params() {
        out = out.replace(&format!("{{{p}}}"), value).replace(&format!("{{*{p}}}"), value);
    }
    out
}

/// Every table's rows, as text, in a stable order.
async fn snapshot(t: &TestApp) -> Vec<(String, String)> {
    let pg = common::database_kind() == "postgres";
    let tables_sql = if pg {
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
    };
    let mut out = Vec::new();
    for row in sql::query(&t.db, tables_sql, vec![]).await.unwrap() {
        let table = row.s(0).unwrap();
        // A person reading their own disclosure records that it was given (a request
        // of kind disclosure, answered at once), like an audit row.
        let only = if table == "rights_requests" { " WHERE NOT (kind = 'disclosure' AND status = 'disclosed')" } else { "" };
        let text = if pg {
            format!("SELECT coalesce(string_agg(x::text, '|' ORDER BY x::text), '') FROM {table} x{only}")
        } else {
            let cols: Vec<String> = sql::query(&t.db, &format!("SELECT name FROM pragma_table_info('{table}')"), vec![]).await.unwrap().iter().map(|c| c.s(0).unwrap()).collect();
            let row = cols.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join("||','||");
            format!("SELECT coalesce(group_concat(r, '|'), '') FROM (SELECT {row} AS r FROM \"{table}\"{only} ORDER BY 1)")
        };
        let rows = sql::query(&t.db, &text, vec![]).await.unwrap();
        let dump = match rows.first().and_then(|r| r.0.first()) {
            Some(V::S(s)) => s.clone(),
            other => format!("{other:?}"),
        };
        out.push((table, dump));
    }
    out
}

/// A refusal: 401, 403, 404, a page's redirect to a login, or 400 — a value that is
/// not of the parameter's type (a report's UUID where a number goes), or a body naming
/// A's case, which the caller's centre does not have either. A 400 is checked once more
/// against an id that does not exist, which must get the same answer.
fn refused(r: &RouteInfo, status: StatusCode, location: &str) -> bool {
    [400, 401, 403, 404].contains(&status.as_u16()) || (r.kind() == Kind::Page && status == StatusCode::SEE_OTHER && location.contains("/login"))
}

#[tokio::test]
async fn no_route_gives_another_tenant_anything_of_a_case() {
    let t = TestApp::new().await;
    let (a, callers) = world(&t).await;
    let exempt: Vec<&str> = NOT_TENANT_DATA.iter().map(|e| e.0).collect();
    let all_routes = routes::list(&t.app);
    let list: Vec<RouteInfo> = all_routes
        .iter()
        .filter(|r| matches!(r.kind(), Kind::Api | Kind::Page) && !r.params().is_empty() && !exempt.contains(&r.path.as_str()))
        .cloned()
        .collect();
    assert!(list.len() >= 20, "the route list is too short: {list:?}");
    for e in &exempt {
        assert!(routes::list(&t.app).iter().any(|r| r.path == *e), "{e} is exempt but not a route");
    }
    let case = a.ids.iter().find(|i| i.0 == "case").unwrap().1.clone();
    let before = snapshot(&t).await;
    let mut failures = Vec::new();
    let mut calls = 0;
    for r in &list {
        for (kind, id) in &a.ids {
            let path = fill(r, id);
            for c in &callers {
                let (status, headers, text) = call(&t, r, &path, c, &case).await;
                calls += 1;
                let location = headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("");
                if !refused(r, status, location) {
                    failures.push(format!("{} {path} ({kind}) as {}: {status} {location}", r.method, c.name));
                }
                // A 400 is a refusal only when an id of the same shape that exists
                // nowhere gets it too: then it is about the value's type, not A's data.
                if status == StatusCode::BAD_REQUEST {
                    let ghost = fill(r, &ghost_of(id));
                    let (g, _, _) = call(&t, r, &ghost, c, &case).await;
                    calls += 1;
                    if g != StatusCode::BAD_REQUEST {
                        failures.push(format!("{} {path} ({kind}) as {}: 400 for A's id, {g} for one that does not exist", r.method, c.name));
                    }
                }
                if let Some(s) = a.secrets.iter().find(|s| text.contains(s.as_str()) || location.contains(s.as_str())) {
                    failures.push(format!("{} {path} ({kind}) as {}: the answer holds A's {s:?}", r.method, c.name));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {calls} calls not refused:\n{}", failures.len(), failures.join("\n"));
    let after = snapshot(&t).await;
    let changed: Vec<&String> = before.iter().zip(&after).filter(|(b, a)| b != a).map(|(b, _)| &b.0).collect();
    assert_eq!(before.len(), after.len());
    assert!(changed.is_empty(), "tables changed by refused calls: {changed:?}");

    // Query parameters: every GET route without path parameters, with A's ids and
    // searchable values (input ID, phone, name) in the query names routes read (`q`,
    // `id`, `case_id`, `case`, `centre`, `status`, a wide date range): whatever the
    // caller may see there, nothing of A's cases.
    let gets: Vec<&RouteInfo> = all_routes.iter().filter(|r| r.method == Method::GET && matches!(r.kind(), Kind::Api | Kind::Page) && r.params().is_empty()).collect();
    assert!(gets.len() >= 20, "{gets:?}");
    let mut values: Vec<String> = a.ids.iter().map(|i| i.1.clone()).collect();
    values.extend(a.secrets.iter().take(3).cloned());
    for r in &gets {
        for v in &values {
            let q: String = form_urlencoded::Serializer::new(String::new())
                .extend_pairs([("q", v.as_str()), ("id", v), ("case_id", v), ("case", v), ("centre", v), ("status", "all"), ("from", "2000-01-01"), ("to", "2100-01-01")])
                .finish();
            let path = format!("{}?{q}", r.path);
            for c in &callers {
                let res = if r.kind() == Kind::Api {
                    let res = t.send(TestApp::request(Method::GET, &path, c.token.as_deref(), None)).await;
                    (res.status, res.headers, res.body.to_string())
                } else {
                    let res = t.page(Method::GET, &path, c.cookie.as_deref(), None, &[]).await;
                    (res.status, res.headers, res.text)
                };
                calls += 1;
                let location = res.1.get("location").and_then(|v| v.to_str().ok()).unwrap_or("");
                if res.0.is_server_error() {
                    failures.push(format!("GET {path} as {}: {}", c.name, res.0));
                }
                // The value sent may come back as typed (a search box, `next=`); any
                // other value of A is a leak.
                if let Some(s) = a.secrets.iter().filter(|s| *s != v).find(|s| res.2.contains(s.as_str()) || location.contains(s.as_str())) {
                    failures.push(format!("GET {path} as {}: the answer holds A's {s:?}", c.name));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {calls} calls gave something of A:\n{}", failures.len(), failures.join("\n"));
    // Reads are audited and the statistics keep a cache of computed days: those
    // tables may change; no other.
    let now = snapshot(&t).await;
    let changed: Vec<&String> = after.iter().zip(&now).filter(|(b, a)| b != a && !b.0.contains("audit") && !b.0.starts_with("stats_")).map(|(b, _)| &b.0).collect();
    assert!(changed.is_empty(), "tables changed by reads: {changed:?}");

    // The same GETs by A's own staff do answer with A's data: the ids were right.
    let mut seen = 0;
    for r in list.iter().filter(|r| r.method == Method::GET && r.kind() == Kind::Api) {
        for (_, id) in &a.ids {
            let res = t.get(&fill(r, id), Some(&a.staff_token)).await;
            if res.status == StatusCode::OK {
                seen += 1;
            }
        }
    }
    assert!(seen >= 4, "A's staff read only {seen} of A's resources through the matrix's paths");
    // And the snapshot sees a change when A's staff make one with the matrix's body.
    let call = RouteInfo { method: Method::PUT, path: "/api/v1/cases/{id}/call".into() };
    let res = t.send(TestApp::request(Method::PUT, &fill(&call, &case), Some(&a.staff_token), json_body(&call, &case).as_ref())).await;
    assert_eq!(res.status, StatusCode::OK, "{:?}", res.body);
    assert!(snapshot(&t).await != after, "the snapshot misses a change");
}
