//! The records and enums that cross the FFI, and their conversions from the shared
//! `protocol` rules. Nothing here decides anything; it only carries and converts.

use protocol::{AdviceLevel, Answer, Kind, Lang};

/// A language for everything the core words: Japanese (default) or English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Language {
    /// 日本語
    Ja,
    /// English
    En,
}

impl From<Language> for Lang {
    fn from(l: Language) -> Lang {
        match l {
            Language::Ja => Lang::Ja,
            Language::En => Lang::En,
        }
    }
}

/// Who the person being observed is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PersonKind {
    /// 感染者
    Infected,
    /// 濃厚接触者
    CloseContact,
    /// 検査結果待ち
    AwaitingResult,
}

impl From<PersonKind> for Kind {
    fn from(k: PersonKind) -> Kind {
        match k {
            PersonKind::Infected => Kind::Infected,
            PersonKind::CloseContact => Kind::CloseContact,
            PersonKind::AwaitingResult => Kind::AwaitingResult,
        }
    }
}

impl From<Kind> for PersonKind {
    fn from(k: Kind) -> PersonKind {
        match k {
            Kind::Infected => PersonKind::Infected,
            Kind::CloseContact => PersonKind::CloseContact,
            Kind::AwaitingResult => PersonKind::AwaitingResult,
        }
    }
}

/// One answer: 1 = yes (or "not as usual" / "there is a problem"), 2 = no, 9 = unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum AnswerChoice {
    /// Code 1.
    Yes,
    /// Code 2.
    No,
    /// Code 9.
    Unknown,
}

impl From<AnswerChoice> for Answer {
    fn from(a: AnswerChoice) -> Answer {
        match a {
            AnswerChoice::Yes => Answer::Yes,
            AnswerChoice::No => Answer::No,
            AnswerChoice::Unknown => Answer::Unknown,
        }
    }
}

impl From<Answer> for AnswerChoice {
    fn from(a: Answer) -> AnswerChoice {
        match a {
            Answer::Yes => AnswerChoice::Yes,
            Answer::No => AnswerChoice::No,
            Answer::Unknown => AnswerChoice::Unknown,
        }
    }
}

/// What to do: nothing, watch, or call the emergency number now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Urgency {
    /// Nothing needs action.
    NoAction,
    /// Watch for changes.
    Watch,
    /// Call the emergency number now.
    CallNow,
}

impl From<AdviceLevel> for Urgency {
    fn from(l: AdviceLevel) -> Urgency {
        match l {
            AdviceLevel::NoAction => Urgency::NoAction,
            AdviceLevel::Watch => Urgency::Watch,
            AdviceLevel::CallNow => Urgency::CallNow,
        }
    }
}

/// A daily report as the form collected it.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ReportInput {
    /// Whom the report is for: `self`, or a household member's local id, so that a
    /// family member can report for someone they live with.
    pub person_id: String,
    /// The local date the report is for, `YYYY-MM-DD`; `None` means today.
    pub local_date: Option<String>,
    /// The person's kind.
    pub kind: PersonKind,
    /// The temperature as typed, such as `36.5` (full-width digits are accepted).
    pub temperature: String,
    /// The nine answers in question order; `None` for a question not answered yet.
    pub answers: Vec<Option<AnswerChoice>>,
}

/// The health centre's emergency contact, printed on the leaflet.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EmergencyContact {
    /// The health centre's name, e.g. `〇〇保健所`.
    pub centre_name: String,
    /// The emergency number (緊急連絡先), digits with optional hyphens.
    pub phone_number: String,
}

/// One answer option of a question, for rendering the form.
#[derive(Debug, Clone, uniffi::Record)]
pub struct OptionView {
    /// The answer this option records.
    pub choice: AnswerChoice,
    /// The keypad code (1, 2 or 9).
    pub code: u8,
    /// The label.
    pub label: String,
}

/// One question of the daily report, worded in the requested language.
#[derive(Debug, Clone, uniffi::Record)]
pub struct QuestionView {
    /// Stable id (`face`, `cough`, `breathlessness`, …).
    pub id: String,
    /// 1-based number in the question set.
    pub number: u8,
    /// The question.
    pub text: String,
    /// The three options in the order 1, 2, 9.
    pub options: Vec<OptionView>,
}

