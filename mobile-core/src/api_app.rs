//! Exported helpers for the app's screens around the report: the leaflet's link (a
//! scanned QR code or an opened deep link), the password rule shown while it is typed,
//! the daily reminder (its time and when it should next ring) and the data-handling
//! notice. None of these needs the network or an account.

use crate::api::MimamoriCore;
use crate::error::{CoreError, Error};
use crate::model::{self, OWNER};
use crate::reminder;
use crate::storage::{account, contact, household, reports, settings};
use crate::sync::{http::check_url, now_utc};
use crate::types::{EmergencyContact, Language};
use crate::types_app::{NoticeView, PasswordRulePart, PasswordRuleView, ReminderPlan, ReminderTime};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use protocol::password::{PASSWORD_RULE, RulePart, classes_note, password_classes};
use protocol::{Lang, LeafletError, LeafletLink, NOTICE, NOTICE_TITLE, Text};

/// When a reminder time was never chosen: the morning, as the phone call's first round.
const DEFAULT_REMINDER: ReminderTime = ReminderTime { hour: 9, minute: 0 };

const OTHER_SERVER: Text = Text {
    ja: "このQRコードは、このアプリがつながるサーバーのものではありません。リーフレットの緊急連絡先の電話番号を入力してください。",
    en: "This QR code belongs to another server than this app's. Please type the emergency number from the leaflet.",
};

const BAD_TIME: Text = Text { ja: "時刻は0時0分から23時59分の間で選んでください。", en: "Choose a time between 0:00 and 23:59." };

const REMINDER_TITLE: Text = Text { ja: "みまもり：健康状態の入力", en: "Mimamori: your daily health report" };
const REMINDER_BODY: Text = Text {
    ja: "今日の体温と症状を入力してください。ご家族の分もお忘れなく。",
    en: "Please enter today's temperature and symptoms, for everyone you report for.",
};

#[uniffi::export]
impl MimamoriCore {
    /// Reads the leaflet's link (the QR code's address, scanned or opened as a deep
    /// link) and keeps its health centre as the emergency contact, so warnings name
    /// whom to call even before sign-in and offline. A link to another server than
    /// the one this app was opened with is refused (a QR code never changes where
    /// reports go). Refusals are `Invalid` with field `link`; nothing changes.
    pub fn open_leaflet_link(&self, link: String, lang: Language) -> Result<EmergencyContact, CoreError> {
        let lang: Lang = lang.into();
        let parsed = LeafletLink::parse(&link).map_err(|e| Error::invalid("link", e.message(lang)))?;
        if let Some(ours) = &self.server_url
            && check_url(&parsed.server).ok().as_ref() != Some(ours)
        {
            return Err(Error::invalid("link", OTHER_SERVER.get(lang)).into());
        }
        let found = EmergencyContact { centre_name: parsed.centre_name, phone_number: parsed.emergency_number };
        let valid = model::validate_contact(&found, lang).map_err(|_| Error::invalid("link", LeafletError::NoCentre.message(lang)))?;
        self.store.write(|tx| contact::set(tx, &valid, &now_utc()))?;
        Ok(valid)
    }

    /// The password rule checked against what was typed so far, for the list beside
    /// the field. The server checks the rule again, with the list of common passwords.
    pub fn password_rule(&self, password: String, lang: Language) -> PasswordRuleView {
        let lang: Lang = lang.into();
        let parts: Vec<PasswordRulePart> =
            RulePart::ALL.iter().map(|p| PasswordRulePart { label: p.text().get(lang).to_owned(), met: p.met_by(&password) }).collect();
        PasswordRuleView {
            rule: PASSWORD_RULE.get(lang).to_owned(),
            kinds_note: classes_note(&password, lang),
            meets_rule: RulePart::Length.met_by(&password) && password_classes(&password) >= 3,
            parts,
        }
    }

