//! The person's rights over their data (開示・訂正・利用停止), as the phone core and the
//! server exchange them: filing a request, the list of one's requests with their
//! status, and the disclosure of one's own data. Serde only, like [`crate::wire`].
//!
//! A request names its kind; a correction also names the item (a profile field, or a
//! report's temperature with the report's id) and the value it should be. Disclosure
//! is given at once, so its request is recorded already answered; the others wait for
//! the health centre.

use crate::wire::{ReportView, redacted_debug};
use serde::{Deserialize, Serialize};

/// Path of the account's requests: list (GET) and file (POST).
pub const PATH_RIGHTS_REQUESTS: &str = "/api/v1/rights/requests";
/// Path of the disclosure of the account's own data as JSON.
pub const PATH_DISCLOSURE: &str = "/api/v1/rights/disclosure";
/// Longest note or value, in characters.
pub const MAX_TEXT_CHARS: usize = 500;

/// What the person asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RequestKind {
    /// Disclosure of the data held (開示).
    Disclosure,
    /// Correction of an item (訂正).
    Correction,
    /// Suspension of use (利用停止).
    Suspension,
}

impl RequestKind {
    /// Every kind.
    pub const ALL: [RequestKind; 3] = [RequestKind::Disclosure, RequestKind::Correction, RequestKind::Suspension];

    /// Wire and stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Disclosure => "disclosure",
            RequestKind::Correction => "correction",
            RequestKind::Suspension => "suspension",
        }
    }

    /// From the wire or stored form.
    pub fn parse(s: &str) -> Option<RequestKind> {
        RequestKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// In words: Japanese, English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            RequestKind::Disclosure => ("開示", "Disclosure"),
            RequestKind::Correction => ("訂正", "Correction"),
            RequestKind::Suspension => ("利用停止", "Suspension of use"),
        }
    }
}

/// Which item a correction is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CorrectionItem {
    /// Full name.
    Name,
    /// Reading of the name.
    NameReading,
    /// Date of birth, `YYYY-MM-DD`.
    DateOfBirth,
    /// Phone number.
    Phone,
    /// E-mail address.
    Email,
    /// A report's temperature (°C, one decimal); the request names the report.
    Temperature,
}

impl CorrectionItem {
    /// Every item.
    pub const ALL: [CorrectionItem; 6] = [
        CorrectionItem::Name,
        CorrectionItem::NameReading,
        CorrectionItem::DateOfBirth,
        CorrectionItem::Phone,
        CorrectionItem::Email,
        CorrectionItem::Temperature,
    ];

    /// Wire and stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            CorrectionItem::Name => "name",
            CorrectionItem::NameReading => "name_reading",
            CorrectionItem::DateOfBirth => "date_of_birth",
            CorrectionItem::Phone => "phone",
            CorrectionItem::Email => "email",
            CorrectionItem::Temperature => "temperature",
        }
    }

    /// From the wire or stored form.
    pub fn parse(s: &str) -> Option<CorrectionItem> {
        CorrectionItem::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the item belongs to a report (the request must name it).
    pub fn of_report(self) -> bool {
        self == CorrectionItem::Temperature
    }

    /// In words: Japanese, English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            CorrectionItem::Name => ("氏名", "Name"),
            CorrectionItem::NameReading => ("ふりがな", "Name reading"),
            CorrectionItem::DateOfBirth => ("生年月日", "Date of birth"),
            CorrectionItem::Phone => ("電話番号", "Phone"),
            CorrectionItem::Email => ("メールアドレス", "E-mail"),
            CorrectionItem::Temperature => ("体温", "Temperature"),
        }
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RequestStatus {
    /// Waiting for the health centre.
    Open,
    /// The data was disclosed.
    Disclosed,
    /// Corrected: the corrected value is recorded beside the original.
    Corrected,
    /// Refused, with the health centre's reason.
    Refused,
    /// Use of the data is suspended.
    Suspended,
}

impl RequestStatus {
    /// Every status.
    pub const ALL: [RequestStatus; 5] =
        [RequestStatus::Open, RequestStatus::Disclosed, RequestStatus::Corrected, RequestStatus::Refused, RequestStatus::Suspended];

    /// Wire and stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::Disclosed => "disclosed",
            RequestStatus::Corrected => "corrected",
            RequestStatus::Refused => "refused",
            RequestStatus::Suspended => "suspended",
        }
    }

    /// From the wire or stored form.
    pub fn parse(s: &str) -> Option<RequestStatus> {
        RequestStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// In words: Japanese, English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            RequestStatus::Open => ("受付済み（保健所で確認中）", "Received (the health centre is looking at it)"),
            RequestStatus::Disclosed => ("開示済み", "Disclosed"),
            RequestStatus::Corrected => ("訂正済み", "Corrected"),
            RequestStatus::Refused => ("お断り", "Refused"),
            RequestStatus::Suspended => ("利用停止済み", "Use suspended"),
        }
    }
}

