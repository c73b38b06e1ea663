//! The call's operations on PostgreSQL. Several server copies share the database:
//! claims take rows with `FOR UPDATE SKIP LOCKED`, so two copies never take the same
//! attempt, and the centre's pace row is locked while slots are reserved.

use super::*;
use crate::call::rules::{OPEN_STATUSES_SQL, RETRY_STATUSES_SQL};
use crate::db::AuditAction;
use crate::db::postgres::{PgStore, insert_audit};
use crate::error::Error;
use tokio_postgres::Row;

fn bad(what: &str) -> Error {
    Error::Db(format!("bad {what} in a call row"))
}

fn round_of(r: &Row, i: usize) -> Result<Round> {
    Round::from_number(i64::from(r.try_get::<_, i16>(i)?)).ok_or_else(|| bad("round"))
}

fn status_of(r: &Row, i: usize) -> Result<Status> {
    Status::parse(r.try_get::<_, &str>(i)?).ok_or_else(|| bad("status"))
}

fn settings_row(r: &Row, at: usize) -> Result<CentreSettings> {
    let Some(enabled) = r.try_get::<_, Option<bool>>(at)? else { return Ok(CentreSettings::default()) };
    let t = |i: usize| -> Result<chrono::NaiveTime> { crate::call::rules::parse_time(r.try_get::<_, &str>(i)?).ok_or_else(|| bad("time")) };
    Ok(CentreSettings { enabled, first_at: t(at + 1)?, retry_at: t(at + 2)?, retry: r.try_get(at + 3)?, calls_per_sec: r.try_get(at + 4)? })
}

const SETTINGS: &str = "s.enabled, s.first_at, s.retry_at, s.retry, s.calls_per_sec";

pub(super) async fn settings(p: &PgStore, centre_id: i64) -> Result<CentreSettings> {
    let c = p.pool().get().await?;
    match c.query_opt(&format!("SELECT {SETTINGS} FROM call_settings s WHERE s.centre_id = $1"), &[&centre_id]).await? {
        Some(r) => settings_row(&r, 0),
        None => Ok(CentreSettings::default()),
    }
}

pub(super) async fn all_settings(p: &PgStore) -> Result<Vec<(i64, CentreSettings)>> {
    let c = p.pool().get().await?;
    let rows = c.query(&format!("SELECT ce.id, {SETTINGS} FROM centres ce LEFT JOIN call_settings s ON s.centre_id = ce.id ORDER BY ce.id"), &[]).await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, settings_row(r, 1)?))).collect()
}

