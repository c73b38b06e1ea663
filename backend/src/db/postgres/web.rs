//! PostgreSQL side of the health-centre page operations (see [`crate::db::web`]).

use super::super::web::{Dialect, HANDLED_COLUMNS, HANDLED_JOIN, Param, SUMMARY_COLUMNS, case_list_clause, waiting_reports};
use super::super::*;
use super::{PgStore, bad, entry_row, kind, observation};
use crate::error::Result;
use protocol::Temperature;
use tokio_postgres::types::ToSql;
use tokio_postgres::{GenericClient, Row};

/// The centre's cases with an urgent report waiting, and the oldest one's receipt
/// (`$1` is the centre), read from the partial index `cases_urgent`.
/// Every state counts: a suspended case's unhandled report too.
const URGENT_WAITING: &str = "SELECT count(*), min(urgent_since) FROM cases WHERE centre_id = $1 AND active AND urgent_since IS NOT NULL";

fn summary_row(r: &Row) -> Result<CaseSummary> {
    let temperature = |i| -> Result<Temperature> { Temperature::from_tenths(i64::from(r.try_get::<_, i16>(i)?)).map_err(|_| bad("temperature")) };
    let last = match r.try_get::<_, Option<NaiveDate>>(10)? {
        None => None,
        Some(local_date) => Some(LastReport {
            local_date,
            recorded_at: r.try_get(11)?,
            received_at: r.try_get(12)?,
            temperature: temperature(13)?,
            advice: AdviceLevel::parse(r.try_get(14)?).ok_or_else(|| bad("advice"))?,
            received_on: r.try_get(15)?,
        }),
    };
    let fever = match r.try_get::<_, Option<NaiveDate>>(16)? {
        None => None,
        Some(day) => Some((day, temperature(17)?)),
    };
    Ok(CaseSummary {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        name_reading: r.try_get(2)?,
        phone: r.try_get(3)?,
        kind: kind(r.try_get(4)?)?,
        observation: observation(r.try_get(5)?)?,
        input_id: r.try_get(6)?,
        period_start: r.try_get(7)?,
        period_end: r.try_get(8)?,
        active: r.try_get(9)?,
        last,
        fever,
        urgent_since: r.try_get(18)?,
        suspended: r.try_get(19)?,
    })
}

async fn owns(c: &impl GenericClient, scope: CentreScope, case_id: i64, lock: bool) -> Result<bool> {
    let sql = if lock {
        "SELECT 1 FROM cases WHERE id = $1 AND centre_id = $2 FOR UPDATE"
    } else {
        "SELECT 1 FROM cases WHERE id = $1 AND centre_id = $2"
    };
    Ok(c.query_opt(sql, &[&case_id, &scope.centre_id()]).await?.is_some())
}

/// Writes one audit row in the caller's transaction.
pub(crate) async fn insert_audit(c: &impl GenericClient, scope: CentreScope, staff_id: i64, action: AuditAction, case_id: Option<i64>, now: DateTime<Utc>) -> Result<()> {
    c.execute(
        "INSERT INTO audit_log (centre_id, staff_id, at, action, case_id) VALUES ($1, $2, $3, $4, $5)",
        &[&scope.centre_id(), &staff_id, &now, &action.as_str(), &case_id],
    )
    .await?;
    Ok(())
}

