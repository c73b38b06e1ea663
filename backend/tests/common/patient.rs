//! Patient-page helpers: a phone's browser with its own cookie jar (form token,
//! registration in progress, patient session, language), GETs and form posts that
//! carry the page's form token, and the whole first registration through the pages.

use super::*;
use std::collections::BTreeMap;

/// A phone's browser: the cookies the patient pages set.
#[derive(Default, Clone)]
pub struct Phone {
    pub jar: BTreeMap<String, String>,
    /// The `csrf` field of the last page with a form.
    pub csrf: String,
}

impl Phone {
    /// The `Cookie` header value.
    pub fn cookie(&self) -> String {
        self.jar
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Takes the `Set-Cookie` headers of a response (`Max-Age=0` deletes).
    pub fn absorb(&mut self, page: &Page) {
        for line in page
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
        {
            let Some((name, rest)) = line.split_once('=') else {
                continue;
            };
            let value = rest.split(';').next().unwrap_or("").to_owned();
            if line.contains("Max-Age=0") || value.is_empty() {
                self.jar.remove(name);
            } else {
                self.jar.insert(name.to_owned(), value);
            }
        }
        if let Some(at) = page.text.find("name=\"csrf\" value=\"") {
            self.csrf = hidden(&page.text[at..], "csrf");
        }
    }
}

impl TestApp {
    /// GET a patient page from `phone`, keeping its cookies.
    pub async fn open(&self, phone: &mut Phone, path: &str) -> Page {
        let cookie = phone.cookie();
        let page = self.page(Method::GET, path, Some(&cookie), None, &[]).await;
        phone.absorb(&page);
        page
    }

    /// POST a form of a patient page from `phone`; the page's `csrf` is added.
    pub async fn fill(&self, phone: &mut Phone, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut all = vec![("csrf", phone.csrf.clone())];
        all.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
        let body = form(
            &all.iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect::<Vec<_>>(),
        );
        let cookie = phone.cookie();
        let page = self
            .page(Method::POST, path, Some(&cookie), Some(body), &[])
            .await;
        phone.absorb(&page);
        page
    }

    /// Steps 2 to 6 on the pages for `case`; the phone ends signed in on step 7.
    pub async fn register_on_pages(&self, phone: &mut Phone, case: &Value, email: &str) {
        self.open(phone, "/app/register").await;
        let r = self.fill(phone, "/app/register", &[("email", email)]).await;
        assert_eq!(
            (r.status, r.location()),
            (StatusCode::SEE_OTHER, "/app/register/code"),
            "{}",
            r.text
        );
        self.open(phone, "/app/register/code").await;
        let code = self.code_for(email);
        let r = self
            .fill(phone, "/app/register/code", &[("code", &code)])
            .await;
        assert_eq!(r.location(), "/app/register/password", "{}", r.text);
        self.open(phone, "/app/register/password").await;
        let r = self
            .fill(phone, "/app/register/password", &[("password", PASSWORD)])
            .await;
        assert_eq!(r.location(), "/app/register/attributes", "{}", r.text);
        self.open(phone, "/app/register/attributes").await;
        let a = attributes_of(case);
        let fields = [
            ("name", a["name"].as_str().unwrap()),
            ("date_of_birth", a["date_of_birth"].as_str().unwrap()),
            ("phone", a["phone"].as_str().unwrap()),
            ("input_id", a["input_id"].as_str().unwrap()),
        ];
        let r = self.fill(phone, "/app/register/attributes", &fields).await;
        assert_eq!(r.location(), "/app/welcome", "{}", r.text);
        assert!(
            phone.jar.contains_key("mimamori_patient") && !phone.jar.contains_key("mimamori_reg")
        );
    }

    /// The report form, its confirm page and the send form; the send's response and
    /// the confirm page.
    pub async fn report_on_pages(
        &self,
        phone: &mut Phone,
        kind: &str,
        temperature: &str,
        answers: [u8; 9],
    ) -> (Page, Page) {
        self.open(phone, "/app/report").await;
        let confirm = self
            .fill(
                phone,
                "/app/report/confirm",
                &refs(&report_fields(kind, temperature, answers)),
            )
            .await;
        assert_eq!(confirm.status, StatusCode::OK, "{}", confirm.text);
        let send = self
            .fill(phone, "/app/report", &refs(&send_fields(&confirm.text)))
            .await;
        (send, confirm)
    }
}

/// The report form's fields.
pub fn report_fields(
    kind: &str,
    temperature: &str,
    answers: [u8; 9],
) -> Vec<(&'static str, String)> {
    let mut f = vec![
        ("kind", kind.to_owned()),
        ("temperature", temperature.to_owned()),
    ];
    for (q, a) in protocol::QUESTIONS.iter().zip(answers) {
        f.push((q.key, a.to_string()));
    }
    f
}

/// The hidden fields of a confirm page's send form, with `action=send`.
pub fn send_fields(confirm: &str) -> Vec<(&'static str, String)> {
    let mut names: Vec<&'static str> = vec!["id", "recorded_at", "kind", "temperature"];
    names.extend(protocol::QUESTIONS.iter().map(|q| q.key));
    let form_at = confirm.find("id=\"send\"").expect("a send form");
    let mut out: Vec<(&'static str, String)> = names
        .into_iter()
        .map(|n| (n, hidden(&confirm[form_at..], n)))
        .collect();
    out.push(("action", "send".to_owned()));
    out
}

/// Owned fields as the `&str` pairs [`TestApp::fill`] takes.
pub fn refs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}
