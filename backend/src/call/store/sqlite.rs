//! The call's operations on SQLite: one writer, so claiming is a plain update in its
//! `IMMEDIATE` transaction; times are milliseconds, days `YYYY-MM-DD` text.

use super::*;
use crate::call::rules::{OPEN_STATUSES_SQL, RETRY_STATUSES_SQL};
use crate::db::AuditAction;
use crate::db::sqlite::{SqliteStore, insert_audit};
use chrono::NaiveTime;
use rusqlite::{OptionalExtension, Row, params};

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::UNIX_EPOCH)
}

fn conv(i: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, format!("bad {what}").into())
}

fn day_of(r: &Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
    r.get::<_, String>(i)?.parse().map_err(|_| conv(i, "date"))
}

fn round_of(r: &Row<'_>, i: usize) -> rusqlite::Result<Round> {
    Round::from_number(r.get(i)?).ok_or_else(|| conv(i, "round"))
}

fn status_of(r: &Row<'_>, i: usize) -> rusqlite::Result<Status> {
    Status::parse(&r.get::<_, String>(i)?).ok_or_else(|| conv(i, "status"))
}

fn settings_row(r: &Row<'_>, at: usize) -> rusqlite::Result<CentreSettings> {
    let Some(enabled) = r.get::<_, Option<bool>>(at)? else { return Ok(CentreSettings::default()) };
    let t = |i: usize| -> rusqlite::Result<NaiveTime> { crate::call::rules::parse_time(&r.get::<_, String>(i)?).ok_or_else(|| conv(i, "time")) };
    Ok(CentreSettings { enabled, first_at: t(at + 1)?, retry_at: t(at + 2)?, retry: r.get(at + 3)?, calls_per_sec: r.get(at + 4)? })
}

const SETTINGS: &str = "s.enabled, s.first_at, s.retry_at, s.retry, s.calls_per_sec";

pub(super) async fn settings(s: &SqliteStore, centre_id: i64) -> Result<CentreSettings> {
    s.read(move |c| {
        Ok(c.query_row(&format!("SELECT {SETTINGS} FROM call_settings s WHERE s.centre_id = ?1"), [centre_id], |r| settings_row(r, 0))
            .optional()?
            .unwrap_or_default())
    })
    .await
}

pub(super) async fn all_settings(s: &SqliteStore) -> Result<Vec<(i64, CentreSettings)>> {
    s.read(move |c| {
        let mut st = c.prepare_cached(&format!("SELECT ce.id, {SETTINGS} FROM centres ce LEFT JOIN call_settings s ON s.centre_id = ce.id ORDER BY ce.id"))?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, settings_row(r, 1)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    })
    .await
}

pub(super) async fn put_settings(s: &SqliteStore, scope: CentreScope, staff_id: Option<i64>, v: CentreSettings, now: DateTime<Utc>) -> Result<()> {
    s.write(move |tx| {
        tx.execute(
            "INSERT INTO call_settings (centre_id, enabled, first_at, retry_at, retry, calls_per_sec, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
             ON CONFLICT (centre_id) DO UPDATE SET enabled = excluded.enabled, first_at = excluded.first_at, retry_at = excluded.retry_at, \
             retry = excluded.retry, calls_per_sec = excluded.calls_per_sec, updated_at = excluded.updated_at",
            params![scope.centre_id(), v.enabled, v.first_at.format("%H:%M").to_string(), v.retry_at.format("%H:%M").to_string(), v.retry, v.calls_per_sec, ms(now)],
        )?;
        if let Some(staff_id) = staff_id {
            insert_audit(tx, scope, staff_id, AuditAction::ChangeCallSettings, None, now)?;
        }
        Ok(())
    })
    .await
}

pub(super) async fn enrolment(s: &SqliteStore, scope: CentreScope, case_id: i64) -> Result<Option<Enrolment>> {
    s.read(move |c| {
        Ok(c.query_row(
            "SELECT c.id, c.observation, e.phone, c.phone, e.lang FROM cases c LEFT JOIN call_enrolments e ON e.case_id = c.id \
             WHERE c.id = ?1 AND c.centre_id = ?2",
            [case_id, scope.centre_id()],
            |r| {
                Ok(Enrolment {
                    case_id: r.get(0)?,
                    observation: Observation::parse(&r.get::<_, String>(1)?).ok_or_else(|| conv(1, "observation"))?,
                    phone: r.get(2)?,
                    case_phone: r.get(3)?,
                    lang: Lang::from_tag(&r.get::<_, Option<String>>(4)?.unwrap_or_default()),
                })
            },
        )
        .optional()?)
    })
    .await
}

