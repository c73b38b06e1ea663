//! The patient API's request and response bodies, exactly as they travel as JSON:
//! registration, login, profile and report sync (`POST /api/v1/reports:batch`), and the
//! error body every refusal carries. Serde only, no I/O, so the phone core and the
//! server share one copy.
//!
//! Times are RFC 3339 strings and dates `YYYY-MM-DD` strings: this crate has no clock
//! or date library, and each side parses them with its own. Request bodies refuse
//! unknown fields, as the server does.

use crate::kind::Kind;
use serde::{Deserialize, Serialize};

/// Path of step 2 of registration: request a verification code.
pub const PATH_REGISTRATIONS: &str = "/api/v1/registrations";
/// Path of patient login.
pub const PATH_LOGIN: &str = "/api/v1/login";
/// Path of the patient's profile.
pub const PATH_PROFILE: &str = "/api/v1/profile";
/// Path of report sync.
pub const PATH_REPORTS_BATCH: &str = "/api/v1/reports:batch";
/// Path of the patient's own reports.
pub const PATH_REPORTS: &str = "/api/v1/reports";
/// Path that ends the bearer token's session.
pub const PATH_LOGOUT: &str = "/api/v1/logout";
/// Path of the account's household members (代理入力): list (GET) and link (POST).
pub const PATH_HOUSEHOLD: &str = "/api/v1/household";
/// Most reports the server takes in one sync request.
pub const MAX_REPORTS_PER_BATCH: usize = 100;
/// The version of this patient API a phone core speaks. A server that no longer
/// accepts it answers 426 with the code [`UPDATE_REQUIRED`].
pub const PROTOCOL_VERSION: u32 = 1;
/// Request header carrying the client's [`PROTOCOL_VERSION`]; a request without it
/// counts as version 1.
pub const HEADER_PROTOCOL: &str = "x-mimamori-protocol";
/// Response header on every API answer: the oldest protocol version the server accepts.
pub const HEADER_MIN_PROTOCOL: &str = "x-mimamori-min-protocol";
/// Error code of the 426 answer to a client older than the server accepts.
pub const UPDATE_REQUIRED: &str = "update_required";

/// Path of step 4 of registration request `request_id`: verify the code.
pub fn path_verify(request_id: &str) -> String {
    format!("{PATH_REGISTRATIONS}/{request_id}/verify")
}

/// Path of step 5 of registration request `request_id`: set the password.
pub fn path_password(request_id: &str) -> String {
    format!("{PATH_REGISTRATIONS}/{request_id}/password")
}

/// Path of step 6 of registration request `request_id`: attributes and input ID.
pub fn path_attributes(request_id: &str) -> String {
    format!("{PATH_REGISTRATIONS}/{request_id}/attributes")
}

/// Path that unlinks one household member (POST; the phone's transport speaks GET and
/// POST only).
pub fn path_household_unlink(member_id: &str) -> String {
    format!("{PATH_HOUSEHOLD}/{member_id}/unlink")
}

/// `Debug` that names the type and hides every field: these bodies carry e-mail
/// addresses, codes, passwords, tokens, a person's attributes or health answers, none
/// of which may reach a log or a panic message.
macro_rules! redacted_debug {
    ($($t:ident),* $(,)?) => {$(
        impl std::fmt::Debug for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($t), " { .. }"))
            }
        }
    )*};
}
pub(crate) use redacted_debug;

redacted_debug!(
    CodeRequest, VerifyRequest, Verified, PasswordRequest, AttributesRequest, Registered,
    LoginRequest, SessionResponse, WireReport, BatchRequest, ReportView, ReportList, HouseholdMember, HouseholdList,
);

/// The body of every refusal: a stable code and a text for the person, in the
/// language the request asked for (`Accept-Language`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Stable machine-readable code, such as `wrong_code` or `unauthorized`.
    pub error: String,
    /// Text for the person.
    pub message: String,
}

/// Step 2: the e-mail address to send a verification code to.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeRequest {
    /// E-mail address.
    #[cfg_attr(feature = "openapi", schema(min_length = 3, pattern = "@"))]
    pub email: String,
}

/// A registration request was made and a code mailed (202).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRequested {
    /// Id of the registration request (a UUID); the next steps name it in their path.
    pub request_id: String,
    /// Seconds the code stays valid.
    pub expires_in: u64,
}

/// Step 4: the code from the mail.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyRequest {
    /// The code as typed (full-width digits and spaces are accepted).
    #[cfg_attr(feature = "openapi", schema(min_length = 6))]
    pub code: String,
}

/// The code was right (200).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verified {
    /// Bearer token for the password and attribute steps of this request only.
    pub registration_token: String,
    /// When it stops working, RFC 3339.
    pub expires_at: String,
}

/// Step 5: the password (answered with 204 and no body).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordRequest {
    /// At least 8 characters with at least 3 of lowercase, uppercase, digit, symbol.
    #[cfg_attr(feature = "openapi", schema(min_length = 8))]
    pub password: String,
}

