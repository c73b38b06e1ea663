//! The command-line jobs besides serving: creating the first health centre with its
//! admin, registering a case, and filling a database with demo data. All go through the same data-layer
//! operations as the API.

use crate::db::{CaseRecord, Centre, CentreScope, Completion, ContactOutcome, Db, NewCase, NewContact, NewCentre, NewStaff, Observation, Registration, Role};
use crate::error::{Error, Result};
use crate::ingest::{JobInput, JobOutcome, prepare, WireReport};
use crate::password::{self, HashCost};
use crate::secret::{Secret, code_hash, new_token, random_digits, token_hash};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use protocol::Kind;
use uuid::Uuid;

/// What `create-centre` needs.
#[derive(Debug, Clone)]
pub struct CentreSetup {
    /// Centre name.
    pub name: String,
    /// Emergency number.
    pub emergency_number: String,
    /// Jurisdiction code.
    pub jurisdiction_code: String,
    /// Admin login e-mail.
    pub admin_email: String,
    /// Admin display name.
    pub admin_name: String,
    /// Admin password.
    pub admin_password: Secret<String>,
}

/// Creates a centre and its first admin; the password must pass the strength rule.
pub async fn create_centre(db: &Db, s: CentreSetup, cost: HashCost) -> Result<(Centre, i64)> {
    let email = crate::normalize::email(&s.admin_email).ok_or_else(|| Error::Internal("the admin e-mail address is not valid".into()))?;
    let blank = |v: &str| v.trim().is_empty();
    if blank(&s.name) || blank(&s.emergency_number) || blank(&s.jurisdiction_code) || blank(&s.admin_name) {
        return Err(Error::Internal("name, emergency number, jurisdiction code and admin name must not be empty".into()));
    }
    password::check_strength(s.admin_password.expose(), &email).map_err(|w| {
        Error::Internal(format!("the admin password is refused: {}", w.text().en))
    })?;
    let password_hash = password::hash_async(s.admin_password.expose().clone(), cost).await?;
    let centre = NewCentre { name: s.name.trim().into(), emergency_number: s.emergency_number.trim().into(), jurisdiction_code: s.jurisdiction_code.trim().into() };
    db.create_centre_with_admin(centre, NewStaff { email, name: s.admin_name.trim().into(), role: Role::Admin, password_hash }, Utc::now()).await
}

/// Registers a case at centre `centre_id` with the API's checks and issues its input ID.
pub async fn create_case(db: &Db, centre_id: i64, request: crate::http::cases::CaseRequest) -> Result<CaseRecord> {
    let scope = CentreScope::new(centre_id);
    if db.centre(scope).await?.is_none() {
        return Err(Error::Internal(format!("there is no health centre with id {centre_id}")));
    }
    let case = crate::http::cases::validate(request)
        .map_err(|e| Error::Internal(format!("the case is refused: {}", e.message.en)))?;
    crate::http::cases::register(db, scope, case, Utc::now()).await
}

/// Registers a patient account for `case` directly in the database (the same steps the
/// registration API takes) and returns a session token. For the demo and benchmarks.
pub async fn seed_patient(db: &Db, case: &CaseRecord, email: &str, password_hash: &str) -> Result<Secret<String>> {
    let now = Utc::now();
    let id = Uuid::new_v4();
    let code = random_digits(6);
    let reg = Registration::pending(id, email.to_owned(), code_hash(&id, code.expose()), now, now + Duration::minutes(10));
    db.create_registration(reg).await?;
    db.mark_verified(id, &token_hash(new_token().expose()), now + Duration::minutes(30)).await?;
    db.set_registration_password(id, password_hash).await?;
    let token = new_token();
    match db.complete_registration(id, case.id, &token_hash(token.expose()), now, now + Duration::days(180)).await? {
        Completion::Linked(_) => Ok(token),
        other => Err(Error::Internal(format!("seeding a patient failed: {other:?}"))),
    }
}

