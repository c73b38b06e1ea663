//! Uploading the outbox: batches of the owner's pending reports go to
//! `POST /api/v1/reports:batch`; an outbox row goes only when the server answered
//! `accepted` for its report (committed), in the same local transaction that records
//! the server's advice. A `refused` or `conflict` report stays, marked failed with the
//! server's reason. Network failures, 5xx and throttling are retried with backoff
//! within one call ([`retry`]); a 401 clears the session token and keeps every report.
//!
//! The server applies each report id exactly once, so sending a report again after a
//! lost answer or a crash is always safe: at-least-once here, exactly-once there.
//!
//! A sync can be stopped ([`stop`]): before each request and during each backoff wait
//! it asks its [`Stop`]; each request's time limit is cut to the time left before the
//! deadline. A request in flight is waited for and its answer applied, so whatever the
//! server committed is recorded; then the call ends with [`Error::Cancelled`] and the
//! rest stays queued.

pub(crate) mod account;
pub(crate) mod client;
pub(crate) mod household;
pub(crate) mod http;
pub(crate) mod retry;
pub(crate) mod rights;
pub(crate) mod stop;
#[cfg(test)]
mod fake;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod stop_tests;
#[cfg(test)]
mod tests;

use crate::error::{Error, Result};
use crate::model::OWNER;
use crate::secrets::TokenStore;
use crate::storage::reports::ReportRow;
use crate::storage::{Store, account as meta, household as people, outbox};
use crate::types::{SyncConfig, SyncErrorKind};
use client::{Api, LOGIN_AGAIN};
use protocol::wire::{BatchRequest, BatchResponse, MAX_REPORTS_PER_BATCH, ReportStatus, WireReport};
use protocol::{Lang, Text};
use std::collections::HashMap;
use stop::Stop;

/// The reason kept with reports of people who are not linked household members, which
/// are not sent.
pub(crate) const HOUSEHOLD_CODE: &str = "household_member_not_sent";
const HOUSEHOLD_TEXT: Text = Text {
    ja: "この方は世帯員として登録されていないため、記録はこの端末にのみ保存され、保健所には送信されません。世帯員として追加すると送信されます。",
    en: "This person is not a linked household member, so the report is kept on this phone only and not sent to the health centre. Add them as a household member to send it.",
};
const REFUSED_TEXT: Text = Text { ja: "サーバーがこの記録を受け付けませんでした。", en: "The server did not accept this report." };
const STOPPED_TEXT: Text = Text {
    ja: "送信を途中で止めました。残りの記録は端末に保存されていて、次の送信で送られます。",
    en: "Sending stopped before it finished. The remaining reports are saved on this phone and go with the next sync.",
};

/// The error of a sync that was cancelled or reached its deadline.
pub(crate) fn cancelled(lang: Lang) -> Error {
    Error::Cancelled { message: STOPPED_TEXT.get(lang).to_owned() }
}

/// What one sync did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Outcome {
    /// Reports the server committed.
    pub accepted: u64,
    /// Reports the server refused (kept, marked failed).
    pub refused: u64,
}

/// Sends every pending report of the owner and of the linked household members. Returns after the outbox is empty, or with
/// the error that stopped it (the reports stay queued); [`Error::Cancelled`] when `stop`
/// ended it first. A cancelled sync is not recorded as the last error.
pub(crate) fn run(store: &Store, api: &Api, tokens: &dyn TokenStore, config: &SyncConfig, stop: &Stop, lang: Lang) -> Result<Outcome> {
    let result = upload(store, api, tokens, config, stop, lang);
    match &result {
        Err(Error::Cancelled { .. }) => {}
        Err(e) => {
            // The failure itself is what the caller needs: bookkeeping that fails on
            // top of it is not reported instead of it.
            if matches!(e, Error::Unauthorized { .. }) {
                // A token the keystore cannot delete is replaced by the next login.
                let _ = tokens.delete();
            }
            let class = error_kind_code(e);
            let _ = store.write(|tx| meta::record_error(tx, class, &now_utc()));
        }
        Ok(outcome) if outcome.accepted + outcome.refused == 0 => {
            // Nothing was waiting: with a session and an empty queue nothing is wrong.
            store.write(meta::clear_error)?;
        }
        Ok(_) => {}
    }
    result
}