/// A request as the person files it (`POST` [`PATH_RIGHTS_REQUESTS`]).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileRequest {
    /// What is asked for.
    pub kind: RequestKind,
    /// A correction's item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<CorrectionItem>,
    /// The report a report item belongs to (its phone-made id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_id: Option<String>,
    /// What the item should be.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The person's own words (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One request with its status.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestView {
    /// Request id.
    pub id: String,
    /// What was asked for.
    pub kind: RequestKind,
    /// A correction's item.
    pub item: Option<CorrectionItem>,
    /// The report a report item belongs to.
    pub report_id: Option<String>,
    /// The value asked for.
    pub value: Option<String>,
    /// The person's note.
    pub note: Option<String>,
    /// Where it stands.
    pub status: RequestStatus,
    /// The health centre's reason, for a refusal.
    pub reason: Option<String>,
    /// The corrected value recorded, for a correction.
    pub corrected_value: Option<String>,
    /// Filed at, RFC 3339.
    pub filed_at: String,
    /// Answered at, RFC 3339.
    pub answered_at: Option<String>,
}

/// The account's requests, newest first.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestList {
    /// The requests.
    pub requests: Vec<RequestView>,
}

/// A correction recorded beside the original value.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorrectionView {
    /// The item.
    pub item: CorrectionItem,
    /// The report it belongs to, for a report item.
    pub report_id: Option<String>,
    /// The value as it was.
    pub original: String,
    /// The value as corrected.
    pub corrected: String,
    /// Corrected at, RFC 3339.
    pub at: String,
}

/// The person's profile as held.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisclosedProfile {
    /// Full name.
    pub name: String,
    /// Reading.
    pub name_reading: String,
    /// Date of birth, `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// Phone, digits.
    pub phone: String,
    /// E-mail, if held.
    pub email: Option<String>,
    /// Kind of person.
    pub kind: String,
    /// `app` or `phone`.
    pub observation: String,
    /// First day of observation.
    pub period_start: String,
    /// Last day of observation.
    pub period_end: String,
    /// Health centre.
    pub centre_name: String,
    /// Use of the data is suspended.
    pub suspended: bool,
}

/// Everything held about the person (`GET` [`PATH_DISCLOSURE`]).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Disclosure {
    /// The profile.
    pub profile: DisclosedProfile,
    /// The reports, oldest first, as received (`protocol::wire::ReportView`).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub reports: Vec<ReportView>,
    /// The corrections recorded, oldest first.
    pub corrections: Vec<CorrectionView>,
    /// The person's requests, newest first.
    pub requests: Vec<RequestView>,
    /// Everything else held about the person, one section per kind of record (the
    /// sign-in account, the notification, contacts, handlings, calls, transfers,
    /// household links, who read or exported the data), worded in the request's
    /// language.
    #[serde(default)]
    pub held: Vec<HeldSection>,
}

/// One kind of record held about the person, as a table.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldSection {
    /// Stable id (`account`, `notification`, `contacts`, `handlings`, `calls`,
    /// `transfers`, `household`, `access`).
    pub id: String,
    /// Heading.
    pub title: String,
    /// Column headings.
    pub columns: Vec<String>,
    /// Rows, one cell per column.
    pub rows: Vec<Vec<String>>,
}

redacted_debug!(FileRequest, RequestView, RequestList, CorrectionView, DisclosedProfile, Disclosure, HeldSection);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_correction_travels_as_snake_case_and_refuses_unknown_fields() {
        let body = r#"{"kind":"correction","item":"name_reading","value":"やまだ はなこ"}"#;
        let r: FileRequest = serde_json::from_str(body).unwrap();
        assert_eq!(r.kind, RequestKind::Correction);
        assert_eq!(r.item, Some(CorrectionItem::NameReading));
        assert_eq!(serde_json::to_string(&r).unwrap(), body);
        assert!(serde_json::from_str::<FileRequest>(r#"{"kind":"suspension","extra":1}"#).is_err());
        assert!(serde_json::from_str::<FileRequest>(r#"{"kind":"erase"}"#).is_err());
    }

    #[test]
    fn stored_forms_round_trip_and_debug_hides_values() {
        for k in RequestKind::ALL {
            assert_eq!(RequestKind::parse(k.as_str()), Some(k));
        }
        for i in CorrectionItem::ALL {
            assert_eq!(CorrectionItem::parse(i.as_str()), Some(i));
        }
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(s.as_str()), Some(s));
        }
        let r = FileRequest { kind: RequestKind::Correction, item: Some(CorrectionItem::Phone), report_id: None, value: Some("09012345678".into()), note: None };
        assert!(!format!("{r:?}").contains("0901"));
    }
}
