//! The clinics' transactions on SQLite: each in the one writer's `IMMEDIATE`
//! transaction, committed only when the whole operation succeeded.

use super::*;
use crate::clinic::sql::{sqlite_exec, sqlite_query};
use crate::db::AuditAction;
use crate::db::sqlite::{SqliteStore, insert_audit, insert_case_row};
use crate::secret::random_digits;

fn conflict(e: Error, what: &'static str) -> Error {
    if crate::clinic::sql::is_unique(&e) { Error::Conflict(what) } else { e }
}

fn returned_id(rows: &[Row]) -> Result<i64> {
    rows.first().ok_or_else(|| Error::Db("no id returned".into()))?.i(0)
}

pub(super) async fn create_institution(s: &SqliteStore, inst: Vec<P>, admin: NewOrgAccount, now: DateTime<Utc>) -> Result<(i64, i64)> {
    s.write(move |tx| {
        let id = returned_id(&sqlite_query(tx, INSERT_INSTITUTION, &inst).map_err(|e| conflict(e, "institution_code"))?)?;
        let account = returned_id(&sqlite_query(tx, INSERT_ACCOUNT, &account_params(Some(id), &admin, now)).map_err(|e| conflict(e, "email"))?)?;
        Ok((id, account))
    })
    .await
}

pub(super) async fn create_account(s: &SqliteStore, params: Vec<P>, audit: Option<Vec<P>>) -> Result<i64> {
    s.write(move |tx| {
        let id = returned_id(&sqlite_query(tx, INSERT_ACCOUNT, &params).map_err(|e| conflict(e, "email"))?)?;
        if let Some(a) = audit {
            sqlite_exec(tx, INSERT_ORG_AUDIT, &a)?;
        }
        Ok(id)
    })
    .await
}

pub(super) async fn file(s: &SqliteStore, params: Vec<P>, mut audit: Vec<P>) -> Result<i64> {
    s.write(move |tx| {
        let id = returned_id(&sqlite_query(tx, INSERT_NOTIFICATION, &params)?)?;
        audit[4] = P::I(id);
        sqlite_exec(tx, INSERT_ORG_AUDIT, &audit)?;
        Ok(id)
    })
    .await
}

pub(super) async fn candidate_rows(s: &SqliteStore, scope: CentreScope, dob: NaiveDate, phone: String) -> Result<Vec<Candidate>> {
    s.read(move |c| {
        let rows = sqlite_query(
            c,
            "SELECT id, name, name_reading, date_of_birth, phone, input_id, active FROM cases \
             WHERE centre_id = $1 AND (date_of_birth = $2 OR phone = $3) ORDER BY id DESC LIMIT 200",
            &[scope.centre_id().into(), dob.to_string().into(), phone.into()],
        )?;
        rows.iter()
            .map(|r| {
                Ok(Candidate {
                    id: r.i(0)?,
                    name: r.s(1)?,
                    name_reading: r.s(2)?,
                    date_of_birth: r.d(3)?,
                    phone: r.s(4)?,
                    input_id: r.s(5)?,
                    active: r.i(6)? != 0,
                    matches: [false; 3],
                })
            })
            .collect()
    })
    .await
}

fn status_now(tx: &rusqlite::Connection, scope: CentreScope, id: i64) -> Result<Decided> {
    Ok(if sqlite_query(tx, FIND, &[id.into(), scope.centre_id().into()])?.is_empty() { Decided::NotFound } else { Decided::NotNew })
}

pub(super) async fn accept(s: &SqliteStore, scope: CentreScope, staff_id: i64, id: i64, c: NewCase, now: DateTime<Utc>) -> Result<Decided> {
    s.write(move |tx| {
        let st = sqlite_query(tx, FIND, &[id.into(), scope.centre_id().into()])?;
        match st.first().map(|r| r.s(0)).transpose()?.as_deref() {
            None => return Ok(Decided::NotFound),
            Some("new") => {}
            Some(_) => return Ok(Decided::NotNew),
        }
        // An input ID taken by an active case makes the insert add nothing: draw again.
        let mut case_id = None;
        for _ in 0..20 {
            let input_id = random_digits(crate::http::cases::INPUT_ID_DIGITS);
            case_id = insert_case_row(tx, scope, &c, input_id.expose(), now)?;
            if case_id.is_some() {
                break;
            }
        }
        let case_id = case_id.ok_or_else(|| Error::Internal("no free smartphone input ID after 20 tries".into()))?;
        sqlite_exec(tx, DECIDE, &["accepted".into(), case_id.into(), staff_id.into(), ms(now).into(), id.into(), scope.centre_id().into()])?;
        insert_audit(tx, scope, staff_id, AuditAction::CreateCase, Some(case_id), now)?;
        insert_audit(tx, scope, staff_id, AuditAction::AcceptNotification, Some(case_id), now)?;
        Ok(Decided::Done(case_id))
    })
    .await
}

pub(super) async fn mark_duplicate(s: &SqliteStore, scope: CentreScope, staff_id: i64, id: i64, case_id: i64, now: DateTime<Utc>) -> Result<Decided> {
    s.write(move |tx| {
        if sqlite_query(tx, "SELECT id FROM cases WHERE id = $1 AND centre_id = $2", &[case_id.into(), scope.centre_id().into()])?.is_empty() {
            return Ok(Decided::NoSuchCase);
        }
        let n = sqlite_exec(tx, DECIDE, &["duplicate".into(), case_id.into(), staff_id.into(), ms(now).into(), id.into(), scope.centre_id().into()])?;
        if n == 0 {
            return status_now(tx, scope, id);
        }
        insert_audit(tx, scope, staff_id, AuditAction::MarkDuplicate, Some(case_id), now)?;
        Ok(Decided::Done(case_id))
    })
    .await
}

pub(super) async fn put_counts(s: &SqliteStore, account: i64, institution_id: i64, day: String, counts: Vec<BandCount>, audit: Vec<P>, now: DateTime<Utc>) -> Result<()> {
    s.write(move |tx| {
        sqlite_exec(tx, "DELETE FROM daily_counts WHERE institution_id = $1 AND day = $2", &[institution_id.into(), day.clone().into()])?;
        for c in &counts {
            sqlite_exec(tx, INSERT_COUNT, &[institution_id.into(), day.clone().into(), c.from.into(), c.to.into(), c.count.into(), account.into(), ms(now).into()])?;
        }
        sqlite_exec(tx, INSERT_ORG_AUDIT, &audit)?;
        Ok(())
    })
    .await
}
