//! The exported API: the one object a phone shell holds. Each method converts its
//! inputs, calls the model and the store, and maps errors to [`CoreError`]; the rules
//! themselves live in `protocol`.

use crate::error::{CoreError, Error, Result};
use crate::secrets::{KeystoreToken, TokenStore};
use crate::storage::reports::ReportRow;
use crate::storage::{Store, account, contact, reports};
use crate::sync::client::Api;
use crate::sync::http::Transport;
use crate::types::{
    AdviceView, ChecklistInput, EmergencyContact, HistoryDay, KindView, Language, QuestionView, ReportInput,
    SavedReport, StoredReport, SyncConfig, TodayStatus, UrgentChecklistView,
};
use std::sync::{Arc, Mutex};
use crate::{model, views};
use chrono::{Local, NaiveDate, SecondsFormat, Utc};
use protocol::{Lang, Text, evaluate_checklist, triage};

const NOT_IN_HOUSEHOLD: Text = Text {
    ja: "この方はこの端末のご家族に登録されていません。ご家族の画面で追加してください。",
    en: "This person is not a household member on this phone. Add them on the household screen first.",
};

/// The longest history a screen can ask for, in days.
const MAX_HISTORY_DAYS: u32 = 366;

/// The phone's Mimamori core: the local report store, the question set and the
/// urgent-symptom warnings, and — when opened with a server — the account and the
/// upload of reports. One instance per database file; safe to share between threads.
/// Network calls block: shells call them off the main thread.
#[derive(uniffi::Object)]
pub struct MimamoriCore {
    pub(crate) store: Store,
    /// The patient API; `None` when opened without a server (offline only).
    pub(crate) api: Option<Api>,
    pub(crate) tokens: Arc<dyn TokenStore>,
    /// The token of a first registration in progress (a keystore entry of its own).
    pub(crate) registration_token: Arc<dyn TokenStore>,
    /// Held for the whole of one sync: one upload at a time, other callers wait.
    pub(crate) sync_lock: Mutex<()>,
    pub(crate) sync_config: Mutex<SyncConfig>,
    /// The checked server address the core was opened with, if any.
    pub(crate) server_url: Option<String>,
}

#[uniffi::export]
impl MimamoriCore {
    /// Opens (or creates) the local database at `path` and brings its schema up to
    /// date, for offline use only (no account, no upload). A damaged file gives
    /// `CoreError::Corrupt` and is left untouched.
    #[uniffi::constructor]
    pub fn open(path: String) -> Result<Arc<Self>, CoreError> {
        Ok(Arc::new(MimamoriCore::assemble(&path, None, None)?))
    }

    /// The nine questions of the daily report with their answer options.
    pub fn questions(&self, lang: Language) -> Vec<QuestionView> {
        views::questions(lang.into())
    }

    /// The kinds of person to choose from (infected, close contact, awaiting a result).
    pub fn kinds(&self, lang: Language) -> Vec<KindView> {
        views::kinds(lang.into())
    }

    /// Validates and saves a daily report, and returns its advice. The report and its
    /// place in the upload queue are written in one durable transaction: when this
    /// returns, the report is on disk. A refused input changes nothing.
    pub fn save_report(&self, input: ReportInput, lang: Language) -> Result<SavedReport, CoreError> {
        let lang: Lang = lang.into();
        let valid = model::validate_report(&input, today(), lang)?;
        let advice = triage(&valid.report);
        let id = uuid::Uuid::new_v4().to_string();
        self.store.write(|tx| {
            // A report is for the owner or a household member still linked on this
            // phone: anyone else's could never be sent.
            if valid.person_id != model::OWNER && !crate::storage::household::get(tx, &valid.person_id)?.is_some_and(|m| m.linked) {
                return Err(Error::invalid("person_id", NOT_IN_HOUSEHOLD.get(lang)));
            }
            reports::insert(tx, &id, &valid, &now_utc(), advice.level)
        })?;
        let emergency = self.store.read(|c| contact_for(c, &valid.person_id))?;
        Ok(SavedReport { report_id: id, advice: views::advice(&advice, lang, emergency) })
    }

    /// Today's status for `person_id`: whether a report was saved today, the day's
    /// effective (latest) report with its advice, and how many reports wait to be sent.
    pub fn today_status(&self, person_id: String, lang: Language) -> Result<TodayStatus, CoreError> {
        let lang: Lang = lang.into();
        let person_id = model::validate_person_id(&person_id, lang)?;
        let day = today();
        let (latest, pending, emergency) = self.store.read(|c| {
            Ok((reports::latest_of_day(c, &person_id, day)?, reports::pending_count(c)?, contact_for(c, &person_id)?))
        })?;
        let advice = latest.as_ref().map(|r| views::advice(&triage(&r.report), lang, emergency));
        Ok(TodayStatus {
            local_date: day.to_string(),
            reported_today: latest.is_some(),
            latest: latest.map(stored),
            advice,
            pending_sync: pending,
        })
    }