pub(super) async fn set_enrolment(s: &SqliteStore, by: By, case_id: i64, observation: Observation, phone: Option<String>, lang: Lang, now: DateTime<Utc>) -> Result<bool> {
    s.write(move |tx| {
        let n = tx.execute("UPDATE cases SET observation = ?1 WHERE id = ?2 AND centre_id = ?3", params![observation.as_str(), case_id, by.scope.centre_id()])?;
        if n == 0 {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO call_enrolments (case_id, phone, lang, updated_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (case_id) DO UPDATE SET phone = excluded.phone, lang = excluded.lang, updated_at = excluded.updated_at",
            params![case_id, phone, lang.tag(), ms(now)],
        )?;
        insert_audit(tx, by.scope, by.staff_id, AuditAction::ChangeCallEnrolment, Some(case_id), now)?;
        Ok(true)
    })
    .await
}

pub(super) async fn plan_round(s: &SqliteStore, centre_id: i64, day: NaiveDate, round: Round, now: DateTime<Utc>, by: Option<By>) -> Result<Option<i64>> {
    s.write(move |tx| {
        let day = day.to_string();
        if round == Round::Retry {
            let first: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM call_rounds WHERE centre_id = ?1 AND day = ?2 AND round = 1)", params![centre_id, day], |r| r.get(0))?;
            let open: bool = tx.query_row(
                &format!("SELECT EXISTS (SELECT 1 FROM call_attempts WHERE centre_id = ?1 AND day = ?2 AND round = 1 AND status IN {OPEN_STATUSES_SQL})"),
                params![centre_id, day],
                |r| r.get(0),
            )?;
            if !first || open {
                return Ok(None);
            }
        }
        let n = tx.execute(
            "INSERT INTO call_rounds (centre_id, day, round, planned_at, attempts) VALUES (?1, ?2, ?3, ?4, 0) ON CONFLICT DO NOTHING",
            params![centre_id, day, round.number(), ms(now)],
        )?;
        if n == 0 {
            return Ok(None);
        }
        let enrolled = concat!("c.active = 1 AND c.observation = 'phone' AND c.period_start <= ?2 AND c.period_end >= ?2 \
                        AND (c.last_received_on IS NULL OR c.last_received_on <> ?2) AND ", crate::db::rights::in_use!("c"));
        let sql = match round {
            Round::First => format!(
                "INSERT INTO call_attempts (id, case_id, centre_id, day, round, status, lang, created_at) \
                 SELECT lower(hex(randomblob(16))), c.id, c.centre_id, ?2, 1, 'due', coalesce(e.lang, 'ja'), ?3 \
                 FROM cases c LEFT JOIN call_enrolments e ON e.case_id = c.id WHERE c.centre_id = ?1 AND {enrolled} \
                 ORDER BY c.id ON CONFLICT DO NOTHING"
            ),
            Round::Retry => format!(
                "INSERT INTO call_attempts (id, case_id, centre_id, day, round, status, lang, created_at) \
                 SELECT lower(hex(randomblob(16))), c.id, c.centre_id, ?2, 2, 'due', coalesce(e.lang, 'ja'), ?3 \
                 FROM call_attempts a JOIN cases c ON c.id = a.case_id LEFT JOIN call_enrolments e ON e.case_id = c.id \
                 WHERE a.centre_id = ?1 AND a.day = ?2 AND a.round = 1 AND a.status IN {RETRY_STATUSES_SQL} AND {enrolled} \
                 ORDER BY c.id ON CONFLICT DO NOTHING"
            ),
        };
        let planned = i64::try_from(tx.execute(&sql, params![centre_id, day, ms(now)])?).unwrap_or(i64::MAX);
        tx.execute("UPDATE call_rounds SET attempts = ?4 WHERE centre_id = ?1 AND day = ?2 AND round = ?3", params![centre_id, day, round.number(), planned])?;
        if let Some(by) = by {
            insert_audit(tx, by.scope, by.staff_id, AuditAction::StartCallRound, None, now)?;
        }
        Ok(Some(planned))
    })
    .await
}

