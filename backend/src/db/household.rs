//! Household members (代理入力): a patient account links the cases of the people it
//! reports for, each matched by its own attributes and input ID. Report sync reads the
//! links ([`super::MemberCtx`]); unlinking keeps every report and stops new ones.

use super::Db;
use crate::error::Result;
use chrono::{DateTime, Utc};

/// What linking a case to an account did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkOutcome {
    /// Linked now (or again, after an unlink: with the same id), with this member id.
    Linked(i64),
    /// It was linked already, with this member id.
    AlreadyLinked(i64),
    /// The case is the account's own.
    OwnCase,
}

/// One linked member: its id on the account and its case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberLink {
    /// The member id the phone sends with its reports.
    pub member_id: i64,
    /// The member's case.
    pub case_id: i64,
}

impl Db {
    /// Links case `case_id` to patient account `patient_id`.
    pub async fn link_household(&self, patient_id: i64, case_id: i64, now: DateTime<Utc>) -> Result<LinkOutcome> {
        dispatch!(self, s => s.link_household(patient_id, case_id, now).await)
    }

    /// The account's linked members, oldest link first.
    pub async fn household(&self, patient_id: i64) -> Result<Vec<MemberLink>> {
        dispatch!(self, s => s.household(patient_id).await)
    }

    /// Unlinks a member; false if it is not one of the account's linked members.
    pub async fn unlink_household(&self, patient_id: i64, member_id: i64, now: DateTime<Utc>) -> Result<bool> {
        dispatch!(self, s => s.unlink_household(patient_id, member_id, now).await)
    }
}