fn upload(store: &Store, api: &Api, tokens: &dyn TokenStore, config: &SyncConfig, stop: &Stop, lang: Lang) -> Result<Outcome> {
    let token = tokens.get()?.ok_or_else(|| Error::Unauthorized { message: LOGIN_AGAIN.get(lang).to_owned() })?;
    store.write(|tx| outbox::keep_household_local(tx, HOUSEHOLD_CODE, HOUSEHOLD_TEXT.get(lang), &now_utc()))?;
    let size = (config.batch_size as usize).clamp(1, MAX_REPORTS_PER_BATCH);
    let mut outcome = Outcome::default();
    loop {
        // The batch and the members it may name, in one read: a report is sent as its
        // own person's or not at all.
        let (batch, members) = store.read(|c| {
            let members: HashMap<String, String> = people::all(c)?.into_iter().filter(|m| m.linked).map(|m| (m.person_id, m.member_id)).collect();
            Ok((outbox::next_batch(c, size)?, members))
        })?;
        if batch.is_empty() {
            return Ok(outcome);
        }
        let (batch, unlinked): (Vec<_>, Vec<_>) = batch.into_iter().partition(|r| r.person_id == OWNER || members.contains_key(&r.person_id));
        if !unlinked.is_empty() {
            // Unlinked since the batch was chosen: kept here with the reason, never sent as the owner's.
            store.write(|tx| outbox::keep_household_local(tx, HOUSEHOLD_CODE, HOUSEHOLD_TEXT.get(lang), &now_utc()))?;
            continue;
        }
        if stop.is_stopped() {
            return Err(cancelled(lang));
        }
        let request = BatchRequest { reports: batch.iter().map(|r| to_wire(r, &members)).collect() };
        let now = now_utc();
        store.write(|tx| batch.iter().try_for_each(|r| outbox::note_attempt(tx, &r.id, &now)))?;
        match send_with_retry(api, &token, &request, config, stop, lang) {
            Ok(response) => {
                let step = apply(store, &batch, &response, lang)?;
                if step.accepted + step.refused == 0 {
                    // The answer named none of our reports: stop rather than loop.
                    return Err(client::bad_response(200, lang));
                }
                outcome.accepted += step.accepted;
                outcome.refused += step.refused;
            }
            Err(Error::Server { status: 400 | 413 | 422, code, message }) => {
                // The request as a whole was refused: keep its reports, marked failed
                // with the server's reason, and go on with the next batch.
                let now = now_utc();
                store.write(|tx| batch.iter().try_for_each(|r| outbox::mark_failed(tx, &r.id, &code, &message, &now)))?;
                outcome.refused += batch.len() as u64;
            }
            Err(e) => return Err(e),
        }
    }
}

/// One batch, sent again after transient failures as [`retry::next`] decides. Each
/// attempt's time limit is bounded by `stop`'s deadline; after a failed attempt a stop
/// wins over a retry, and a backoff wait ends as soon as the sync is stopped.
fn send_with_retry(
    api: &Api,
    token: &crate::secrets::Secret,
    request: &BatchRequest,
    config: &SyncConfig,
    stop: &Stop,
    lang: Lang,
) -> Result<BatchResponse> {
    let mut attempt = 0u32;
    loop {
        match api.send_batch(token, request, |limit| stop.request_limit(limit), lang) {
            Ok(r) => return Ok(r),
            Err(e) if stop.is_stopped() && retry::is_transient(&e) => return Err(cancelled(lang)),
            Err(e) => match retry::next(config, attempt, &e, retry::random()) {
                retry::Next::RetryAfter(wait) => {
                    if stop.wait(wait) {
                        return Err(cancelled(lang));
                    }
                    attempt += 1;
                }
                retry::Next::GiveUp => return Err(e),
            },
        }
    }
}

/// Applies the server's per-report answers in one transaction. A report missing from
/// the answer, or with a status this version does not know, stays pending.
fn apply(store: &Store, batch: &[ReportRow], response: &BatchResponse, lang: Lang) -> Result<Outcome> {
    let by_id: HashMap<&str, _> = response.results.iter().map(|r| (r.id.as_str(), r)).collect();
    let now = now_utc();
    store.write(|tx| {
        let mut step = Outcome::default();
        for report in batch {
            let Some(result) = by_id.get(report.id.as_str()) else { continue };
            match result.status {
                ReportStatus::Accepted => {
                    let advice = result.advice.as_deref().unwrap_or("");
                    outbox::mark_accepted(tx, &report.id, advice, &now)?;
                    step.accepted += 1;
                }
                ReportStatus::Refused | ReportStatus::Conflict => {
                    let default_code = if result.status == ReportStatus::Conflict { "conflict" } else { "refused" };
                    let code = result.reason.as_deref().unwrap_or(default_code);
                    let text = result.message.clone().unwrap_or_else(|| REFUSED_TEXT.get(lang).to_owned());
                    outbox::mark_failed(tx, &report.id, code, &text, &now)?;
                    step.refused += 1;
                }
                ReportStatus::Unknown => {}
            }
        }
        if step.accepted + step.refused > 0 {
            meta::record_success(tx, &now)?;
        }
        Ok(step)
    })
}

/// A stored report as the server takes it; a household member's names the server's
/// member id (`members`: local person id → member id).
pub(crate) fn to_wire(r: &ReportRow, members: &HashMap<String, String>) -> WireReport {
    WireReport {
        id: r.id.clone(),
        local_date: r.local_date.to_string(),
        kind: r.report.kind.as_str().to_owned(),
        temperature_tenths: i64::from(r.report.temperature.tenths()),
        answers: r.report.answers.codes().iter().map(|&c| i64::from(c)).collect(),
        recorded_at: r.recorded_at.clone(),
        person: members.get(&r.person_id).cloned(),
    }
}

/// The class of a sync failure as stored.
pub(crate) fn error_kind_code(e: &Error) -> &'static str {
    match e {
        Error::Network { .. } => "network",
        Error::Unauthorized { .. } => "unauthorized",
        Error::Throttled { .. } => "throttled",
        Error::Server { .. } => "server",
        Error::Cancelled { .. } => "cancelled",
        _ => "storage",
    }
}

/// The stored class as the FFI enum.
pub(crate) fn error_kind(code: &str) -> Option<SyncErrorKind> {
    match code {
        "network" => Some(SyncErrorKind::Network),
        "unauthorized" => Some(SyncErrorKind::Unauthorized),
        "throttled" => Some(SyncErrorKind::Throttled),
        "server" => Some(SyncErrorKind::Server),
        "storage" => Some(SyncErrorKind::Storage),
        _ => None,
    }
}

/// Now, RFC 3339 UTC with milliseconds.
pub(crate) fn now_utc() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
