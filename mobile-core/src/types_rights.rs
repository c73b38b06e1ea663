//! Records of the person's requests about their data (開示・訂正・利用停止) that cross
//! the FFI, with their wording in the app's language.

/// What the person asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum DataRequestKind {
    /// 開示: see the data held.
    Disclosure,
    /// 訂正: correct an item.
    Correction,
    /// 利用停止: stop the use of the data.
    Suspension,
}

/// The item a correction is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CorrectionField {
    /// 氏名
    Name,
    /// ふりがな
    NameReading,
    /// 生年月日 (`YYYY-MM-DD`)
    DateOfBirth,
    /// 電話番号
    Phone,
    /// メールアドレス
    Email,
    /// A report's temperature (°C); the request names the report.
    Temperature,
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum DataRequestStatus {
    /// Waiting for the health centre.
    Open,
    /// Disclosed.
    Disclosed,
    /// Corrected (the corrected value is beside the original).
    Corrected,
    /// Refused, with a reason.
    Refused,
    /// Use suspended.
    Suspended,
}

/// A request to file.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DataRequestInput {
    /// What is asked for.
    pub kind: DataRequestKind,
    /// A correction's item.
    pub field: Option<CorrectionField>,
    /// For a temperature: the report's id (`report_id` of a saved report).
    pub report_id: Option<String>,
    /// For a correction: what it should be.
    pub value: Option<String>,
    /// The person's own words (optional).
    pub note: Option<String>,
}

/// A request with its status, worded.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DataRequestView {
    /// Request id.
    pub id: String,
    /// What was asked for.
    pub kind: DataRequestKind,
    /// The kind in words.
    pub kind_label: String,
    /// A correction's item.
    pub field: Option<CorrectionField>,
    /// The item in words.
    pub field_label: Option<String>,
    /// The report of a temperature correction.
    pub report_id: Option<String>,
    /// The value asked for.
    pub value: Option<String>,
    /// Where it stands.
    pub status: DataRequestStatus,
    /// The status in words.
    pub status_label: String,
    /// The health centre's reason, for a refusal.
    pub reason: Option<String>,
    /// The corrected value recorded.
    pub corrected_value: Option<String>,
    /// Filed at, RFC 3339.
    pub filed_at: String,
    /// Answered at, RFC 3339.
    pub answered_at: Option<String>,
}

/// A report as the server holds it, with its corrected temperature beside.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DisclosedReport {
    /// The report's id.
    pub report_id: String,
    /// Day it is for.
    pub local_date: String,
    /// Temperature as sent, e.g. `37.8`.
    pub temperature: String,
    /// The corrected temperature, if corrected.
    pub corrected_temperature: Option<String>,
    /// The nine answer codes.
    pub answers: Vec<u8>,
    /// Advice level stored with it.
    pub advice: String,
    /// Received at, RFC 3339.
    pub received_at: String,
}

/// A profile item as corrected: before and after.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DisclosedCorrection {
    /// The item in words.
    pub field_label: String,
    /// Before.
    pub original: String,
    /// After.
    pub corrected: String,
    /// When, RFC 3339.
    pub at: String,
}

/// Everything the health centre holds about the person.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DisclosureView {
    /// Name.
    pub name: String,
    /// Reading.
    pub name_reading: String,
    /// Date of birth.
    pub date_of_birth: String,
    /// Phone.
    pub phone: String,
    /// E-mail, if held.
    pub email: Option<String>,
    /// First day of observation.
    pub period_start: String,
    /// Last day of observation.
    pub period_end: String,
    /// Health centre.
    pub centre_name: String,
    /// Use of the data is suspended.
    pub suspended: bool,
    /// Reports, oldest first.
    pub reports: Vec<DisclosedReport>,
    /// Corrections of the profile.
    pub corrections: Vec<DisclosedCorrection>,
    /// The person's requests, newest first.
    pub requests: Vec<DataRequestView>,
    /// Everything else held (the sign-in account, the notification, contacts, handling
    /// notes, automated calls, transfers, household links, who read or exported the
    /// data), as the server words it in the person's language.
    pub sections: Vec<DisclosedSection>,
}

/// One kind of record held about the person, as a table.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DisclosedSection {
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
