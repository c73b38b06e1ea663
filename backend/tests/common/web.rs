//! Page helpers: sign in through the login form as a browser would (login cookie and
//! hidden CSRF field, then the session cookie), send page requests and form posts with
//! that cookie, read hidden fields, and register patients and sync reports dated today
//! in Japan so the today board has something to show.

use super::*;
use chrono::{NaiveDate, Utc};

/// A staff member signed in to the pages.
pub struct Signed {
    /// `mimamori_staff=…`, ready for a `Cookie` header.
    pub cookie: String,
    /// The CSRF token the pages put in their forms.
    pub csrf: String,
}

/// A page response as text.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Page {
    /// The `Location` header.
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The value a `Set-Cookie` header gives cookie `name`, with the whole header line.
    pub fn set_cookie(&self, name: &str) -> Option<(String, String)> {
        self.headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|line| {
            let (n, rest) = line.split_once('=')?;
            (n == name).then(|| (rest.split(';').next().unwrap_or("").to_owned(), line.to_owned()))
        })
    }
}

/// The value of the first `<input … name="{name}" value="…">` in a page (hidden or not).
pub fn hidden(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\" value=\"")).unwrap_or_else(|| panic!("no field {name}"));
    let rest = &html[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// An `application/x-www-form-urlencoded` body.
pub fn form(fields: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        s.append_pair(k, v);
    }
    s.finish()
}

/// The number shown in a board count.
pub fn count(html: &str, key: &str) -> i64 {
    let marker = format!("id=\"count-{key}\" class=\"n\">");
    let at = html.find(&marker).unwrap_or_else(|| panic!("no count {key}")) + marker.len();
    html[at..html[at..].find('<').unwrap() + at].parse().unwrap()
}

/// The `<section>` of one board list.
pub fn list<'a>(html: &'a str, key: &str) -> &'a str {
    let at = html.find(&format!("board-list list-{key}\"")).unwrap_or_else(|| panic!("no list {key}"));
    let rest = &html[at..];
    &rest[..rest.find("</section>").unwrap()]
}

/// Today in Japan, the board's day.
pub fn today() -> NaiveDate {
    backend::web::today(Utc::now())
}

impl TestApp {
    /// A page request: `cookie` is a whole `Cookie` header value, `body` a form body.
    pub async fn page(&self, method: Method, path: &str, cookie: Option<&str>, body: Option<String>, extra: &[(&str, &str)]) -> Page {
        let mut b = Request::builder().method(method).uri(path).header(header::HOST, "127.0.0.1:8080");
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        for (k, v) in extra {
            b = b.header(*k, *v);
        }
        let req = match body {
            Some(f) => b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(Body::from(f)).unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        let res = self.app.clone().oneshot(req).await.expect("router never fails");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Page { status, headers, text: String::from_utf8_lossy(&bytes).into_owned() }
    }

    /// GET with the signed-in staff's cookie.
    pub async fn view(&self, who: &Signed, path: &str) -> Page {
        self.page(Method::GET, path, Some(&who.cookie), None, &[]).await
    }

    /// POST a form with the signed-in staff's cookie; the CSRF field is added.
    pub async fn submit(&self, who: &Signed, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut all = vec![("csrf", who.csrf.as_str())];
        all.extend_from_slice(fields);
        self.page(Method::POST, path, Some(&who.cookie), Some(form(&all)), &[]).await
    }

    /// Signs in through the login form and reads the CSRF token off the board.
    pub async fn sign_in(&self, email: &str, password: &str) -> Signed {
        let r = self.try_sign_in(email, password).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login: {}", r.text);
        let (token, _) = r.set_cookie("mimamori_staff").expect("session cookie");
        let cookie = format!("mimamori_staff={token}");
        let board = self.page(Method::GET, "/", Some(&cookie), None, &[]).await;
        assert_eq!(board.status, StatusCode::OK, "{}", board.text);
        Signed { csrf: hidden(&board.text, "csrf"), cookie }
    }

    /// Opens the login page and posts its form; the response to the post.
    pub async fn try_sign_in(&self, email: &str, password: &str) -> Page {
        let login = self.page(Method::GET, "/login", None, None, &[]).await;
        assert_eq!(login.status, StatusCode::OK);
        let (login_cookie, _) = login.set_cookie("mimamori_login").expect("login cookie");
        let csrf = hidden(&login.text, "csrf");
        let body = form(&[("email", email), ("password", password), ("csrf", &csrf), ("next", "/")]);
        self.page(Method::POST, "/login", Some(&format!("mimamori_login={login_cookie}")), Some(body), &[]).await
    }

    /// A case observed from yesterday to eight days on, registered through the API.
    pub async fn current_case(&self, staff: &Staff, name: &str, phone: &str) -> Value {
        let day = today();
        let mut body = case_body(name, phone);
        body["period_start"] = json!((day - chrono::Duration::days(1)).to_string());
        body["period_end"] = json!((day + chrono::Duration::days(8)).to_string());
        let r = self.post("/api/v1/cases", Some(&staff.token), body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        r.body
    }

    /// Syncs one report for `date` from the patient's phone; its advice.
    pub async fn sync_on(&self, patient: &str, date: NaiveDate, tenths: i64, answers: [i64; 9]) -> String {
        let report = json!({
            "id": new_id(),
            "local_date": date.to_string(),
            "kind": "infected",
            "temperature_tenths": tenths,
            "answers": answers,
            "recorded_at": Utc::now().to_rfc3339(),
        });
        let r = self.post("/api/v1/reports:batch", Some(patient), json!({ "reports": [report] })).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        assert_eq!(r.body["results"][0]["status"], "accepted", "{:?}", r.body);
        r.body["results"][0]["advice"].as_str().unwrap().to_owned()
    }

    /// Applies reports from the patient's phone as if the server received them at
    /// `at` (the server's clock only moves forward in tests, so earlier receipts go
    /// straight to the report writer's store call); one wire result each.
    pub async fn ingest_at(&self, patient: &str, reports: Vec<Value>, at: chrono::DateTime<Utc>) -> Vec<Value> {
        use backend::ingest::{JobInput, JobOutcome, prepare};
        let items = reports.iter().map(|r| prepare(&serde_json::from_value(r.clone()).expect("a wire report"))).collect();
        let job = JobInput { token_hash: backend::secret::token_hash(patient), items };
        let out = self.db.ingest(vec![job], at).await.expect("ingest");
        let Some(JobOutcome::Results(results)) = out.into_iter().next() else { panic!("the patient token is valid") };
        results.iter().map(|r| serde_json::to_value(r.to_wire(protocol::Lang::Ja)).unwrap()).collect()
    }
}

impl TestApp {
    /// A clinic in municipality 13103 notifying `centre`, its admin signed in through
    /// the API; returns the clinic's token.
    pub async fn clinic_token(&self, tag: &str, code: &str, centre: i64) -> String {
        let setup = backend::clinic::admin::InstitutionSetup {
            name: format!("{tag}クリニック"),
            code: code.into(),
            municipality_code: "13103".into(),
            admin_email: format!("{tag}@clinic.example.jp"),
            admin_name: "院長".into(),
            admin_password: PASSWORD.into(),
        };
        backend::clinic::admin::create_institution(&self.db, setup, Some(centre), backend::password::HashCost::TEST_ONLY).await.expect("institution");
        let r = self.post("/api/v1/clinic/login", None, serde_json::json!({ "email": format!("{tag}@clinic.example.jp"), "password": PASSWORD })).await;
        r.body["token"].as_str().expect("clinic token").to_owned()
    }
}