pub(super) async fn put_settings(p: &PgStore, scope: CentreScope, staff_id: Option<i64>, v: CentreSettings, now: DateTime<Utc>) -> Result<()> {
    let mut c = p.pool().get().await?;
    let tx = c.transaction().await?;
    tx.execute(
        "INSERT INTO call_settings (centre_id, enabled, first_at, retry_at, retry, calls_per_sec, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (centre_id) DO UPDATE SET enabled = excluded.enabled, first_at = excluded.first_at, retry_at = excluded.retry_at, \
         retry = excluded.retry, calls_per_sec = excluded.calls_per_sec, updated_at = excluded.updated_at",
        &[&scope.centre_id(), &v.enabled, &v.first_at.format("%H:%M").to_string(), &v.retry_at.format("%H:%M").to_string(), &v.retry, &v.calls_per_sec, &now],
    )
    .await?;
    if let Some(staff_id) = staff_id {
        insert_audit(&*tx, scope, staff_id, AuditAction::ChangeCallSettings, None, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn enrolment(p: &PgStore, scope: CentreScope, case_id: i64) -> Result<Option<Enrolment>> {
    let c = p.pool().get().await?;
    let row = c
        .query_opt(
            "SELECT c.id, c.observation, e.phone, c.phone, e.lang FROM cases c LEFT JOIN call_enrolments e ON e.case_id = c.id \
             WHERE c.id = $1 AND c.centre_id = $2",
            &[&case_id, &scope.centre_id()],
        )
        .await?;
    row.map(|r| {
        Ok(Enrolment {
            case_id: r.try_get(0)?,
            observation: Observation::parse(r.try_get(1)?).ok_or_else(|| bad("observation"))?,
            phone: r.try_get(2)?,
            case_phone: r.try_get(3)?,
            lang: Lang::from_tag(r.try_get::<_, Option<&str>>(4)?.unwrap_or("ja")),
        })
    })
    .transpose()
}

pub(super) async fn set_enrolment(p: &PgStore, by: By, case_id: i64, observation: Observation, phone: Option<String>, lang: Lang, now: DateTime<Utc>) -> Result<bool> {
    let mut c = p.pool().get().await?;
    let tx = c.transaction().await?;
    let n = tx.execute("UPDATE cases SET observation = $1 WHERE id = $2 AND centre_id = $3", &[&observation.as_str(), &case_id, &by.scope.centre_id()]).await?;
    if n == 0 {
        return Ok(false);
    }
    tx.execute(
        "INSERT INTO call_enrolments (case_id, phone, lang, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (case_id) DO UPDATE SET phone = excluded.phone, lang = excluded.lang, updated_at = excluded.updated_at",
        &[&case_id, &phone, &lang.tag(), &now],
    )
    .await?;
    insert_audit(&*tx, by.scope, by.staff_id, AuditAction::ChangeCallEnrolment, Some(case_id), now).await?;
    tx.commit().await?;
    Ok(true)
}

pub(super) async fn plan_round(p: &PgStore, centre_id: i64, day: NaiveDate, round: Round, now: DateTime<Utc>, by: Option<By>) -> Result<Option<i64>> {
    let mut c = p.pool().get().await?;
    let tx = c.transaction().await?;
    let number = i16::try_from(round.number()).unwrap_or(1);
    if round == Round::Retry {
        let r = tx
            .query_one(
                &format!(
                    "SELECT EXISTS (SELECT 1 FROM call_rounds WHERE centre_id = $1 AND day = $2 AND round = 1), \
                     EXISTS (SELECT 1 FROM call_attempts WHERE centre_id = $1 AND day = $2 AND round = 1 AND status IN {OPEN_STATUSES_SQL})"
                ),
                &[&centre_id, &day],
            )
            .await?;
        if !r.try_get::<_, bool>(0)? || r.try_get::<_, bool>(1)? {
            return Ok(None);
        }
    }
    // The first copy to insert the round plans it; another copy's insert waits for
    // that commit and then does nothing.
    let n = tx
        .execute("INSERT INTO call_rounds (centre_id, day, round, planned_at, attempts) VALUES ($1, $2, $3, $4, 0) ON CONFLICT DO NOTHING", &[&centre_id, &day, &number, &now])
        .await?;
    if n == 0 {
        return Ok(None);
    }
    let enrolled = concat!("c.active AND c.observation = 'phone' AND c.period_start <= $2 AND c.period_end >= $2 \
                    AND (c.last_received_on IS NULL OR c.last_received_on <> $2) AND ", crate::db::rights::in_use!("c"));
    let sql = match round {
        Round::First => format!(
            "INSERT INTO call_attempts (id, case_id, centre_id, day, round, status, lang, created_at) \
             SELECT replace(gen_random_uuid()::text, '-', ''), c.id, c.centre_id, $2, 1, 'due', coalesce(e.lang, 'ja'), $3 \
             FROM cases c LEFT JOIN call_enrolments e ON e.case_id = c.id WHERE c.centre_id = $1 AND {enrolled} \
             ON CONFLICT DO NOTHING"
        ),
        Round::Retry => format!(
            "INSERT INTO call_attempts (id, case_id, centre_id, day, round, status, lang, created_at) \
             SELECT replace(gen_random_uuid()::text, '-', ''), c.id, c.centre_id, $2, 2, 'due', coalesce(e.lang, 'ja'), $3 \
             FROM call_attempts a JOIN cases c ON c.id = a.case_id LEFT JOIN call_enrolments e ON e.case_id = c.id \
             WHERE a.centre_id = $1 AND a.day = $2 AND a.round = 1 AND a.status IN {RETRY_STATUSES_SQL} AND {enrolled} \
             ON CONFLICT DO NOTHING"
        ),
    };
    let planned = i64::try_from(tx.execute(&sql, &[&centre_id, &day, &now]).await?).unwrap_or(i64::MAX);
    tx.execute("UPDATE call_rounds SET attempts = $4 WHERE centre_id = $1 AND day = $2 AND round = $3", &[&centre_id, &day, &number, &planned]).await?;
    if let Some(by) = by {
        insert_audit(&*tx, by.scope, by.staff_id, AuditAction::StartCallRound, None, now).await?;
    }
    tx.commit().await?;
    Ok(Some(planned))
}

pub(super) async fn centres_with_due(p: &PgStore, day: NaiveDate, now: DateTime<Utc>) -> Result<Vec<i64>> {
    let c = p.pool().get().await?;
    let rows = c
        .query("SELECT DISTINCT centre_id FROM call_attempts WHERE (status = 'due' OR (status = 'claimed' AND lease_until < $2)) AND day = $1", &[&day, &now])
        .await?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn claim(p: &PgStore, centre_id: i64, day: NaiveDate, copy: &str, limit: i64, rate: f64, lease: chrono::Duration, now: DateTime<Utc>) -> Result<(Vec<String>, DateTime<Utc>)> {
    let mut c = p.pool().get().await?;
    let tx = c.transaction().await?;
    let rows = tx
        .query(
            "SELECT id FROM call_attempts WHERE centre_id = $1 AND day = $2 AND (status = 'due' OR (status = 'claimed' AND lease_until < $3)) \
             ORDER BY round, created_at, id LIMIT $4 FOR UPDATE SKIP LOCKED",
            &[&centre_id, &day, &now, &limit],
        )
        .await?;
    let ids: Vec<String> = rows.iter().map(|r| r.try_get(0)).collect::<std::result::Result<_, _>>()?;
    if ids.is_empty() {
        return Ok((ids, now));
    }
    tx.execute("INSERT INTO call_pacing (centre_id, next_slot_at) VALUES ($1, $2) ON CONFLICT DO NOTHING", &[&centre_id, &now]).await?;
    let next: DateTime<Utc> = tx.query_one("SELECT next_slot_at FROM call_pacing WHERE centre_id = $1 FOR UPDATE", &[&centre_id]).await?.try_get(0)?;
    let start = next.max(now);
    let span = crate::call::scheduler::slots(ids.len(), rate);
    tx.execute("UPDATE call_pacing SET next_slot_at = $2 WHERE centre_id = $1", &[&centre_id, &(start + span)]).await?;
    tx.execute(
        "UPDATE call_attempts SET status = 'claimed', claimed_by = $2, lease_until = $3 WHERE id = ANY($1)",
        &[&ids, &copy, &(start + span + lease)],
    )
    .await?;
    tx.commit().await?;
    Ok((ids, start))
}

pub(super) async fn start_dialing(p: &PgStore, ids: Vec<String>, copy: &str, day: NaiveDate, now: DateTime<Utc>) -> Result<Vec<DialTarget>> {
    let mut c = p.pool().get().await?;
    let tx = c.transaction().await?;
    tx.execute(
        concat!("UPDATE call_attempts a SET status = 'skipped', ended_at = $3, lease_until = NULL FROM cases c \
         WHERE a.id = ANY($1) AND a.status = 'claimed' AND a.claimed_by = $2 AND c.id = a.case_id \
         AND (NOT c.active OR c.observation <> 'phone' OR c.last_received_on = $4 OR NOT ", crate::db::rights::in_use!("c"), ")"),
        &[&ids, &copy, &now, &day],
    )
    .await?;
    let rows = tx
        .query(
            "WITH d AS (UPDATE call_attempts SET status = 'dialing', dialed_at = $3 WHERE id = ANY($1) AND status = 'claimed' AND claimed_by = $2 \
             RETURNING id, case_id, centre_id, round, lang) \
             SELECT d.id, d.case_id, d.centre_id, d.round, coalesce(e.phone, c.phone), d.lang FROM d JOIN cases c ON c.id = d.case_id \
             LEFT JOIN call_enrolments e ON e.case_id = d.case_id",
            &[&ids, &copy, &now],
        )
        .await?;
    tx.commit().await?;
    rows.iter()
        .map(|r| {
            Ok(DialTarget {
                id: r.try_get(0)?,
                case_id: r.try_get(1)?,
                centre_id: r.try_get(2)?,
                round: round_of(r, 3)?,
                number: r.try_get(4)?,
                lang: Lang::from_tag(r.try_get(5)?),
            })
        })
        .collect()
}

pub(super) async fn placed(p: &PgStore, results: Vec<(String, std::result::Result<String, ()>)>, provider: &str, now: DateTime<Utc>) -> Result<()> {
    let (mut ok_ids, mut call_ids, mut failed) = (Vec::new(), Vec::new(), Vec::new());
    for (id, r) in results {
        match r {
            Ok(call) => {
                ok_ids.push(id);
                call_ids.push(call);
            }
            Err(()) => failed.push(id),
        }
    }
    let c = p.pool().get().await?;
    if !ok_ids.is_empty() {
        c.execute(
            "UPDATE call_attempts a SET status = CASE WHEN a.status = 'dialing' THEN 'ringing' ELSE a.status END, provider = $3, provider_call_id = u.call \
             FROM UNNEST($1::text[], $2::text[]) AS u(id, call) WHERE a.id = u.id",
            &[&ok_ids, &call_ids, &provider],
        )
        .await?;
    }
    if !failed.is_empty() {
        c.execute("UPDATE call_attempts SET status = 'failed', provider = $2, ended_at = $3 WHERE id = ANY($1) AND status = 'dialing'", &[&failed, &provider, &now])
            .await?;
    }
    Ok(())
}

pub(super) async fn expire(p: &PgStore, before: DateTime<Utc>, today: NaiveDate, now: DateTime<Utc>) -> Result<u64> {
    let c = p.pool().get().await?;
    let a = c
        .execute(
            "UPDATE call_attempts SET status = CASE WHEN answered_at IS NULL THEN 'failed' ELSE 'incomplete' END, script = NULL, ended_at = $2 \
             WHERE status IN ('dialing', 'ringing', 'in_call') AND coalesce(answered_at, dialed_at) < $1",
            &[&before, &now],
        )
        .await?;
    let b = c.execute("UPDATE call_attempts SET status = 'failed', ended_at = $2 WHERE status IN ('due', 'claimed') AND day < $1", &[&today, &now]).await?;
    Ok(a + b)
}

pub(super) async fn attempt(p: &PgStore, id: &str) -> Result<Option<Attempt>> {
    let c = p.pool().get().await?;
    let row = c
        .query_opt(
            "SELECT a.id, a.case_id, a.day, a.round, a.status, a.lang, a.script, a.turn, a.last_seq, a.answered_at, ce.name, ce.emergency_number \
             FROM call_attempts a JOIN centres ce ON ce.id = a.centre_id WHERE a.id = $1",
            &[&id],
        )
        .await?;
    row.map(|r| {
        Ok(Attempt {
            id: r.try_get(0)?,
            case_id: r.try_get(1)?,
            day: r.try_get(2)?,
            round: round_of(&r, 3)?,
            status: status_of(&r, 4)?,
            lang: Lang::from_tag(r.try_get(5)?),
            script: r.try_get(6)?,
            turn: i64::from(r.try_get::<_, i32>(7)?),
            last_seq: r.try_get(8)?,
            answered_at: r.try_get(9)?,
            centre_name: r.try_get(10)?,
            emergency_number: r.try_get(11)?,
        })
    })
    .transpose()
}

pub(super) async fn save_turn(p: &PgStore, id: &str, turn: i64, script: String, step: String, now: DateTime<Utc>) -> Result<bool> {
    let c = p.pool().get().await?;
    let turn = i32::try_from(turn).unwrap_or(i32::MAX);
    let n = c
        .execute(
            "UPDATE call_attempts SET script = $3, step = $4, turn = turn + 1, status = 'in_call', answered_at = coalesce(answered_at, $5) \
             WHERE id = $1 AND turn = $2 AND status IN ('dialing', 'ringing', 'in_call')",
            &[&id, &turn, &script, &step, &now],
        )
        .await?;
    Ok(n == 1)
}

pub(super) async fn finish(p: &PgStore, id: &str, turn: i64, status: Status, report_id: Option<Uuid>, now: DateTime<Utc>) -> Result<bool> {
    let c = p.pool().get().await?;
    let turn = i32::try_from(turn).unwrap_or(i32::MAX);
    let n = c
        .execute(
            &format!(
                "UPDATE call_attempts SET status = $3, report_id = $4, script = NULL, turn = turn + 1, ended_at = $5 \
                 WHERE id = $1 AND turn = $2 AND status IN {OPEN_STATUSES_SQL}"
            ),
            &[&id, &turn, &status.as_str(), &report_id, &now],
        )
        .await?;
    Ok(n == 1)
}

pub(super) async fn status_event(p: &PgStore, id: &str, seq: i64, event: Event, now: DateTime<Utc>) -> Result<bool> {
    let c = p.pool().get().await?;
    let set = match event {
        Event::Progress => "status".to_owned(),
        Event::Ringing => "CASE WHEN status = 'dialing' THEN 'ringing' ELSE status END".to_owned(),
        Event::HungUp => "CASE WHEN answered_at IS NULL THEN 'no_answer' ELSE 'incomplete' END".to_owned(),
        Event::Ended(st) => format!("'{}'", st.as_str()),
    };
    let ends = matches!(event, Event::HungUp | Event::Ended(_));
    let n = c
        .execute(
            &format!(
                "UPDATE call_attempts SET last_seq = $2, status = {set}, script = CASE WHEN $4 THEN NULL ELSE script END, \
                 ended_at = CASE WHEN $4 THEN $3 ELSE ended_at END \
                 WHERE id = $1 AND last_seq < $2 AND status IN ('dialing', 'ringing', 'in_call')"
            ),
            &[&id, &seq, &now, &ends],
        )
        .await?;
    Ok(n == 1)
}

const LINE: &str = "a.id, a.case_id, a.day, a.round, a.status, a.step, a.dialed_at, a.ended_at, a.report_id";

fn line(r: &Row, at: usize) -> Result<AttemptLine> {
    Ok(AttemptLine {
        id: r.try_get(at)?,
        case_id: r.try_get(at + 1)?,
        day: r.try_get(at + 2)?,
        round: round_of(r, at + 3)?,
        status: status_of(r, at + 4)?,
        step: r.try_get(at + 5)?,
        dialed_at: r.try_get(at + 6)?,
        ended_at: r.try_get(at + 7)?,
        report_id: r.try_get(at + 8)?,
    })
}

pub(super) async fn callbacks(p: &PgStore, scope: CentreScope, day: NaiveDate, last: Round) -> Result<Vec<CallBack>> {
    let c = p.pool().get().await?;
    let last = i16::try_from(last.number()).unwrap_or(2);
    let rows = c
        .query(
            &format!(
                "SELECT c.id, c.name, c.name_reading, coalesce(e.phone, c.phone), {LINE} FROM cases c \
                 JOIN call_attempts a ON a.case_id = c.id AND a.day = $2 LEFT JOIN call_enrolments e ON e.case_id = c.id \
                 WHERE c.centre_id = $1 AND c.active AND {in_use} AND (c.last_received_on IS NULL OR c.last_received_on <> $2) \
                 AND EXISTS (SELECT 1 FROM call_rounds r WHERE r.centre_id = $1 AND r.day = $2 AND r.round = $3) \
                 AND NOT EXISTS (SELECT 1 FROM call_attempts o WHERE o.case_id = c.id AND o.day = $2 AND o.status IN {OPEN_STATUSES_SQL}) \
                 AND NOT EXISTS (SELECT 1 FROM call_attempts k WHERE k.case_id = c.id AND k.day = $2 AND k.status IN ('completed', 'skipped')) \
                 ORDER BY c.id, a.round",
                in_use = crate::db::rights::in_use!("c")
            ),
            &[&scope.centre_id(), &day, &last],
        )
        .await?;
    let mut out: Vec<CallBack> = Vec::new();
    for r in &rows {
        let case_id: i64 = r.try_get(0)?;
        let l = line(r, 4)?;
        match out.last_mut() {
            Some(cb) if cb.case_id == case_id => cb.attempts.push(l),
            _ => out.push(CallBack { case_id, name: r.try_get(1)?, name_reading: r.try_get(2)?, number: r.try_get(3)?, attempts: vec![l] }),
        }
    }
    Ok(out)
}

pub(super) async fn case_calls(p: &PgStore, scope: CentreScope, case_id: i64) -> Result<Option<Vec<AttemptLine>>> {
    let c = p.pool().get().await?;
    if c.query_opt("SELECT 1 FROM cases WHERE id = $1 AND centre_id = $2", &[&case_id, &scope.centre_id()]).await?.is_none() {
        return Ok(None);
    }
    let rows = c.query(&format!("SELECT {LINE} FROM call_attempts a WHERE a.case_id = $1 ORDER BY a.day DESC, a.round DESC"), &[&case_id]).await?;
    Ok(Some(rows.iter().map(|r| line(r, 0)).collect::<Result<_>>()?))
}

pub(super) async fn round_counts(p: &PgStore, scope: CentreScope, day: NaiveDate) -> Result<RoundCounts> {
    let c = p.pool().get().await?;
    let rows = c
        .query("SELECT round, status, count(*) FROM call_attempts WHERE centre_id = $1 AND day = $2 GROUP BY round, status ORDER BY round, status", &[&scope.centre_id(), &day])
        .await?;
    rows.iter().map(|r| Ok((round_of(r, 0)?, status_of(r, 1)?, r.try_get(2)?))).collect()
}
