//! The statistics' reads. A day's people under observation, reported and urgent per
//! centre, kind and age are computed from the cases and the reports received that day
//! (per database: the `cases` and `reports` tables have native types in PostgreSQL) and
//! kept in `stats_days`; everything else reads the clinic tables with one SQL text.

use crate::clinic::sql::{P, exec, ms, pg_exec, query, sqlite_exec};
use crate::db::Db;
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};

/// One computed group: (centre, kind, age, observed, reported, urgent).
pub type Group = (i64, String, i64, i64, i64, i64);

/// The start of `day` in Japan, as UTC.
pub fn day_start(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_local_timezone(crate::web::jst()).single().map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

/// Computes `day`'s groups of every centre from the cases and reports.
pub async fn compute_day(db: &Db, day: NaiveDate) -> Result<Vec<Group>> {
    let (from, to) = (day_start(day), day_start(day + chrono::Duration::days(1)));
    match db {
        Db::Sqlite(s) => {
            let d = day.to_string();
            s.read(move |c| {
                let age = "CAST(substr(?1, 1, 4) AS INTEGER) - CAST(substr(c.date_of_birth, 1, 4) AS INTEGER) - (substr(c.date_of_birth, 6, 5) > substr(?1, 6, 5))";
                let mut out = Vec::new();
                let observed = format!(
                    "SELECT c.centre_id, c.kind, {age}, COUNT(*), 0, 0 FROM cases c INDEXED BY cases_stats WHERE c.period_end >= ?1 AND c.period_start <= ?1 AND {} GROUP BY 1, 2, 3",
                    crate::db::rights::in_use!("c")
                );
                let reported = format!(
                    "SELECT c.centre_id, c.kind, {age}, 0, COUNT(*), SUM(r.u) FROM (SELECT case_id, MAX(advice = 'call_now') AS u FROM reports \
                     WHERE received_at >= ?2 AND received_at < ?3 GROUP BY case_id) r JOIN cases c ON c.id = r.case_id WHERE {} GROUP BY 1, 2, 3",
                    crate::db::rights::in_use!("c")
                );
                let times: [&dyn rusqlite::ToSql; 3] = [&d, &ms(from), &ms(to)];
                for (sql, n) in [(observed, 1), (reported, 3)] {
                    let mut st = c.prepare_cached(&sql)?;
                    let rows = st.query_map(&times[..n], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?;
                    for r in rows {
                        out.push(r?);
                    }
                }
                Ok(out)
            })
            .await
        }
        Db::Postgres(p) => {
            let c = p.pool().get().await?;
            let age = "date_part('year', age($1::date, c.date_of_birth))::bigint";
            let observed = format!("SELECT c.centre_id, c.kind, {age}, COUNT(*), 0::bigint, 0::bigint FROM cases c WHERE c.period_end >= $1 AND c.period_start <= $1 AND {} GROUP BY 1, 2, 3", crate::db::rights::in_use!("c"));
            let reported = format!(
                "SELECT c.centre_id, c.kind, {age}, 0::bigint, COUNT(*), SUM(r.u)::bigint FROM (SELECT case_id, MAX((advice = 'call_now')::int) AS u FROM reports \
                 WHERE received_at >= $2 AND received_at < $3 GROUP BY case_id) r JOIN cases c ON c.id = r.case_id WHERE {} GROUP BY 1, 2, 3",
                crate::db::rights::in_use!("c")
            );
            let mut out = Vec::new();
            let rows = c.query(&observed, &[&day]).await?;
            for r in rows.iter() {
                out.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?));
            }
            let rows = c.query(&reported.replace("$2", "$2::timestamptz").replace("$3", "$3::timestamptz"), &[&day, &from, &to]).await?;
            for r in rows.iter() {
                out.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?));
            }
            Ok(out)
        }
    }
}

/// When each day of `from..=to` was computed.
pub async fn computed(db: &Db, from: NaiveDate, to: NaiveDate) -> Result<Vec<(NaiveDate, DateTime<Utc>)>> {
    let rows = query(db, "SELECT day, computed_at FROM stats_days_done WHERE day >= $1 AND day <= $2", vec![from.to_string().into(), to.to_string().into()]).await?;
    rows.iter().map(|r| Ok((r.d(0)?, r.t(1)?))).collect()
}

const UPSERT_DONE: &str = "INSERT INTO stats_days_done (day, computed_at) VALUES ($1, $2) ON CONFLICT (day) DO UPDATE SET computed_at = excluded.computed_at";