pub(super) async fn centres_with_due(s: &SqliteStore, day: NaiveDate, now: DateTime<Utc>) -> Result<Vec<i64>> {
    s.read(move |c| {
        // One index probe per centre (`call_attempts_day`), stopping at the first hit,
        // rather than reading every due attempt of a big round at every tick.
        let mut st = c.prepare_cached(
            "SELECT ce.id FROM centres ce WHERE \
             EXISTS (SELECT 1 FROM call_attempts a WHERE a.centre_id = ce.id AND a.day = ?1 AND a.status = 'due') \
             OR EXISTS (SELECT 1 FROM call_attempts a WHERE a.centre_id = ce.id AND a.day = ?1 AND a.status = 'claimed' AND a.lease_until < ?2)",
        )?;
        let rows = st.query_map(params![day.to_string(), ms(now)], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    })
    .await
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn claim(s: &SqliteStore, centre_id: i64, day: NaiveDate, copy: String, limit: i64, rate: f64, lease: chrono::Duration, now: DateTime<Utc>) -> Result<(Vec<String>, DateTime<Utc>)> {
    s.write(move |tx| {
        // Claims whose lease ran out first, then due attempts in the order planned; each
        // read walks `call_attempts_open` in its order (rowid breaks ties), with no sort
        // of a big round's attempts.
        let mut taken = tx.prepare_cached(
            "SELECT id FROM call_attempts WHERE status = 'claimed' AND centre_id = ?1 AND day = ?2 AND lease_until < ?3 \
             ORDER BY round, created_at, rowid LIMIT ?4",
        )?;
        let mut ids: Vec<String> = taken.query_map(params![centre_id, day.to_string(), ms(now), limit], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let mut due = tx.prepare_cached("SELECT id FROM call_attempts WHERE status = 'due' AND centre_id = ?1 AND day = ?2 ORDER BY round, created_at, rowid LIMIT ?3")?;
        let more = limit - i64::try_from(ids.len()).unwrap_or(limit);
        if more > 0 {
            for id in due.query_map(params![centre_id, day.to_string(), more], |r| r.get::<_, String>(0))? {
                ids.push(id?);
            }
        }
        if ids.is_empty() {
            return Ok((ids, now));
        }
        let next: Option<i64> = tx.query_row("SELECT next_slot_at FROM call_pacing WHERE centre_id = ?1", [centre_id], |r| r.get(0)).optional()?;
        let start = next.map_or(now, time).max(now);
        let span = crate::call::scheduler::slots(ids.len(), rate);
        tx.execute(
            "INSERT INTO call_pacing (centre_id, next_slot_at) VALUES (?1, ?2) ON CONFLICT (centre_id) DO UPDATE SET next_slot_at = excluded.next_slot_at",
            params![centre_id, ms(start + span)],
        )?;
        let until = ms(start + span + lease);
        let mut up = tx.prepare_cached("UPDATE call_attempts SET status = 'claimed', claimed_by = ?2, lease_until = ?3 WHERE id = ?1")?;
        for id in &ids {
            up.execute(params![id, copy, until])?;
        }
        Ok((ids, start))
    })
    .await
}

pub(super) async fn start_dialing(s: &SqliteStore, ids: Vec<String>, copy: String, day: NaiveDate, now: DateTime<Utc>) -> Result<Vec<DialTarget>> {
    s.write(move |tx| {
        let mut skip = tx.prepare_cached(concat!(
            "UPDATE call_attempts SET status = 'skipped', ended_at = ?3, lease_until = NULL WHERE id = ?1 AND status = 'claimed' AND claimed_by = ?2 \
             AND EXISTS (SELECT 1 FROM cases c WHERE c.id = call_attempts.case_id AND (c.active = 0 OR c.observation <> 'phone' OR c.last_received_on = ?4 OR NOT ", crate::db::rights::in_use!("c"), "))"),
        )?;
        let mut dial = tx.prepare_cached(
            "UPDATE call_attempts SET status = 'dialing', dialed_at = ?3 WHERE id = ?1 AND status = 'claimed' AND claimed_by = ?2 \
             RETURNING case_id, centre_id, round, lang",
        )?;
        let mut number = tx.prepare_cached("SELECT coalesce(e.phone, c.phone) FROM cases c LEFT JOIN call_enrolments e ON e.case_id = c.id WHERE c.id = ?1")?;
        let mut out = Vec::new();
        let day = day.to_string();
        for id in ids {
            skip.execute(params![id, copy, ms(now), day])?;
            let row = dial
                .query_row(params![id, copy, ms(now)], |r| {
                    Ok(DialTarget {
                        id: id.clone(),
                        case_id: r.get(0)?,
                        centre_id: r.get(1)?,
                        round: round_of(r, 2)?,
                        number: String::new(),
                        lang: Lang::from_tag(&r.get::<_, String>(3)?),
                    })
                })
                .optional()?;
            if let Some(mut t) = row {
                t.number = number.query_row([t.case_id], |r| r.get(0))?;
                out.push(t);
            }
        }
        Ok(out)
    })
    .await
}

pub(super) async fn placed(s: &SqliteStore, results: Vec<(String, std::result::Result<String, ()>)>, provider: String, now: DateTime<Utc>) -> Result<()> {
    s.write(move |tx| {
        let mut ok = tx.prepare_cached(
            "UPDATE call_attempts SET status = CASE WHEN status = 'dialing' THEN 'ringing' ELSE status END, provider = ?2, provider_call_id = ?3 WHERE id = ?1",
        )?;
        let mut failed = tx.prepare_cached("UPDATE call_attempts SET status = 'failed', provider = ?2, ended_at = ?3 WHERE id = ?1 AND status = 'dialing'")?;
        for (id, r) in results {
            match r {
                Ok(call_id) => ok.execute(params![id, provider, call_id])?,
                Err(()) => failed.execute(params![id, provider, ms(now)])?,
            };
        }
        Ok(())
    })
    .await
}

pub(super) async fn expire(s: &SqliteStore, before: DateTime<Utc>, today: NaiveDate, now: DateTime<Utc>) -> Result<u64> {
    s.write(move |tx| {
        let a = tx.execute(
            "UPDATE call_attempts SET status = CASE WHEN answered_at IS NULL THEN 'failed' ELSE 'incomplete' END, script = NULL, ended_at = ?2 \
             WHERE status IN ('dialing', 'ringing', 'in_call') AND coalesce(answered_at, dialed_at) < ?1",
            params![ms(before), ms(now)],
        )?;
        let b = tx.execute(
            "UPDATE call_attempts SET status = 'failed', ended_at = ?2 WHERE status IN ('due', 'claimed') AND day < ?1",
            params![today.to_string(), ms(now)],
        )?;
        Ok((a + b) as u64)
    })
    .await
}

const ATTEMPT: &str = "a.id, a.case_id, a.day, a.round, a.status, a.lang, a.script, a.turn, a.last_seq, a.answered_at, ce.name, ce.emergency_number \
     FROM call_attempts a JOIN centres ce ON ce.id = a.centre_id";

pub(super) async fn attempt(s: &SqliteStore, id: String) -> Result<Option<Attempt>> {
    s.read(move |c| {
        Ok(c.query_row(&format!("SELECT {ATTEMPT} WHERE a.id = ?1"), [id], |r| {
            Ok(Attempt {
                id: r.get(0)?,
                case_id: r.get(1)?,
                day: day_of(r, 2)?,
                round: round_of(r, 3)?,
                status: status_of(r, 4)?,
                lang: Lang::from_tag(&r.get::<_, String>(5)?),
                script: r.get(6)?,
                turn: r.get(7)?,
                last_seq: r.get(8)?,
                answered_at: r.get::<_, Option<i64>>(9)?.map(time),
                centre_name: r.get(10)?,
                emergency_number: r.get(11)?,
            })
        })
        .optional()?)
    })
    .await
}

pub(super) async fn save_turn(s: &SqliteStore, id: String, turn: i64, script: String, step: String, now: DateTime<Utc>) -> Result<bool> {
    s.write(move |tx| {
        let n = tx.execute(
            "UPDATE call_attempts SET script = ?3, step = ?4, turn = turn + 1, status = 'in_call', answered_at = coalesce(answered_at, ?5) \
             WHERE id = ?1 AND turn = ?2 AND status IN ('dialing', 'ringing', 'in_call')",
            params![id, turn, script, step, ms(now)],
        )?;
        Ok(n == 1)
    })
    .await
}

pub(super) async fn finish(s: &SqliteStore, id: String, turn: i64, status: Status, report_id: Option<Uuid>, now: DateTime<Utc>) -> Result<bool> {
    s.write(move |tx| {
        let n = tx.execute(
            &format!(
                "UPDATE call_attempts SET status = ?3, report_id = ?4, script = NULL, turn = turn + 1, ended_at = ?5 \
                 WHERE id = ?1 AND turn = ?2 AND status IN {OPEN_STATUSES_SQL}"
            ),
            params![id, turn, status.as_str(), report_id.map(|u| u.as_bytes().to_vec()), ms(now)],
        )?;
        Ok(n == 1)
    })
    .await
}

pub(super) async fn status_event(s: &SqliteStore, id: String, seq: i64, event: Event, now: DateTime<Utc>) -> Result<bool> {
    s.write(move |tx| {
        let set = match event {
            Event::Progress => "status".to_owned(),
            Event::Ringing => "CASE WHEN status = 'dialing' THEN 'ringing' ELSE status END".to_owned(),
            Event::HungUp => "CASE WHEN answered_at IS NULL THEN 'no_answer' ELSE 'incomplete' END".to_owned(),
            Event::Ended(st) => format!("'{}'", st.as_str()),
        };
        let ends = matches!(event, Event::HungUp | Event::Ended(_));
        let n = tx.execute(
            &format!(
                "UPDATE call_attempts SET last_seq = ?2, status = {set}, script = CASE WHEN ?4 THEN NULL ELSE script END, \
                 ended_at = CASE WHEN ?4 THEN ?3 ELSE ended_at END \
                 WHERE id = ?1 AND last_seq < ?2 AND status IN ('dialing', 'ringing', 'in_call')"
            ),
            params![id, seq, ms(now), ends],
        )?;
        Ok(n == 1)
    })
    .await
}

fn line(r: &Row<'_>, at: usize) -> rusqlite::Result<AttemptLine> {
    Ok(AttemptLine {
        id: r.get(at)?,
        case_id: r.get(at + 1)?,
        day: day_of(r, at + 2)?,
        round: round_of(r, at + 3)?,
        status: status_of(r, at + 4)?,
        step: r.get(at + 5)?,
        dialed_at: r.get::<_, Option<i64>>(at + 6)?.map(time),
        ended_at: r.get::<_, Option<i64>>(at + 7)?.map(time),
        report_id: r.get::<_, Option<Vec<u8>>>(at + 8)?.and_then(|b| Uuid::from_slice(&b).ok()),
    })
}

const LINE: &str = "a.id, a.case_id, a.day, a.round, a.status, a.step, a.dialed_at, a.ended_at, a.report_id";

pub(super) async fn callbacks(s: &SqliteStore, scope: CentreScope, day: NaiveDate, last: Round) -> Result<Vec<CallBack>> {
    s.read(move |c| {
        let mut st = c.prepare_cached(&format!(
            "SELECT c.id, c.name, c.name_reading, coalesce(e.phone, c.phone), {LINE} FROM cases c \
             JOIN call_attempts a ON a.case_id = c.id AND a.day = ?2 LEFT JOIN call_enrolments e ON e.case_id = c.id \
             WHERE c.centre_id = ?1 AND c.active = 1 AND {in_use} AND (c.last_received_on IS NULL OR c.last_received_on <> ?2) \
             AND EXISTS (SELECT 1 FROM call_rounds r WHERE r.centre_id = ?1 AND r.day = ?2 AND r.round = ?3) \
             AND NOT EXISTS (SELECT 1 FROM call_attempts o WHERE o.case_id = c.id AND o.day = ?2 AND o.status IN {OPEN_STATUSES_SQL}) \
             AND NOT EXISTS (SELECT 1 FROM call_attempts k WHERE k.case_id = c.id AND k.day = ?2 AND k.status IN ('completed', 'skipped')) \
             ORDER BY c.id, a.round",
            in_use = crate::db::rights::in_use!("c")
        ))?;
        let rows = st.query_map(params![scope.centre_id(), day.to_string(), last.number()], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, line(r, 4)?))
        })?;
        let mut out: Vec<CallBack> = Vec::new();
        for row in rows {
            let (case_id, name, name_reading, number, l) = row?;
            match out.last_mut() {
                Some(cb) if cb.case_id == case_id => cb.attempts.push(l),
                _ => out.push(CallBack { case_id, name, name_reading, number, attempts: vec![l] }),
            }
        }
        Ok(out)
    })
    .await
}