/// A case for demos and benchmarks, observed from `start` for 10 days.
pub fn sample_case(i: usize, start: NaiveDate) -> NewCase {
    const FAMILY: [&str; 6] = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤"];
    const GIVEN: [&str; 6] = ["太郎", "花子", "一郎", "美咲", "健太", "由美"];
    const READ_FAMILY: [&str; 6] = ["やまだ", "さとう", "すずき", "たかはし", "たなか", "いとう"];
    const READ_GIVEN: [&str; 6] = ["たろう", "はなこ", "いちろう", "みさき", "けんた", "ゆみ"];
    NewCase {
        name: format!("{} {}", FAMILY[i % 6], GIVEN[(i / 6) % 6]),
        name_reading: format!("{} {}", READ_FAMILY[i % 6], READ_GIVEN[(i / 6) % 6]),
        date_of_birth: NaiveDate::from_ymd_opt(1950 + (i % 60) as i32, 1 + (i % 12) as u32, 1 + (i % 28) as u32).unwrap_or(start),
        phone: format!("090{:08}", i),
        email: None,
        kind: [Kind::Infected, Kind::CloseContact, Kind::AwaitingResult][i % 3],
        observation: if i % 4 == 3 { Observation::Phone } else { Observation::App },
        period_start: start,
        period_end: start + Duration::days(9),
    }
}

/// Inserts a case, retrying input IDs until a free one is found.
pub async fn insert_case(db: &Db, scope: CentreScope, case: NewCase) -> Result<CaseRecord> {
    for _ in 0..20 {
        let input_id = random_digits(crate::http::cases::INPUT_ID_DIGITS);
        if let Some(record) = db.insert_case(scope, case.clone(), input_id.expose(), Utc::now()).await? {
            return Ok(record);
        }
    }
    Err(Error::Internal("no free smartphone input ID".into()))
}

/// What one demo case shows on the today board: its kind, how it is observed, whether
/// the patient registered the app, its reports as (days before today, temperature in
/// tenths, answers), and the day (days before today) after whose reports staff phoned
/// and reached the person.
struct DemoCase {
    kind: Kind,
    observation: Observation,
    registered: bool,
    reports: &'static [(i64, i64, [i64; 9])],
    reached_after: Option<i64>,
}

const WELL: [i64; 9] = [2; 9];
const BREATHLESS: [i64; 9] = [2, 2, 1, 2, 2, 2, 2, 2, 2];
const COUGH: [i64; 9] = [2, 1, 2, 2, 2, 2, 2, 2, 2];

/// One centre's demo cases: well, feverish, urgent, reported only until yesterday,
/// registered but silent, not yet registered, observed by phone, a close contact with a
/// cough (which the rules send to the emergency number), someone urgent yesterday whom
/// staff reached, and someone urgent this morning whose later harmless report does not
/// clear it.
const DEMO_CASES: [DemoCase; 10] = [
    DemoCase { kind: Kind::Infected, observation: Observation::App, registered: true,
        reports: &[(4, 366, WELL), (3, 368, WELL), (2, 371, COUGH), (1, 369, WELL), (0, 365, WELL)], reached_after: None },
    DemoCase { kind: Kind::Infected, observation: Observation::App, registered: true,
        reports: &[(3, 369, WELL), (2, 374, COUGH), (1, 379, COUGH), (0, 382, COUGH)], reached_after: None },
    DemoCase { kind: Kind::AwaitingResult, observation: Observation::App, registered: true,
        reports: &[(2, 372, WELL), (1, 376, COUGH), (0, 378, BREATHLESS)], reached_after: None },
    DemoCase { kind: Kind::Infected, observation: Observation::App, registered: true,
        reports: &[(4, 370, COUGH), (3, 368, WELL), (1, 367, WELL)], reached_after: None },
    DemoCase { kind: Kind::Infected, observation: Observation::App, registered: true, reports: &[], reached_after: None },
    DemoCase { kind: Kind::Infected, observation: Observation::App, registered: false, reports: &[], reached_after: None },
    DemoCase { kind: Kind::Infected, observation: Observation::Phone, registered: false, reports: &[], reached_after: None },
    DemoCase { kind: Kind::CloseContact, observation: Observation::App, registered: true, reports: &[(1, 364, WELL), (0, 366, COUGH)], reached_after: None },
    DemoCase { kind: Kind::Infected, observation: Observation::App, registered: true,
        reports: &[(2, 377, COUGH), (1, 380, BREATHLESS), (0, 369, WELL)], reached_after: Some(1) },
    DemoCase { kind: Kind::AwaitingResult, observation: Observation::App, registered: true,
        reports: &[(1, 368, WELL), (0, 372, BREATHLESS), (0, 365, WELL)], reached_after: None },
];

