//! The clinics' transactions on PostgreSQL. An intake decision locks the notification
//! row (`FOR UPDATE`), so two staff members deciding at once cannot both succeed.

use super::*;
use crate::clinic::sql::{pg_exec, pg_query};
use crate::db::AuditAction;
use crate::db::postgres::{PgStore, insert_audit, insert_case_row};
use crate::secret::random_digits;

fn conflict(e: Error, what: &'static str) -> Error {
    if crate::clinic::sql::is_unique(&e) { Error::Conflict(what) } else { e }
}

fn returned_id(rows: &[Row]) -> Result<i64> {
    rows.first().ok_or_else(|| Error::Db("no id returned".into()))?.i(0)
}

pub(super) async fn create_institution(p: &PgStore, inst: Vec<P>, admin: NewOrgAccount, now: DateTime<Utc>) -> Result<(i64, i64)> {
    let mut c = p.pool().get().await?;
    let tx = c.transaction().await?;
    let id = returned_id(&pg_query(&*tx, INSERT_INSTITUTION, &inst).await.map_err(|e| conflict(e, "institution_code"))?)?;
    let account = returned_id(&pg_query(&*tx, INSERT_ACCOUNT, &account_params(Some(id), &admin, now)).await.map_err(|e| conflict(e, "email"))?)?;
    tx.commit().await?;
    Ok((id, account))
}

pub(super) async fn create_account(p: &PgStore, params: Vec<P>, audit: Option<Vec<P>>) -> Result<i64> {
    let mut c = p.pool().get().await?;
    let tx = c.transaction().await?;
    let id = returned_id(&pg_query(&*tx, INSERT_ACCOUNT, &params).await.map_err(|e| conflict(e, "email"))?)?;
    if let Some(a) = audit {
        pg_exec(&*tx, INSERT_ORG_AUDIT, &a).await?;
    }
    tx.commit().await?;
    Ok(id)
}

pub(super) async fn file(p: &PgStore, params: Vec<P>, mut audit: Vec<P>) -> Result<i64> {
    let mut c = p.pool().get().await?;
    let tx = c.transaction().await?;
    let id = returned_id(&pg_query(&*tx, INSERT_NOTIFICATION, &params).await?)?;
    audit[4] = P::I(id);
    pg_exec(&*tx, INSERT_ORG_AUDIT, &audit).await?;
    tx.commit().await?;
    Ok(id)
}

pub(super) async fn candidate_rows(p: &PgStore, scope: CentreScope, dob: NaiveDate, phone: &str) -> Result<Vec<Candidate>> {
    let c = p.pool().get().await?;
    let rows = c
        .query(
            "SELECT id, name, name_reading, date_of_birth, phone, input_id, active FROM cases \
             WHERE centre_id = $1 AND (date_of_birth = $2 OR phone = $3) ORDER BY id DESC LIMIT 200",
            &[&scope.centre_id(), &dob, &phone],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Candidate {
                id: r.try_get(0)?,
                name: r.try_get(1)?,
                name_reading: r.try_get(2)?,
                date_of_birth: r.try_get(3)?,
                phone: r.try_get(4)?,
                input_id: r.try_get(5)?,
                active: r.try_get(6)?,
                matches: [false; 3],
            })
        })
        .collect()
}

async fn lock_new(tx: &impl tokio_postgres::GenericClient, scope: CentreScope, id: i64) -> Result<Option<Decided>> {
    let st = pg_query(tx, "SELECT status FROM notifications WHERE id = $1 AND centre_id = $2 FOR UPDATE", &[id.into(), scope.centre_id().into()]).await?;
    Ok(match st.first().map(|r| r.s(0)).transpose()?.as_deref() {
        None => Some(Decided::NotFound),
        Some("new") => None,
        Some(_) => Some(Decided::NotNew),
    })
}

pub(super) async fn accept(p: &PgStore, scope: CentreScope, staff_id: i64, id: i64, c: NewCase, now: DateTime<Utc>) -> Result<Decided> {
    let mut conn = p.pool().get().await?;
    let tx = conn.transaction().await?;
    if let Some(d) = lock_new(&*tx, scope, id).await? {
        return Ok(d);
    }
    // An input ID taken by an active case makes the insert add nothing (no error, so
    // the transaction goes on): draw again.
    let mut case_id = None;
    for _ in 0..20 {
        let input_id = random_digits(crate::http::cases::INPUT_ID_DIGITS);
        case_id = insert_case_row(&*tx, scope, &c, input_id.expose(), now).await?;
        if case_id.is_some() {
            break;
        }
    }
    let case_id = case_id.ok_or_else(|| Error::Internal("no free smartphone input ID after 20 tries".into()))?;
    pg_exec(&*tx, DECIDE, &["accepted".into(), case_id.into(), staff_id.into(), ms(now).into(), id.into(), scope.centre_id().into()]).await?;
    insert_audit(&*tx, scope, staff_id, AuditAction::CreateCase, Some(case_id), now).await?;
    insert_audit(&*tx, scope, staff_id, AuditAction::AcceptNotification, Some(case_id), now).await?;
    tx.commit().await?;
    Ok(Decided::Done(case_id))
}

pub(super) async fn mark_duplicate(p: &PgStore, scope: CentreScope, staff_id: i64, id: i64, case_id: i64, now: DateTime<Utc>) -> Result<Decided> {
    let mut conn = p.pool().get().await?;
    let tx = conn.transaction().await?;
    if tx.query_opt("SELECT id FROM cases WHERE id = $1 AND centre_id = $2", &[&case_id, &scope.centre_id()]).await?.is_none() {
        return Ok(Decided::NoSuchCase);
    }
    if let Some(d) = lock_new(&*tx, scope, id).await? {
        return Ok(d);
    }
    pg_exec(&*tx, DECIDE, &["duplicate".into(), case_id.into(), staff_id.into(), ms(now).into(), id.into(), scope.centre_id().into()]).await?;
    insert_audit(&*tx, scope, staff_id, AuditAction::MarkDuplicate, Some(case_id), now).await?;
    tx.commit().await?;
    Ok(Decided::Done(case_id))
}

pub(super) async fn put_counts(p: &PgStore, account: i64, institution_id: i64, day: String, counts: Vec<BandCount>, audit: Vec<P>, now: DateTime<Utc>) -> Result<()> {
    let mut conn = p.pool().get().await?;
    let tx = conn.transaction().await?;
    pg_exec(&*tx, "DELETE FROM daily_counts WHERE institution_id = $1 AND day = $2", &[institution_id.into(), day.clone().into()]).await?;
    for c in &counts {
        pg_exec(&*tx, INSERT_COUNT, &[institution_id.into(), day.clone().into(), c.from.into(), c.to.into(), c.count.into(), account.into(), ms(now).into()]).await?;
    }
    pg_exec(&*tx, INSERT_ORG_AUDIT, &audit).await?;
    tx.commit().await?;
    Ok(())
}
