//! FHIR Bulk Data `$export` (system level, one centre's data) beside the streamed
//! NDJSON: a kick-off (`GET /api/fhir/$export` with `Prefer: respond-async`, optional
//! `_type`) answers 202 with the job's status URL in `Content-Location`; the status
//! answers 202 with `X-Progress` and `Retry-After` while the job runs, then 200 with the
//! manifest (`transactionTime`, `request`, `requiresAccessToken`, one NDJSON file per
//! resource type with its count, `error`); each file is fetched with the same staff
//! token; `DELETE` on the status URL removes the job and its files. Only the centre
//! that started a job sees it (another centre's is 404); the cases are those the
//! centre may export (not suspended), read a page at a time as the stream reads them.
//! Jobs live in this server copy's memory and a temporary folder, for an hour; behind
//! a load balancer the status and files must reach the copy that took the kick-off.

use crate::db::{CentreScope, Db};
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;
use uuid::Uuid;

/// The resource types an export holds, in file order.
pub const TYPES: [&str; 3] = ["Patient", "Observation", "QuestionnaireResponse"];

/// How long a finished job and its files are kept.
pub const KEEP: chrono::Duration = chrono::Duration::hours(1);

/// Where a job stands.
#[derive(Debug, Clone)]
pub enum JobState {
    /// Still writing.
    Running,
    /// Done: the files, `(type, path, count)`.
    Done(Vec<(String, PathBuf, u64)>),
    /// Stopped by a failure (the reason is logged, not shown).
    Failed,
}

/// One export job.
#[derive(Debug, Clone)]
pub struct Job {
    /// The centre that asked for it.
    pub scope: CentreScope,
    /// When it was asked for (the manifest's `transactionTime`).
    pub at: DateTime<Utc>,
    /// The kick-off URL as asked.
    pub request: String,
    /// The resource types asked for.
    pub types: Vec<String>,
    /// Where it stands.
    pub state: JobState,
}

/// The jobs of this server copy.
#[derive(Debug, Default)]
pub struct Jobs(Mutex<HashMap<Uuid, Job>>);

impl Jobs {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Job>> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers a new job; forgets jobs older than [`KEEP`] (and their files).
    pub fn start(&self, job: Job, now: DateTime<Utc>) -> Uuid {
        let id = Uuid::new_v4();
        let mut jobs = self.lock();
        let old: Vec<Uuid> = jobs.iter().filter(|(_, j)| now - j.at > KEEP).map(|(id, _)| *id).collect();
        for id in old {
            if let Some(j) = jobs.remove(&id) {
                remove_files(&j);
            }
        }
        jobs.insert(id, job);
        id
    }

    /// The job `id` if `scope` started it.
    pub fn get(&self, id: Uuid, scope: CentreScope) -> Option<Job> {
        self.lock().get(&id).filter(|j| j.scope == scope).cloned()
    }

    fn finish(&self, id: Uuid, state: JobState) {
        if let Some(j) = self.lock().get_mut(&id) {
            j.state = state;
        }
    }

    /// Removes job `id` of `scope` and its files; whether there was one.
    pub fn delete(&self, id: Uuid, scope: CentreScope) -> bool {
        let mut jobs = self.lock();
        match jobs.get(&id) {
            Some(j) if j.scope == scope => {
                if let Some(j) = jobs.remove(&id) {
                    remove_files(&j);
                }
                true
            }
            _ => false,
        }
    }
}

fn remove_files(job: &Job) {
    if let JobState::Done(files) = &job.state {
        for (_, path, _) in files {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The `_type` parameter: every type when absent; an unknown type is refused.
pub fn parse_types(param: Option<&str>) -> std::result::Result<Vec<String>, String> {
    let Some(param) = param.filter(|p| !p.trim().is_empty()) else { return Ok(TYPES.iter().map(|t| (*t).to_owned()).collect()) };
    let mut out = Vec::new();
    for t in param.split(',').map(str::trim) {
        if !TYPES.contains(&t) {
            return Err(t.to_owned());
        }
        if !out.iter().any(|o| o == t) {
            out.push(t.to_owned());
        }
    }
    Ok(out)
}

/// Runs job `id` to its end in the background: one file per type, written a page of
/// cases at a time.
pub fn run(jobs: std::sync::Arc<Jobs>, db: Db, base: String, id: Uuid, job: Job) {
    tokio::spawn(async move {
        let state = match write_files(&db, &base, id, &job).await {
            Ok(files) => JobState::Done(files),
            Err(e) => {
                tracing::error!(error = %e, "bulk data export failed");
                JobState::Failed
            }
        };
        jobs.finish(id, state);
    });
}

async fn write_files(db: &Db, base: &str, id: Uuid, job: &Job) -> Result<Vec<(String, PathBuf, u64)>> {
    let dir = std::env::temp_dir();
    let mut files = Vec::new();
    for t in &job.types {
        let path = dir.join(format!("mimamori-export-{id}-{t}.ndjson"));
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| Error::Internal(format!("export file: {e}")))?;
        files.push((t.clone(), path, std::io::BufWriter::new(file), 0_u64));
    }
    let mut after = 0_i64;
    while let Some((resources, last)) = super::export::page_resources(db, job.scope, base, after).await? {
        for resource in resources {
            let kind = resource["resourceType"].as_str().unwrap_or_default().to_owned();
            if let Some((_, _, w, count)) = files.iter_mut().find(|(t, ..)| *t == kind) {
                serde_json::to_writer(&mut *w, &resource).map_err(|_| Error::Internal("resource did not serialise".into()))?;
                w.write_all(b"\n").map_err(|e| Error::Internal(format!("export file: {e}")))?;
                *count += 1;
            }
        }
        after = last;
    }
    let mut out = Vec::new();
    for (t, path, mut w, count) in files {
        w.flush().map_err(|e| Error::Internal(format!("export file: {e}")))?;
        out.push((t, path, count));
    }
    Ok(out)
}

/// The manifest of a finished job; `file_url` gives each file's URL.
pub fn manifest(job: &Job, files: &[(String, PathBuf, u64)], file_url: impl Fn(&str) -> String) -> Value {
    json!({
        "transactionTime": job.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "request": job.request,
        "requiresAccessToken": true,
        "output": files.iter().map(|(t, _, count)| json!({ "type": t, "url": file_url(t), "count": count })).collect::<Vec<_>>(),
        "error": [],
    })
}