/// A kind of person to choose from, worded in the requested language.
#[derive(Debug, Clone, uniffi::Record)]
pub struct KindView {
    /// The kind.
    pub kind: PersonKind,
    /// Its label.
    pub label: String,
}

/// One urgent symptom on the checklist.
#[derive(Debug, Clone, uniffi::Record)]
pub struct UrgentSymptomView {
    /// Stable id (`purple_lips`, `chest_pain`, …).
    pub id: String,
    /// The leaflet's wording.
    pub text: String,
    /// ※: judged by a family member looking at the patient.
    pub judged_by_family: bool,
}

/// A group of urgent symptoms with its heading.
#[derive(Debug, Clone, uniffi::Record)]
pub struct UrgentGroupView {
    /// Stable id (`appearance`, `breathing`, `consciousness`).
    pub id: String,
    /// The heading (表情・外見, 息苦しさ等, 意識障害等).
    pub title: String,
    /// Its symptoms in leaflet order.
    pub symptoms: Vec<UrgentSymptomView>,
}

/// The urgent-symptom checklist as the leaflet shows it.
#[derive(Debug, Clone, uniffi::Record)]
pub struct UrgentChecklistView {
    /// The three groups.
    pub groups: Vec<UrgentGroupView>,
    /// The footnote to the ※ mark.
    pub footnote: String,
    /// Label of the "cough" tick.
    pub cough_label: String,
    /// Label of the "fever (37.5 °C or more)" tick.
    pub fever_label: String,
    /// When to call, per kind (close contact: cough or fever; infected or awaiting a
    /// result: any urgent symptom).
    pub when_to_call: Vec<String>,
}

/// What a family member ticked on the urgent-symptom check.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ChecklistInput {
    /// The patient's kind when known; when `None`, the strictest rule applies.
    pub kind: Option<PersonKind>,
    /// Ids of the urgent symptoms seen.
    pub symptom_ids: Vec<String>,
    /// The patient coughs.
    pub cough: bool,
    /// The patient has a fever (37.5 °C or more).
    pub fever: bool,
}

/// Advice after a report or a checklist, ready to show.
#[derive(Debug, Clone, uniffi::Record)]
pub struct AdviceView {
    /// What to do.
    pub urgency: Urgency,
    /// The headline.
    pub headline: String,
    /// Why, one short line each.
    pub reasons: Vec<String>,
    /// Urgent-symptom groups to check now, with their symptoms.
    pub check_groups: Vec<UrgentGroupView>,
    /// Whether to show the emergency number prominently.
    pub show_emergency_number: bool,
    /// The stored emergency contact, when one is set.
    pub emergency: Option<EmergencyContact>,
    /// Whom to call, whenever the number is to be shown (empty otherwise): the centre
    /// and its number, or — with no number stored — where the number is and that 119
    /// is called in a life-threatening emergency.
    pub call_instruction: String,
}

/// A report saved on the phone.
#[derive(Debug, Clone, uniffi::Record)]
pub struct SavedReport {
    /// The report's id, made on the phone; the server applies it exactly once.
    pub report_id: String,
    /// The advice for it.
    pub advice: AdviceView,
}

/// A stored report.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct StoredReport {
    /// Its id.
    pub report_id: String,
    /// Whom it is for.
    pub person_id: String,
    /// The local date it is for, `YYYY-MM-DD`.
    pub local_date: String,
    /// When it was saved, RFC 3339 UTC.
    pub recorded_at: String,
    /// The person's kind.
    pub kind: PersonKind,
    /// Temperature in tenths of a degree (`365` = 36.5 °C).
    pub temperature_tenths: u16,
    /// The nine answers in question order.
    pub answers: Vec<AnswerChoice>,
    /// The advice level it got.
    pub urgency: Urgency,
    /// Whether it still waits to be sent to the health centre.
    pub pending_sync: bool,
    /// Whether the server refused it; it is kept and listed by `failed_reports`.
    /// Defaults to `false` so that code building records (test fakes) keeps compiling.
    #[uniffi(default = false)]
    pub sync_failed: bool,
}

/// One day of the history: the day's effective (latest) report, if any.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct HistoryDay {
    /// The day, `YYYY-MM-DD`.
    pub local_date: String,
    /// The latest report of that day.
    pub report: Option<StoredReport>,
    /// How many reports were saved that day (the latest one counts).
    pub reports_that_day: u32,
}