/// Handles the case's waiting "call now" reports received up to `seen`, in the caller's
/// transaction, which holds the case row's lock: a report whose batch commits first is
/// covered when received up to `seen`; one that commits later waits for this
/// transaction and stays urgent. (Receipt times come from each server copy's clock.)
/// Returns how many reports it covered (0: nothing written).
#[allow(clippy::too_many_arguments)]
async fn handle_waiting(
    tx: &impl GenericClient,
    scope: CentreScope,
    case_id: i64,
    staff_id: i64,
    note: &str,
    contact_id: Option<i64>,
    seen: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<usize> {
    let seen = seen.unwrap_or(DateTime::<Utc>::MAX_UTC);
    let waiting: i64 = tx.query_one(&format!("SELECT count(*) {}", waiting_reports("$1", "$2")), &[&case_id, &seen]).await?.try_get(0)?;
    if waiting == 0 {
        return Ok(0);
    }
    let handling: i64 = tx
        .query_one(
            "INSERT INTO handlings (case_id, staff_id, at, note, contact_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            &[&case_id, &staff_id, &now, &note, &contact_id],
        )
        .await?
        .try_get(0)?;
    let n = tx
        .execute(&format!("INSERT INTO handled_reports (report_id, handling_id) SELECT r.id, $3 {}", waiting_reports("$1", "$2")), &[&case_id, &seen, &handling])
        .await?;
    tx.execute(
        &format!("UPDATE cases SET urgent_since = (SELECT min(r.received_at) {}) WHERE id = $1", waiting_reports("$1", "'infinity'")),
        &[&case_id],
    )
    .await?;
    insert_audit(tx, scope, staff_id, AuditAction::HandleUrgent, Some(case_id), now).await?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

impl PgStore {
    pub(in crate::db) async fn board_counts(&self, scope: CentreScope, today: NaiveDate) -> Result<BoardCounts> {
        // Four reads, each served by its own index (see the migrations): the cases under
        // observation, today's reporters with their fever count, the latest receipt, and
        // the urgent reports waiting.
        let observed = concat!("centre_id = $1 AND active AND period_end >= $2 AND period_start <= $2 AND ", crate::db::rights::in_use!());
        let sql = format!(
            "SELECT (SELECT count(*) FROM cases WHERE {observed}), t.n, t.fever, \
             (SELECT max(last_received_at) FROM cases WHERE {observed}), u.count, u.min \
             FROM (SELECT count(*) AS n, count(*) FILTER (WHERE fever_on = $2) AS fever \
             FROM cases WHERE {observed} AND last_received_on = $2) t, ({URGENT_WAITING}) u"
        );
        let counts = self
            .one(&sql, &[&scope.centre_id(), &today], |r| {
                Ok(BoardCounts {
                    observed: r.try_get(0)?,
                    reported: r.try_get(1)?,
                    fever: r.try_get(2)?,
                    latest_received_at: r.try_get(3)?,
                    urgent: r.try_get(4)?,
                    urgent_oldest: r.try_get(5)?,
                })
            })
            .await?;
        Ok(counts.unwrap_or_default())
    }

    pub(in crate::db) async fn case_summaries(&self, scope: CentreScope, q: CaseQuery) -> Result<Vec<CaseSummary>> {
        let (clause, ps) = case_list_clause(&q, Dialect::Postgres);
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM cases c WHERE {clause}");
        let centre = scope.centre_id();
        let mut values: Vec<Box<dyn ToSql + Sync + Send>> = Vec::new();
        for p in ps {
            values.push(match p {
                Param::Text(t) => Box::new(t),
                Param::Date(d) => Box::new(d),
            });
        }
        let mut refs: Vec<&(dyn ToSql + Sync)> = vec![&centre];
        refs.extend(values.iter().map(|v| v.as_ref() as &(dyn ToSql + Sync)));
        self.all(&sql, &refs, summary_row).await
    }

    pub(in crate::db) async fn staff_header(&self, scope: CentreScope, staff_id: i64) -> Result<Option<StaffHeader>> {
        // `$2` is the centre: the urgent count's `$1`, shifted.
        let urgent = URGENT_WAITING.replace("$1", "$2");
        self.one(
            &format!(
                "SELECT s.name, ce.id, ce.name, ce.emergency_number, ce.jurisdiction_code, u.count, u.min FROM staff s \
                 JOIN centres ce ON ce.id = s.centre_id, ({urgent}) u WHERE s.id = $1 AND s.centre_id = $2"
            ),
            &[&staff_id, &scope.centre_id()],
            |r| {
                Ok(StaffHeader {
                    staff_name: r.try_get(0)?,
                    centre: Centre { id: r.try_get(1)?, name: r.try_get(2)?, emergency_number: r.try_get(3)?, jurisdiction_code: r.try_get(4)? },
                    urgent: r.try_get(5)?,
                    urgent_oldest: r.try_get(6)?,
                })
            },
        )
        .await
    }

    pub(in crate::db) async fn centres(&self) -> Result<Vec<Centre>> {
        self.all("SELECT id, name, emergency_number, jurisdiction_code FROM centres ORDER BY jurisdiction_code", &[], |r| {
            Ok(Centre { id: r.try_get(0)?, name: r.try_get(1)?, emergency_number: r.try_get(2)?, jurisdiction_code: r.try_get(3)? })
        })
        .await
    }

    pub(in crate::db) async fn contacts(&self, scope: CentreScope, case_id: i64) -> Result<Vec<Contact>> {
        self.all(
            "SELECT ct.at, s.name, ct.outcome, ct.note FROM contacts ct JOIN staff s ON s.id = ct.staff_id \
             JOIN cases c ON c.id = ct.case_id WHERE ct.case_id = $1 AND c.centre_id = $2 ORDER BY ct.at, ct.id",
            &[&case_id, &scope.centre_id()],
            |r| {
                Ok(Contact {
                    at: r.try_get(0)?,
                    staff_name: r.try_get(1)?,
                    outcome: ContactOutcome::parse(r.try_get(2)?).ok_or_else(|| bad("outcome"))?,
                    note: r.try_get(3)?,
                })
            },
        )
        .await
    }

    pub(in crate::db) async fn add_contact(&self, scope: CentreScope, case_id: i64, staff_id: i64, contact: NewContact, now: DateTime<Utc>) -> Result<Option<usize>> {
        let NewContact { outcome, note, seen } = contact;
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        if !owns(&*tx, scope, case_id, true).await? {
            return Ok(None);
        }
        let contact_id: i64 = tx
            .query_one(
                "INSERT INTO contacts (case_id, staff_id, at, outcome, note) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                &[&case_id, &staff_id, &now, &outcome.as_str(), &note],
            )
            .await?
            .try_get(0)?;
        insert_audit(&*tx, scope, staff_id, AuditAction::AddContact, Some(case_id), now).await?;
        let handled = if outcome == ContactOutcome::Reached {
            handle_waiting(&*tx, scope, case_id, staff_id, &note, Some(contact_id), seen, now).await?
        } else {
            0
        };
        tx.commit().await?;
        Ok(Some(handled))
    }

    pub(in crate::db) async fn mark_handled(&self, scope: CentreScope, case_id: i64, staff_id: i64, note: String, seen: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<HandleOutcome> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        if !owns(&*tx, scope, case_id, true).await? {
            return Ok(HandleOutcome::NotFound);
        }
        let outcome = match handle_waiting(&*tx, scope, case_id, staff_id, &note, None, seen, now).await? {
            0 => HandleOutcome::NothingWaiting,
            n => HandleOutcome::Handled(n),
        };
        tx.commit().await?;
        Ok(outcome)
    }

    pub(in crate::db) async fn board_reports(&self, scope: CentreScope, case_ids: Vec<i64>, since: DateTime<Utc>) -> Result<Vec<ReportEntry>> {
        let sql = format!(
            "SELECT {}, {HANDLED_COLUMNS} FROM reports r JOIN cases c ON c.id = r.case_id {HANDLED_JOIN} \
             WHERE c.centre_id = $1 AND r.case_id = ANY($2) AND (r.received_at >= $3 OR (r.advice = 'call_now' AND hr.report_id IS NULL)) \
             ORDER BY r.received_at, r.local_date, r.recorded_at, r.id",
            report_columns_of("r")
        );
        self.all(&sql, &[&scope.centre_id(), &case_ids, &since], entry_row).await
    }

    pub(in crate::db) async fn transfers(&self, scope: CentreScope, case_id: i64) -> Result<Vec<Transfer>> {
        self.all(
            "SELECT t.at, f.name, n.name, s.name, t.reason FROM transfers t JOIN centres f ON f.id = t.from_centre_id \
             JOIN centres n ON n.id = t.to_centre_id JOIN staff s ON s.id = t.staff_id JOIN cases c ON c.id = t.case_id \
             WHERE t.case_id = $1 AND c.centre_id = $2 ORDER BY t.at, t.id",
            &[&case_id, &scope.centre_id()],
            |r| Ok(Transfer { at: r.try_get(0)?, from_centre: r.try_get(1)?, to_centre: r.try_get(2)?, staff_name: r.try_get(3)?, reason: r.try_get(4)? }),
        )
        .await
    }

    pub(in crate::db) async fn transfer_case(&self, scope: CentreScope, case_id: i64, to: i64, staff_id: i64, reason: String, now: DateTime<Utc>) -> Result<TransferOutcome> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        if !owns(&*tx, scope, case_id, true).await? {
            return Ok(TransferOutcome::NotFound);
        }
        let target = tx.query_opt("SELECT 1 FROM centres WHERE id = $1", &[&to]).await?;
        if target.is_none() || to == scope.centre_id() {
            return Ok(TransferOutcome::BadTarget);
        }
        tx.execute("UPDATE cases SET centre_id = $1 WHERE id = $2 AND centre_id = $3", &[&to, &case_id, &scope.centre_id()]).await?;
        tx.execute(
            "INSERT INTO transfers (case_id, from_centre_id, to_centre_id, staff_id, at, reason) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&case_id, &scope.centre_id(), &to, &staff_id, &now, &reason],
        )
        .await?;
        insert_audit(&*tx, scope, staff_id, AuditAction::TransferCase, Some(case_id), now).await?;
        tx.commit().await?;
        Ok(TransferOutcome::Done)
    }

    pub(in crate::db) async fn audit(&self, scope: CentreScope, staff_id: i64, action: AuditAction, case_id: Option<i64>, now: DateTime<Utc>) -> Result<()> {
        let client = self.pool.get().await?;
        insert_audit(&**client, scope, staff_id, action, case_id, now).await
    }

    pub(in crate::db) async fn audit_log(&self, scope: CentreScope, limit: i64, offset: i64) -> Result<Vec<AuditEntry>> {
        self.all(
            "SELECT a.at, s.name, s.email, a.action, a.case_id FROM audit_log a JOIN staff s ON s.id = a.staff_id \
             WHERE a.centre_id = $1 ORDER BY a.at DESC, a.id DESC LIMIT $2 OFFSET $3",
            &[&scope.centre_id(), &limit, &offset],
            |r| {
                Ok(AuditEntry {
                    at: r.try_get(0)?,
                    staff_name: r.try_get(1)?,
                    staff_email: r.try_get(2)?,
                    action: AuditAction::parse(r.try_get(3)?).ok_or_else(|| bad("action"))?,
                    case_id: r.try_get(4)?,
                })
            },
        )
        .await
    }

    pub(in crate::db) async fn export_reports(&self, scope: CentreScope) -> Result<Vec<ExportReport>> {
        self.all(
            &format!(
                "SELECT {}, {HANDLED_COLUMNS}, c.input_id FROM reports r JOIN cases c ON c.id = r.case_id {HANDLED_JOIN} \
                 WHERE c.centre_id = $1 AND {} ORDER BY r.case_id, r.received_at, r.local_date, r.recorded_at, r.id",
                report_columns_of("r"),
                crate::db::rights::in_use!("c")
            ),
            &[&scope.centre_id()],
            |r| Ok(ExportReport { entry: entry_row(r)?, input_id: r.try_get(13)? }),
        )
        .await
    }
}