    /// The last `days` days up to today (oldest first), one entry per day, with the
    /// day's effective report where there is one — what a temperature chart plots.
    pub fn history(&self, person_id: String, days: u32, lang: Language) -> Result<Vec<HistoryDay>, CoreError> {
        Ok(self.history_ending(&person_id, today(), days, lang.into())?)
    }

    /// The number of reports on this phone still waiting to be sent.
    pub fn pending_sync_count(&self) -> Result<u64, CoreError> {
        Ok(self.store.read(reports::pending_count)?)
    }

    /// Stores the health centre's name and emergency number (from the leaflet or the
    /// profile). Needs no account, so a family can set it from the leaflet alone.
    pub fn set_emergency_contact(&self, contact: EmergencyContact, lang: Language) -> Result<(), CoreError> {
        let valid = model::validate_contact(&contact, lang.into())?;
        Ok(self.store.write(|tx| contact::set(tx, &valid, &now_utc()))?)
    }

    /// The stored emergency contact, if one was set.
    pub fn emergency_contact(&self) -> Result<Option<EmergencyContact>, CoreError> {
        Ok(self.store.read(contact::get)?)
    }

    /// The urgent-symptom checklist, as on the leaflet.
    pub fn urgent_checklist(&self, lang: Language) -> UrgentChecklistView {
        views::checklist(lang.into())
    }

    /// Evaluates what a family member ticked: the advice, and the stored emergency
    /// contact to call. Works offline and without login.
    pub fn check_urgent_symptoms(&self, input: ChecklistInput, lang: Language) -> Result<AdviceView, CoreError> {
        let lang: Lang = lang.into();
        let list = model::validate_checklist(&input, lang)?;
        let emergency = self.store.read(contact::get)?;
        Ok(views::advice(&evaluate_checklist(&list), lang, emergency))
    }
}

impl MimamoriCore {
    /// Opens the store and puts the parts together: the transport to the server, if
    /// any, and the token store (by default the platform keystore entry named by this
    /// installation's id).
    pub(crate) fn assemble(
        path: &str,
        transport: Option<Arc<dyn Transport>>,
        tokens: Option<Arc<dyn TokenStore>>,
    ) -> Result<MimamoriCore> {
        let store = Store::open(path)?;
        let install_id = store.read(account::install_id)?;
        let registration_token = Arc::new(KeystoreToken::new(format!("{install_id}.registration")));
        let tokens = match tokens {
            Some(t) => t,
            None => Arc::new(KeystoreToken::new(install_id)),
        };
        Ok(MimamoriCore {
            store,
            api: transport.map(Api::new),
            tokens,
            registration_token,
            sync_lock: Mutex::new(()),
            sync_config: Mutex::new(SyncConfig::default()),
            server_url: None,
        })
    }

    /// The history of the `days` days ending with `last`.
    pub(crate) fn history_ending(&self, person_id: &str, last: NaiveDate, days: u32, lang: Lang) -> Result<Vec<HistoryDay>> {
        let person_id = model::validate_person_id(person_id, lang)?;
        if days == 0 || days > MAX_HISTORY_DAYS {
            return Err(Error::invalid(
                "days",
                Text { ja: "日数は1から366までで指定してください。", en: "Days must be between 1 and 366." }.get(lang),
            ));
        }
        let first = last - chrono::Days::new(u64::from(days - 1));
        let mut rows = self.store.read(|c| reports::latest_per_day(c, &person_id, first, last))?.into_iter().peekable();
        Ok(first
            .iter_days()
            .take(days as usize)
            .map(|day| match rows.next_if(|(r, _)| r.local_date == day) {
                Some((row, n)) => HistoryDay { local_date: day.to_string(), report: Some(stored(row)), reports_that_day: n },
                None => HistoryDay { local_date: day.to_string(), report: None, reports_that_day: 0 },
            })
            .collect())
    }
}

/// The FFI record of a stored report.
/// Whom `person_id` calls: a household member's own health centre, or the stored
/// emergency contact (the owner's, or the leaflet's).
fn contact_for(c: &rusqlite::Connection, person_id: &str) -> Result<Option<EmergencyContact>> {
    if let Some(m) = crate::storage::household::get(c, person_id)? {
        return Ok(Some(EmergencyContact { centre_name: m.centre_name, phone_number: m.emergency_number }));
    }
    contact::get(c)
}

pub(crate) fn stored(r: ReportRow) -> StoredReport {
    StoredReport {
        report_id: r.id,
        person_id: r.person_id,
        local_date: r.local_date.to_string(),
        recorded_at: r.recorded_at,
        kind: r.report.kind.into(),
        temperature_tenths: r.report.temperature.tenths(),
        answers: r.report.answers.as_array().iter().map(|&a| a.into()).collect(),
        urgency: r.level.into(),
        pending_sync: r.pending,
        sync_failed: r.failed,
    }
}

/// Today's date on the phone's clock, in its time zone.
fn today() -> NaiveDate {
    Local::now().date_naive()
}

fn now_utc() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}