/// What the home screen shows for today.
#[derive(Debug, Clone, uniffi::Record)]
pub struct TodayStatus {
    /// Today's local date, `YYYY-MM-DD`.
    pub local_date: String,
    /// Whether a report was saved today.
    pub reported_today: bool,
    /// Today's effective report.
    pub latest: Option<StoredReport>,
    /// The advice of today's effective report.
    pub advice: Option<AdviceView>,
    /// Reports on this phone that still wait to be sent.
    pub pending_sync: u64,
}

/// How the health centre observes the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ObservationMethod {
    /// Daily reports from this app.
    App,
    /// The automated morning phone call (自動架電).
    Phone,
}

/// The case's profile from the server, kept on the phone so warnings work offline.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProfileView {
    /// The kind the health centre registered.
    pub kind: PersonKind,
    /// App or phone call.
    pub observation: ObservationMethod,
    /// First day of observation, `YYYY-MM-DD`.
    pub period_start: String,
    /// Last day of observation, `YYYY-MM-DD`.
    pub period_end: String,
    /// The health centre's name.
    pub centre_name: String,
    /// The health centre's emergency number (also stored as the emergency contact).
    pub emergency_number: String,
}

/// The class of the last failed sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SyncErrorKind {
    /// The server could not be reached.
    Network,
    /// The server failed or refused the request as a whole.
    Server,
    /// The session ended: log in again.
    Unauthorized,
    /// Too many attempts; the server asked to wait.
    Throttled,
    /// The phone's storage or keystore failed.
    Storage,
}

/// Where the upload queue stands.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SyncStatus {
    /// Reports waiting to be sent.
    pub pending: u64,
    /// Reports the server refused; kept on the phone and listed by `failed_reports`.
    pub failed: u64,
    /// When a sync last reached the server and applied its answer, RFC 3339 UTC.
    pub last_success_at: Option<String>,
    /// The class of the last failure, cleared by the next success.
    pub last_error: Option<SyncErrorKind>,
}

/// A report the server refused, kept on the phone.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct FailedReport {
    /// The report.
    pub report: StoredReport,
    /// The server's reason code (`outside_observation_period`, `conflict`, …).
    pub reason_code: String,
    /// The reason to show, in the language of the sync that got it.
    pub reason: String,
    /// When it was refused, RFC 3339 UTC.
    pub failed_at: String,
}

/// How uploads are batched and retried within one `sync_now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct SyncConfig {
    /// Reports per request (at most 100, the server's limit).
    pub batch_size: u32,
    /// Attempts per batch within one sync, the first included.
    pub max_attempts: u32,
    /// The first retry waits up to this long; each further one up to twice as long.
    pub base_delay_ms: u64,
    /// No wait is longer than this; a `Retry-After` longer than this ends the sync.
    pub max_delay_ms: u64,
}

/// Someone this phone reports for: its owner (`person_id` `self`) or a household member
/// linked to the account (代理入力).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PersonView {
    /// The id reports for this person carry (`ReportInput::person_id`).
    pub person_id: String,
    /// The name as typed when the member was added; for the owner, a label (本人 / You).
    pub name: String,
    /// The person's kind, when known (a member's case; the owner's profile).
    pub kind: Option<PersonKind>,
    /// Reports for this person are sent to the health centre. False for a member who
    /// was unlinked: their reports stay on the phone.
    pub linked: bool,
    /// The person's health centre, when known.
    pub centre_name: Option<String>,
    /// That centre's emergency number, when known.
    pub emergency_number: Option<String>,
}

/// The screen a first registration in progress continues on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RegistrationStep {
    /// The code was mailed: enter it (`verify_code`).
    EnterCode,
    /// The code was verified: set the password (`set_password`).
    SetPassword,
    /// The password was set: enter name, date of birth, phone and input ID
    /// (`submit_attributes`).
    EnterAttributes,
}

/// Where a first registration stands after an app restart.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RegistrationProgress {
    /// The screen to continue on.
    pub step: RegistrationStep,
    /// Until when this step can be done (the code's, then the registration token's
    /// expiry), RFC 3339.
    pub expires_at: String,
    /// The address the code was mailed to, for "send the code again" after a restart.
    pub email: String,
}

/// One person's upload queue (the owner's or a household member's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct PersonSyncStatus {
    /// This person's reports waiting to be sent.
    pub pending: u64,
    /// This person's reports kept on the phone with a reason (`failed_reports` lists them).
    pub failed: u64,
}