/// Step 6: the person's attributes and the smartphone input ID from the leaflet.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttributesRequest {
    /// Name as the health centre registered it.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, pattern = r"\S"))]
    pub name: String,
    /// Date of birth, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(min_length = 8))]
    pub date_of_birth: String,
    /// Phone number (half-width digits; full-width and hyphens are accepted).
    #[cfg_attr(feature = "openapi", schema(min_length = 10))]
    pub phone: String,
    /// Smartphone input ID (スマホ入力ID), 6 or 7 digits.
    #[cfg_attr(feature = "openapi", schema(min_length = 6))]
    pub input_id: String,
}

/// How a case is observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Observation {
    /// Daily reports from the smartphone app.
    App,
    /// The automated morning phone call.
    Phone,
}

/// What the phone keeps about its case so that warnings work offline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Kind registered by the health centre.
    pub kind: Kind,
    /// App or phone call.
    pub observation: Observation,
    /// First day of observation, `YYYY-MM-DD`.
    pub period_start: String,
    /// Last day of observation, `YYYY-MM-DD`.
    pub period_end: String,
    /// Health-centre name.
    pub centre_name: String,
    /// Health-centre emergency number.
    pub emergency_number: String,
}

/// Registration finished (201): the patient's session and profile.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registered {
    /// Patient bearer token.
    pub token: String,
    /// When it stops working, RFC 3339.
    pub expires_at: String,
    /// The case's profile.
    pub profile: Profile,
}

/// Login with e-mail and password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// Login e-mail.
    #[cfg_attr(feature = "openapi", schema(min_length = 3, pattern = "@"))]
    pub email: String,
    /// Password.
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub password: String,
}

/// A new session (200).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionResponse {
    /// Bearer token for `Authorization: Bearer …`.
    pub token: String,
    /// When it stops working, RFC 3339.
    pub expires_at: String,
}

/// One daily report as the phone sends it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WireReport {
    /// UUID made on the phone when the report was saved; the idempotency key.
    pub id: String,
    /// The day the report is for, `YYYY-MM-DD` in the patient's time zone.
    pub local_date: String,
    /// `infected`, `close_contact` or `awaiting_result`.
    pub kind: String,
    /// Body temperature in tenths of a degree (`365` = 36.5 °C).
    pub temperature_tenths: i64,
    /// The nine answers in question order, each 1, 2 or 9.
    pub answers: Vec<i64>,
    /// When the phone saved it, RFC 3339 with milliseconds.
    pub recorded_at: String,
    /// The household member the report is for: the `member_id` the server gave when
    /// the member was linked to the account. Absent for the account's own case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
}

/// A household member linked to the account (201 on linking; in the list): its id for
/// [`WireReport::person`] and its case's profile.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdMember {
    /// The member's id on this account.
    pub member_id: String,
    /// The member's case: kind, period, health centre and its emergency number.
    pub profile: Profile,
}

/// The account's household members, oldest link first (`GET /api/v1/household`).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdList {
    /// Members still linked.
    pub members: Vec<HouseholdMember>,
}

/// Reports to apply, at most [`MAX_REPORTS_PER_BATCH`].
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchRequest {
    /// The reports, in the order they were saved.
    pub reports: Vec<WireReport>,
}

/// What happened to one report of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReportStatus {
    /// Committed (now, or by an earlier identical request).
    Accepted,
    /// The id is already used by a different report.
    Conflict,
    /// The report is not valid; nothing was stored.
    Refused,
    /// A status this version does not know; the phone keeps the report and asks again.
    #[serde(other)]
    Unknown,
}

/// The per-report answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WireResult {
    /// The report id as sent.
    pub id: String,
    /// What happened.
    pub status: ReportStatus,
    /// Advice level of an accepted report: `none`, `watch` or `call_now`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub advice: Option<String>,
    /// Refusal or conflict code.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reason: Option<String>,
    /// Text for the person, for refusals and conflicts.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub message: Option<String>,
}

/// One result per report, in request order (200).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchResponse {
    /// The results.
    pub results: Vec<WireResult>,
}

/// A stored report as the server lists it (`GET /api/v1/reports` for the patient, and
/// a case's reports for its health centre).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    /// The phone-made id.
    pub id: String,
    /// Day it is for, `YYYY-MM-DD`.
    pub local_date: String,
    /// Kind of person.
    pub kind: String,
    /// Tenths of a degree.
    pub temperature_tenths: u16,
    /// The nine answer codes.
    pub answers: Vec<u8>,
    /// Saved on the phone at, RFC 3339.
    pub recorded_at: String,
    /// Advice level stored with it: `none`, `watch` or `call_now`.
    pub advice: String,
    /// Received by the server at, RFC 3339.
    pub received_at: String,
    /// The temperature as the phone sent it, only when the health centre corrected it at
    /// the person's request (`temperature_tenths` is then the corrected value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_temperature_tenths: Option<u16>,
}