/// Demo data: two centres with an admin each and ten cases per centre observed from
/// four days ago, so that the today board (in Japan's day) has someone well, feverish,
/// urgent (waiting long enough to raise the alert) and unreported, an urgent report
/// handled by a phone contact, with a few days of history for the charts. Reports
/// arrive up to 90 minutes before `now`; in the first hour and a half of Japan's day
/// those times shrink into the part of the day gone by, so today's reports are still
/// received today (the half-hour alert may then not be up yet). Returns printable
/// lines.
pub async fn demo(db: &Db, cost: HashCost, now: DateTime<Utc>) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let today = crate::web::today(now);
    let into_day = (now.with_timezone(&crate::web::jst()).time() - NaiveTime::MIN).num_seconds();
    let before_now = |minutes: i64| Duration::seconds(if into_day < 95 * 60 { minutes * into_day / 95 } else { minutes * 60 });
    let start = today - Duration::days(4);
    let demo_password = "Mimamori-Demo-2026";
    let password_hash = password::hash_async(demo_password.to_owned(), cost).await?;
    let run = &Uuid::new_v4().simple().to_string()[..6];
    for (n, (name, number)) in [("みなと保健所", "03-0000-0001"), ("さくら保健所", "03-0000-0002")].into_iter().enumerate() {
        let admin_email = format!("admin{n}-{run}@demo.mimamori.invalid");
        let (centre, admin_id) = db
            .create_centre_with_admin(
                NewCentre { name: name.into(), emergency_number: number.into(), jurisdiction_code: format!("DEMO-{run}-{n}") },
                NewStaff { email: admin_email.clone(), name: format!("管理者{n}"), role: Role::Admin, password_hash: password_hash.clone() },
                now,
            )
            .await?;
        out.push(format!("centre {} (id {}): admin login {admin_email} / {demo_password}", centre.name, centre.id));
        let scope = CentreScope::new(centre.id);
        for (i, plan) in DEMO_CASES.iter().enumerate() {
            let case = NewCase { kind: plan.kind, observation: plan.observation, ..sample_case(n * DEMO_CASES.len() + i, start) };
            let case = insert_case(db, scope, case).await?;
            out.push(format!("  case {} kind {} input ID {}", case.id, case.kind.as_str(), case.input_id));
            if !plan.registered {
                continue;
            }
            let email = format!("patient{n}{i}-{run}@demo.mimamori.invalid");
            let token = seed_patient(db, &case, &email, &password_hash).await?;
            // Each day's reports arrive that day, 20 minutes apart, as from the phone.
            for (k, (back, tenths, answers)) in plan.reports.iter().enumerate() {
                let same_day_before = plan.reports[..k].iter().filter(|r| r.0 == *back).count() as i64;
                let received = now - Duration::days(*back) - before_now(90 - 5 * i as i64 - 20 * same_day_before);
                let item = prepare(&WireReport {
                    id: Uuid::new_v4().to_string(),
                    local_date: (today - Duration::days(*back)).to_string(),
                    kind: case.kind.as_str().into(),
                    temperature_tenths: *tenths,
                    answers: answers.to_vec(),
                    recorded_at: (received - Duration::minutes(2)).to_rfc3339(),
                    person: None,
                });
                let outcome = db.ingest(vec![JobInput { token_hash: token_hash(token.expose()), items: vec![item] }], received).await?;
                if !matches!(outcome.first(), Some(JobOutcome::Results(_))) {
                    return Err(Error::Internal("demo reports were not applied".into()));
                }
                let last_of_day = plan.reports[k + 1..].iter().all(|r| r.0 != *back);
                if plan.reached_after == Some(*back) && last_of_day {
                    let note = "電話で状態を確認し、受診先を案内した。".to_owned();
                    db.add_contact(scope, case.id, admin_id, NewContact { outcome: ContactOutcome::Reached, note, seen: None }, received + Duration::minutes(15)).await?;
                }
            }
            out.push(format!("    registered patient {email} / {demo_password} with {} reports", plan.reports.len()));
        }
    }
    Ok(out)
}