pub(super) async fn case_calls(s: &SqliteStore, scope: CentreScope, case_id: i64) -> Result<Option<Vec<AttemptLine>>> {
    s.read(move |c| {
        let own: bool = c.query_row("SELECT EXISTS (SELECT 1 FROM cases WHERE id = ?1 AND centre_id = ?2)", [case_id, scope.centre_id()], |r| r.get(0))?;
        if !own {
            return Ok(None);
        }
        let mut st = c.prepare_cached(&format!("SELECT {LINE} FROM call_attempts a WHERE a.case_id = ?1 ORDER BY a.day DESC, a.round DESC"))?;
        let rows = st.query_map([case_id], |r| line(r, 0))?.collect::<rusqlite::Result<_>>()?;
        Ok(Some(rows))
    })
    .await
}

pub(super) async fn round_counts(s: &SqliteStore, scope: CentreScope, day: NaiveDate) -> Result<RoundCounts> {
    s.read(move |c| {
        let mut st = c.prepare_cached("SELECT round, status, count(*) FROM call_attempts WHERE centre_id = ?1 AND day = ?2 GROUP BY round, status ORDER BY round, status")?;
        let rows = st
            .query_map(params![scope.centre_id(), day.to_string()], |r| Ok((round_of(r, 0)?, status_of(r, 1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    })
    .await
}