/// Replaces `day`'s groups (merged per centre, kind and age) in one transaction.
pub async fn save_day(db: &Db, day: NaiveDate, groups: Vec<Group>, now: DateTime<Utc>) -> Result<()> {
    let mut merged: std::collections::BTreeMap<(i64, String, i64), (i64, i64, i64)> = std::collections::BTreeMap::new();
    for (centre, kind, age, o, r, u) in groups {
        let e = merged.entry((centre, kind, age.clamp(0, 130))).or_default();
        *e = (e.0 + o, e.1 + r, e.2 + u);
    }
    let d = day.to_string();
    match db {
        Db::Sqlite(s) => {
            s.write(move |tx| {
                sqlite_exec(tx, UPSERT_DONE, &[d.clone().into(), ms(now).into()])?;
                sqlite_exec(tx, "DELETE FROM stats_days WHERE day = $1", &[d.clone().into()])?;
                let mut st = tx.prepare_cached("INSERT INTO stats_days (day, centre_id, kind, age, observed, reported, urgent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
                for ((centre, kind, age), (o, r, u)) in merged {
                    st.execute(rusqlite::params![d, centre, kind, age, o, r, u])?;
                }
                Ok(())
            })
            .await
        }
        Db::Postgres(p) => {
            let mut c = p.pool().get().await?;
            let tx = c.transaction().await?;
            pg_exec(&*tx, UPSERT_DONE, &[d.clone().into(), ms(now).into()]).await?;
            pg_exec(&*tx, "DELETE FROM stats_days WHERE day = $1", &[d.clone().into()]).await?;
            let (mut centres, mut kinds) = (Vec::new(), Vec::new());
            let mut nums: [Vec<i64>; 4] = Default::default();
            for ((centre, kind, age), (o, r, u)) in merged {
                centres.push(centre);
                kinds.push(kind);
                for (v, x) in nums.iter_mut().zip([age, o, r, u]) {
                    v.push(x);
                }
            }
            tx.execute(
                "INSERT INTO stats_days (day, centre_id, kind, age, observed, reported, urgent) \
                 SELECT $1, * FROM UNNEST($2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[])",
                &[&d, &centres, &kinds, &nums[0], &nums[1], &nums[2], &nums[3]],
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
    }
}

/// The kept groups of `from..=to` summed over centres (or of one centre): (day, kind,
/// age, observed, reported, urgent).
pub async fn groups(db: &Db, from: NaiveDate, to: NaiveDate, centre: Option<i64>) -> Result<Vec<(NaiveDate, String, i64, i64, i64, i64)>> {
    let rows = query(
        db,
        "SELECT day, kind, age, CAST(SUM(observed) AS BIGINT), CAST(SUM(reported) AS BIGINT), CAST(SUM(urgent) AS BIGINT) FROM stats_days WHERE day >= $1 AND day <= $2 \
         AND (centre_id = $3 OR $3 IS NULL) GROUP BY day, kind, age",
        vec![from.to_string().into(), to.to_string().into(), centre.into()],
    )
    .await?;
    rows.iter().map(|r| Ok((r.d(0)?, r.s(1)?, r.i(2)?, r.i(3)?, r.i(4)?, r.i(5)?))).collect()
}

/// New notifications per day of filing and age: (day, age, count).
pub async fn notifications(db: &Db, from: NaiveDate, to: NaiveDate, centre: Option<i64>) -> Result<Vec<(NaiveDate, i64, i64)>> {
    let rows = query(
        db,
        "SELECT filed_on, age, COUNT(*) FROM notifications WHERE filed_on >= $1 AND filed_on <= $2 AND (centre_id = $3 OR $3 IS NULL) GROUP BY filed_on, age",
        vec![from.to_string().into(), to.to_string().into(), centre.into()],
    )
    .await?;
    rows.iter().map(|r| Ok((r.d(0)?, r.i(1)?, r.i(2)?))).collect()
}

/// The clinics in scope: those in the centre's municipalities, or all.
const CLINICS: &str = "SELECT i.id FROM institutions i LEFT JOIN centre_municipalities m ON m.code = i.municipality_code WHERE m.centre_id = $3 OR $3 IS NULL";

/// The clinics' counts per day and band lower bound: (day, band from, sum), and per day
/// how many clinics entered it.
pub async fn clinic_counts(db: &Db, from: NaiveDate, to: NaiveDate, centre: Option<i64>) -> Result<(Vec<(NaiveDate, i64, i64)>, Vec<(NaiveDate, i64)>)> {
    let params = || vec![P::from(from.to_string()), P::from(to.to_string()), P::from(centre)];
    let sums = query(
        db,
        &format!("SELECT day, band_from, CAST(SUM(count) AS BIGINT) FROM daily_counts WHERE day >= $1 AND day <= $2 AND institution_id IN ({CLINICS}) GROUP BY day, band_from"),
        params(),
    )
    .await?;
    let entered = query(
        db,
        &format!("SELECT day, COUNT(DISTINCT institution_id) FROM daily_counts WHERE day >= $1 AND day <= $2 AND institution_id IN ({CLINICS}) GROUP BY day"),
        params(),
    )
    .await?;
    Ok((sums.iter().map(|r| Ok((r.d(0)?, r.i(1)?, r.i(2)?))).collect::<Result<_>>()?, entered.iter().map(|r| Ok((r.d(0)?, r.i(1)?))).collect::<Result<_>>()?))
}

/// How many clinics are in scope.
pub async fn clinics(db: &Db, centre: Option<i64>) -> Result<i64> {
    let rows = query(
        db,
        "SELECT COUNT(*) FROM institutions i LEFT JOIN centre_municipalities m ON m.code = i.municipality_code WHERE m.centre_id = $1 OR $1 IS NULL",
        vec![centre.into()],
    )
    .await?;
    rows.first().map_or(Ok(0), |r| r.i(0))
}

/// Forgets every computed day (the benchmark's cold runs).
pub async fn forget(db: &Db) -> Result<()> {
    exec(db, "DELETE FROM stats_days_done", vec![]).await?;
    exec(db, "DELETE FROM stats_days", vec![]).await.map(|_| ())
}