    /// Chooses the daily reminder's local time, or `None` to switch it off.
    pub fn set_reminder_time(&self, time: Option<ReminderTime>, lang: Language) -> Result<(), CoreError> {
        let value = match time {
            Some(t) if t.hour < 24 && t.minute < 60 => format!("{:02}:{:02}", t.hour, t.minute),
            Some(_) => return Err(Error::invalid("reminder_time", BAD_TIME.get(lang.into())).into()),
            None => "off".to_owned(),
        };
        Ok(self.store.write(|tx| settings::set(tx, settings::REMINDER, &value, &now_utc()))?)
    }

    /// The daily reminder's local time (9:00 until one is chosen), `None` when off.
    pub fn reminder_time(&self) -> Result<Option<ReminderTime>, CoreError> {
        let stored = self.store.read(|c| settings::get(c, settings::REMINDER))?;
        Ok(match stored.as_deref() {
            None => Some(DEFAULT_REMINDER),
            Some("off") => None,
            Some(v) => NaiveTime::parse_from_str(v, "%H:%M").ok().map(|t| ReminderTime {
                hour: u8::try_from(chrono::Timelike::hour(&t)).unwrap_or(0),
                minute: u8::try_from(chrono::Timelike::minute(&t)).unwrap_or(0),
            }),
        })
    }

    /// When the daily reminder should next ring, seen from `now_epoch_ms` on a phone
    /// `utc_offset_minutes` ahead of UTC: today at the chosen time if that is still
    /// ahead and someone this phone reports for (the owner, linked household members)
    /// has not reported today, otherwise tomorrow; `None` when the reminder is off or
    /// the observation period is over. Shells schedule one notification at a time and
    /// ask again after it rang, after a save and after a setting changed.
    pub fn next_reminder(&self, now_epoch_ms: i64, utc_offset_minutes: i32, lang: Language) -> Result<Option<ReminderPlan>, CoreError> {
        let lang: Lang = lang.into();
        let Some(time) = self.reminder_time()? else { return Ok(None) };
        let at = NaiveTime::from_hms_opt(u32::from(time.hour), u32::from(time.minute), 0).ok_or_else(|| Error::invalid("reminder_time", BAD_TIME.get(lang)))?;
        let zone = FixedOffset::east_opt(utc_offset_minutes.saturating_mul(60)).ok_or_else(|| Error::invalid("utc_offset_minutes", BAD_TIME.get(lang)))?;
        let now = DateTime::from_timestamp_millis(now_epoch_ms).ok_or_else(|| Error::invalid("now_epoch_ms", BAD_TIME.get(lang)))?.with_timezone(&zone);
        let date = now.date_naive();
        let today = self.store.read(|c| {
            let profile = account::profile(c)?;
            let members: Vec<household::Member> = household::all(c)?.into_iter().filter(|m| m.linked).collect();
            let mut everyone_reported = reports::latest_of_day(c, OWNER, date)?.is_some();
            for m in &members {
                everyone_reported &= reports::latest_of_day(c, &m.person_id, date)?.is_some();
            }
            let ends = profile.iter().map(|p| p.period_end.as_str()).chain(members.iter().map(|m| m.period_end.as_str()));
            let period_end = ends.filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).max();
            Ok(reminder::Today { everyone_reported, period_end })
        })?;
        Ok(reminder::next(now, at, today).map(|when| ReminderPlan {
            at_epoch_ms: when.timestamp_millis(),
            title: REMINDER_TITLE.get(lang).to_owned(),
            body: REMINDER_BODY.get(lang).to_owned(),
        }))
    }

    /// The data-handling notice of the leaflet, for the settings screen.
    pub fn data_handling_notice(&self, lang: Language) -> NoticeView {
        let lang: Lang = lang.into();
        NoticeView { title: NOTICE_TITLE.get(lang).to_owned(), paragraphs: NOTICE.iter().map(|p| p.get(lang).to_owned()).collect() }
    }
}