/// A list of stored reports, oldest first.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportList {
    /// The reports.
    pub reports: Vec<ReportView>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn same<T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug>(value: &T, json: Value) {
        assert_eq!(serde_json::to_value(value).expect("serialises"), json);
        assert_eq!(&serde_json::from_value::<T>(json).expect("parses"), value);
    }

    #[test]
    fn debug_output_hides_personal_fields() {
        let login = LoginRequest { email: "taro@example.jp".into(), password: "Sora-to-umi-8".into() };
        let attrs = AttributesRequest {
            name: "山田 太郎".into(),
            date_of_birth: "1980-04-01".into(),
            phone: "09012345678".into(),
            input_id: "1234567".into(),
        };
        let report = WireReport {
            id: "r".into(),
            local_date: "2026-11-25".into(),
            kind: "infected".into(),
            temperature_tenths: 385,
            answers: vec![1; 9],
            recorded_at: "2026-11-25T09:00:00Z".into(),
            person: None,
        };
        let shown = format!("{login:?} {attrs:?} {report:?} {:?}", VerifyRequest { code: "246810".into() });
        for secret in ["taro@", "Sora", "山田", "1980", "0901", "1234567", "385", "246810"] {
            assert!(!shown.contains(secret), "{secret} leaked");
        }
        assert!(shown.starts_with("LoginRequest { .. }"));
    }

    #[test]
    fn registration_bodies_match_the_server() {
        same(&CodeRequest { email: "a@example.jp".into() }, json!({ "email": "a@example.jp" }));
        same(
            &CodeRequested { request_id: "4d3c…".into(), expires_in: 600 },
            json!({ "request_id": "4d3c…", "expires_in": 600 }),
        );
        same(&VerifyRequest { code: "123456".into() }, json!({ "code": "123456" }));
        let profile = Profile {
            kind: Kind::CloseContact,
            observation: Observation::App,
            period_start: "2026-01-01".into(),
            period_end: "2026-01-14".into(),
            centre_name: "みなと保健所".into(),
            emergency_number: "03-1234-5678".into(),
        };
        same(
            &Registered { token: "t".into(), expires_at: "2026-07-01T00:00:00Z".into(), profile },
            json!({ "token": "t", "expires_at": "2026-07-01T00:00:00Z", "profile": {
                "kind": "close_contact", "observation": "app", "period_start": "2026-01-01",
                "period_end": "2026-01-14", "centre_name": "みなと保健所", "emergency_number": "03-1234-5678" } }),
        );
        assert!(serde_json::from_value::<PasswordRequest>(json!({ "password": "x", "extra": 1 })).is_err());
        same(
            &ErrorBody { error: "wrong_code".into(), message: "…".into() },
            json!({ "error": "wrong_code", "message": "…" }),
        );
    }

    #[test]
    fn household_bodies_match_the_server() {
        let profile = Profile {
            kind: Kind::Infected,
            observation: Observation::App,
            period_start: "2026-01-01".into(),
            period_end: "2026-01-10".into(),
            centre_name: "みなと保健所".into(),
            emergency_number: "03-1234-5678".into(),
        };
        let member = HouseholdMember { member_id: "7".into(), profile };
        same(
            &HouseholdList { members: vec![member.clone()] },
            json!({ "members": [{ "member_id": "7", "profile": { "kind": "infected", "observation": "app",
                "period_start": "2026-01-01", "period_end": "2026-01-10", "centre_name": "みなと保健所",
                "emergency_number": "03-1234-5678" } }] }),
        );
        assert_eq!(format!("{member:?}"), "HouseholdMember { .. }");
        assert_eq!(path_household_unlink("7"), "/api/v1/household/7/unlink");
    }

    #[test]
    fn batch_bodies_match_the_server() {
        let report = WireReport {
            id: "r1".into(),
            local_date: "2026-01-02".into(),
            kind: "infected".into(),
            temperature_tenths: 365,
            answers: vec![2; 9],
            recorded_at: "2026-01-02T23:15:00.000Z".into(),
            person: None,
        };
        let for_member = WireReport { id: "r2".into(), person: Some("7".into()), ..report.clone() };
        same(
            &BatchRequest { reports: vec![report, for_member] },
            json!({ "reports": [{ "id": "r1", "local_date": "2026-01-02", "kind": "infected",
                "temperature_tenths": 365, "answers": [2,2,2,2,2,2,2,2,2], "recorded_at": "2026-01-02T23:15:00.000Z" },
                { "id": "r2", "local_date": "2026-01-02", "kind": "infected", "temperature_tenths": 365,
                "answers": [2,2,2,2,2,2,2,2,2], "recorded_at": "2026-01-02T23:15:00.000Z", "person": "7" }] }),
        );
        let accepted = WireResult { id: "r1".into(), status: ReportStatus::Accepted, advice: Some("none".into()), reason: None, message: None };
        same(&accepted, json!({ "id": "r1", "status": "accepted", "advice": "none" }));
        let refused = WireResult {
            id: "r2".into(),
            status: ReportStatus::Refused,
            advice: None,
            reason: Some("bad_temperature".into()),
            message: Some("…".into()),
        };
        same(&refused, json!({ "id": "r2", "status": "refused", "reason": "bad_temperature", "message": "…" }));
        let later: WireResult = serde_json::from_value(json!({ "id": "r3", "status": "deferred" })).expect("parses");
        assert_eq!(later.status, ReportStatus::Unknown);
    }
}
