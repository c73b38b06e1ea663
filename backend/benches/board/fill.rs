//! Filling the today-board benchmark's database. The centres and their admins go
//! through the real code (`cli::create_centre`); cases, patient accounts, reports and
//! handlings are then written straight into the file with rusqlite, in large
//! transactions without a journal, because a million-row fill through the API would
//! take hours. The rows are those the server itself writes:
//!
//! - cases registered in order over the last `days` days (period start = the day of
//!   registration; 10 days for infected, 14 for close contacts and people awaiting a
//!   result), spread at random over the centres with exactly `big` in the first one;
//!   realistic names with readings, birth dates, mobile numbers, an e-mail for some, a
//!   7-digit input ID unique over the whole file, app observation for 90 % and the
//!   morning call for 10 %;
//! - cases whose period ended more than two days ago are closed (`active = 0`) with 80 %
//!   probability, and 0.5 % of those under observation were closed early;
//! - 93 % of app cases registered a patient account (one `patients` row), the others
//!   never report; from the first day (the second for 30 % of app users) each person
//!   reports on 96 % of days (60 % for one in seven; on the day itself, by 13:00, 90 % of
//!   that), 3 % of days twice, saved on the phone between 07:00 and 12:00 in Japan and
//!   received within seconds, or hours later for 7 % (phones offline: such a report may
//!   arrive the next day, after a newer one); a report that would arrive after "now" is
//!   not on the server yet and is left out;
//! - temperature around a personal baseline, a fever for the first days of 45 % of
//!   infected people and sporadically for anyone; answers mostly "no", with coughs,
//!   fatigue and rarer urgent symptoms; the advice is `protocol::triage` of the report,
//!   as report sync computes it;
//! - every case's row holds what report sync keeps on it, by receipt, never by the
//!   phone's clock: the `last_*` columns its latest report received (then by the phone's
//!   day and time), `last_received_on` the day in Japan it was received, `fever_on` the
//!   day in Japan of receipt of its latest fever report (≥ 37.5 °C) and `fever_tenths`
//!   the highest temperature received that day;
//! - staff handled every "call now" report received more than two hours before "now":
//!   one `handlings` row per case, by its centre's admin, with a note and no contact,
//!   30–90 minutes after the latest report it covers, and a `handled_reports` row for
//!   each report covered (in life there would be one handling per call; the board reads
//!   only whether a report is covered, when and by whom). The newer ones wait:
//!   `urgent_since` is the receipt of the oldest waiting one, and the urgent list holds
//!   the active cases with one received in the last two hours, whatever their period.
//!
//! [`verify`] recomputes those columns from the reports and handlings, as migration
//! 0003 does, for a sample of cases.

use backend::cli::{CentreSetup, create_centre};
use backend::db::Db;
use backend::password::HashCost;
use backend::secret::Secret;
use chrono::{DateTime, Duration, NaiveDate};
use protocol::{AdviceLevel, Answer, Answers, DailyReport, Kind, Temperature, triage};
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rusqlite::{Connection, params};
use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

/// Sizes of a fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    pub cases: i64,
    pub big: i64,
    pub centres: i64,
    pub days: i64,
}

/// What a finished fill left in its file (table `bench_board_fill`).
#[derive(Debug, Clone)]
pub struct Fill {
    pub sizes: Sizes,
    pub reports: i64,
    /// Handlings, and the "call now" reports they cover.
    pub handlings: i64,
    pub handled: i64,
    pub fill_secs: f64,
    pub big_centre_id: i64,
    pub admin_email: String,
}

/// Version of what a fill writes, kept in its file: a file of another version is not reused.
const VERSION: i64 = 2;

/// A "call now" report received more than this long before "now" has been handled.
const HANDLED_AFTER_MS: i64 = 2 * 3_600_000;

/// Notes staff leave when they mark urgent reports handled.
const NOTES: [&str; 4] = ["電話で確認", "本人と通話、経過観察", "受診先を案内済み", "家族と通話、症状落ち着いている"];

/// Password of every centre admin the fill creates.
pub const ADMIN_PASSWORD: &str = "Bench-Admin-2026";

const PLACES: [&str; 20] = [
    "千代田", "港", "新宿", "文京", "台東", "墨田", "江東", "品川", "目黒", "大田", "世田谷", "渋谷", "中野", "杉並", "豊島", "北", "荒川", "板橋",
    "練馬", "足立",
];

const FAMILY: [(&str, &str); 30] = [
    ("佐藤", "さとう"), ("鈴木", "すずき"), ("高橋", "たかはし"), ("田中", "たなか"), ("伊藤", "いとう"), ("渡辺", "わたなべ"),
    ("山本", "やまもと"), ("中村", "なかむら"), ("小林", "こばやし"), ("加藤", "かとう"), ("吉田", "よしだ"), ("山田", "やまだ"),
    ("佐々木", "ささき"), ("山口", "やまぐち"), ("松本", "まつもと"), ("井上", "いのうえ"), ("木村", "きむら"), ("林", "はやし"),
    ("斎藤", "さいとう"), ("清水", "しみず"), ("山崎", "やまざき"), ("森", "もり"), ("池田", "いけだ"), ("橋本", "はしもと"),
    ("阿部", "あべ"), ("石川", "いしかわ"), ("山下", "やました"), ("中島", "なかじま"), ("石井", "いしい"), ("小川", "おがわ"),
];

const GIVEN: [(&str, &str); 30] = [
    ("太郎", "たろう"), ("花子", "はなこ"), ("一郎", "いちろう"), ("美咲", "みさき"), ("健太", "けんた"), ("由美", "ゆみ"),
    ("翔太", "しょうた"), ("陽菜", "ひな"), ("大輔", "だいすけ"), ("愛", "あい"), ("蓮", "れん"), ("結衣", "ゆい"),
    ("誠", "まこと"), ("恵子", "けいこ"), ("浩", "ひろし"), ("幸子", "さちこ"), ("悠真", "ゆうま"), ("さくら", "さくら"),
    ("拓也", "たくや"), ("真由美", "まゆみ"), ("隆", "たかし"), ("明美", "あけみ"), ("湊", "みなと"), ("葵", "あおい"),
    ("清", "きよし"), ("和子", "かずこ"), ("直樹", "なおき"), ("裕子", "ゆうこ"), ("大翔", "ひろと"), ("芽依", "めい"),
];

/// Milliseconds since the epoch of `secs` seconds into day `d` in Japan.
pub fn jst_ms(d: NaiveDate, secs: i64) -> i64 {
    d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp_millis() - 9 * 3_600_000 + secs * 1000
}

/// The day in Japan of an instant in milliseconds since the epoch.
fn jst_day(ms: i64) -> NaiveDate {
    backend::web::today(DateTime::from_timestamp_millis(ms).expect("time in range"))
}

/// The fill recorded in the file at `path`, if it holds a finished one of this version.
pub fn read(path: &Path) -> Option<Fill> {
    let c = Connection::open(path).ok()?;
    c.query_row(
        "SELECT cases, big, centres, days, reports, fill_ms, big_centre_id, admin_email, handlings, handled FROM bench_board_fill WHERE version = ?1",
        [VERSION],
        |r| {
            Ok(Fill {
                sizes: Sizes { cases: r.get(0)?, big: r.get(1)?, centres: r.get(2)?, days: r.get(3)? },
                reports: r.get(4)?,
                fill_secs: r.get::<_, i64>(5)? as f64 / 1000.0,
                big_centre_id: r.get(6)?,
                admin_email: r.get(7)?,
                handlings: r.get(8)?,
                handled: r.get(9)?,
            })
        },
    )
    .ok()
}

/// Fills a new database file at `path` for `today`, with "now" at `now_ms`.
pub async fn fill(path: &Path, sizes: Sizes, today: NaiveDate, now_ms: i64) -> Fill {
    let t0 = Instant::now();
    let db = Db::open(&backend::DatabaseUrl::Sqlite(path.to_owned())).await.expect("open database");
    // Each centre's id and its admin's staff id (who handles its urgent reports).
    let mut centres = Vec::new();
    let mut admin_email = String::new();
    for c in 0..sizes.centres {
        let email = format!("admin{c}@hokenjo{c}.example.jp");
        let place = PLACES[c as usize % PLACES.len()];
        let setup = CentreSetup {
            name: if c < PLACES.len() as i64 { format!("{place}保健所") } else { format!("{place}第{}保健所", c / PLACES.len() as i64 + 1) },
            emergency_number: format!("03-{:04}-{:04}", 3000 + c, 1000 + c),
            jurisdiction_code: format!("13{:04}", 100 + c),
            admin_email: email.clone(),
            admin_name: format!("管理者{c}"),
            admin_password: Secret::new(ADMIN_PASSWORD.into()),
        };
        let (centre, admin_id) = create_centre(&db, setup, HashCost::TEST_ONLY).await.expect("create centre");
        if c == 0 {
            admin_email = email;
        }
        centres.push((centre.id, admin_id));
    }
    let big_centre_id = centres[0].0;
    // One patient password hash for everyone: hashing a million passwords proves nothing.
    let password_hash = backend::password::hash("Patient-Pass-2026", HashCost::TEST_ONLY).expect("hash");
    drop(db);
    // The store's connections close with it; its checkpoint thread within 200 ms.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let path = path.to_owned();
    let made = tokio::task::spawn_blocking(move || bulk(&path, sizes, &centres, &password_hash, today, now_ms, t0)).await.expect("fill task");
    Fill { sizes, reports: made.reports, handlings: made.handlings, handled: made.handled, fill_secs: t0.elapsed().as_secs_f64(), big_centre_id, admin_email }
}

fn bulk(path: &Path, sizes: Sizes, centres: &[(i64, i64)], password_hash: &str, today: NaiveDate, now_ms: i64, t0: Instant) -> Made {
    let mut c = Connection::open(path).expect("open for the fill");
    c.query_row("PRAGMA journal_mode=OFF", [], |_| Ok(())).expect("journal off");
    c.execute_batch("PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-4000000; PRAGMA foreign_keys=OFF;").expect("pragmas");
    let mut rng = SmallRng::seed_from_u64(20_300_614);
    let n = sizes.cases as usize;
    // Which centre each case (in registration order) belongs to: exactly `big` in the first.
    let mut owner: Vec<u32> = Vec::with_capacity(n);
    owner.extend(std::iter::repeat_n(0, sizes.big as usize));
    let others = (centres.len() - 1).max(1) as u32;
    owner.extend((0..n - sizes.big as usize).map(|k| 1 + k as u32 % others));
    owner.shuffle(&mut rng);
    let mut input_ids = HashSet::with_capacity(n);
    let first_day = today - Duration::days(sizes.days - 1);
    let mut maker = Gen { rng, today, now_ms, made: Made::default() };
    const CHUNK: usize = 50_000;
    for chunk_start in (0..n).step_by(CHUNK) {
        let tx = c.transaction().expect("transaction");
        {
            let mut ins_case = tx
                .prepare(
                    "INSERT INTO cases (id, centre_id, name, name_reading, date_of_birth, phone, email, kind, observation, period_start, \
                     period_end, input_id, active, created_at, last_local_date, last_recorded_at, last_received_at, \
                     last_temperature_tenths, last_advice, last_received_on, fever_on, fever_tenths, urgent_since) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)",
                )
                .expect("prepare");
            let mut ins_report = tx
                .prepare(
                    "INSERT INTO reports (id, case_id, local_date, kind, temperature_tenths, answers, recorded_at, advice, received_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .expect("prepare");
            let mut ins_patient =
                tx.prepare("INSERT INTO patients (email, password_hash, case_id, created_at) VALUES (?1, ?2, ?3, ?4)").expect("prepare");
            let mut ins_handling =
                tx.prepare("INSERT INTO handlings (id, case_id, staff_id, at, note, contact_id) VALUES (?1, ?2, ?3, ?4, ?5, NULL)").expect("prepare");
            let mut ins_handled = tx.prepare("INSERT INTO handled_reports (report_id, handling_id) VALUES (?1, ?2)").expect("prepare");
            for i in chunk_start..(chunk_start + CHUNK).min(n) {
                let id = i as i64 + 1;
                let start = first_day + Duration::days(i as i64 * sizes.days / n as i64);
                let case = maker.case(id, start, &mut input_ids);
                let created_ms = jst_ms(start, maker.rng.random_range(8 * 3600..17 * 3600)).min(now_ms - 60_000);
                let row = maker.reports(&case, &mut ins_report, &mut ins_patient, password_hash, created_ms);
                let (centre_id, admin_id) = centres[owner[i] as usize];
                let urgent_since = maker.handle(id, admin_id, row.call_now, &mut ins_handling, &mut ins_handled);
                let (ld, lrec, lrecv, lt, la, lon) = match row.last {
                    Some(l) => (Some(l.date.to_string()), Some(l.recorded), Some(l.received), Some(l.tenths), Some(l.advice), Some(jst_day(l.received).to_string())),
                    None => (None, None, None, None, None, None),
                };
                let (fever_on, fever_tenths) = row.fever.map_or((None, None), |(d, t)| (Some(d.to_string()), Some(t)));
                ins_case
                    .execute(params![
                        id,
                        centre_id,
                        case.name,
                        case.reading,
                        case.dob.to_string(),
                        case.phone,
                        case.email,
                        case.kind.as_str(),
                        if case.app { "app" } else { "phone" },
                        case.start.to_string(),
                        case.end.to_string(),
                        case.input_id,
                        case.active,
                        created_ms,
                        ld,
                        lrec,
                        lrecv,
                        lt,
                        la,
                        lon,
                        fever_on,
                        fever_tenths,
                        urgent_since
                    ])
                    .expect("insert case");
            }
        }
        tx.commit().expect("commit");
        let done = (chunk_start + CHUNK).min(n);
        eprintln!("  filled {done} / {n} cases, {} reports ({:.0} s)", maker.made.reports, t0.elapsed().as_secs_f64());
    }
    c.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(())).expect("back to WAL");
    maker.made
}

/// Writes the record of a finished fill into its file.
pub fn record(path: &Path, f: &Fill) {
    let c = Connection::open(path).expect("open");
    c.execute_batch(
        "CREATE TABLE bench_board_fill (version INTEGER, cases INTEGER, big INTEGER, centres INTEGER, days INTEGER, reports INTEGER, \
         fill_ms INTEGER, big_centre_id INTEGER, admin_email TEXT, handlings INTEGER, handled INTEGER)",
    )
    .expect("fill table");
    c.execute(
        "INSERT INTO bench_board_fill VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            VERSION,
            f.sizes.cases,
            f.sizes.big,
            f.sizes.centres,
            f.sizes.days,
            f.reports,
            (f.fill_secs * 1000.0) as i64,
            f.big_centre_id,
            f.admin_email,
            f.handlings,
            f.handled
        ],
    )
    .expect("fill row");
}

/// Recomputes, for every `every`-th case, what report sync and handling keep on its row
/// from its reports and handlings (the formulas of migration 0003), and checks that each
/// handled report is a "call now" report of the case received before its handling, which
/// was done before `now_ms` by staff of the case's centre. Returns how many cases it
/// checked and the ids of those that differ.
pub fn verify(path: &Path, every: usize, now_ms: i64) -> (usize, Vec<i64>) {
    let c = Connection::open(path).expect("open");
    let latest = |col: &str| {
        format!("(SELECT r.{col} FROM reports r WHERE r.case_id = c.id ORDER BY r.received_at DESC, r.local_date DESC, r.recorded_at DESC LIMIT 1)")
    };
    let jst = |ms: &str| format!("date({ms} / 1000, 'unixepoch', '+9 hours')");
    let sql = format!(
        "SELECT c.last_received_at IS {} AND c.last_local_date IS {} AND c.last_recorded_at IS {} \
         AND c.last_temperature_tenths IS {} AND c.last_advice IS {} AND c.last_received_on IS {} \
         AND c.fever_on IS (SELECT max({}) FROM reports r WHERE r.case_id = c.id AND r.temperature_tenths >= {fever}) \
         AND c.fever_tenths IS (SELECT max(r.temperature_tenths) FROM reports r WHERE r.case_id = c.id \
             AND r.temperature_tenths >= {fever} AND {} = c.fever_on) \
         AND c.urgent_since IS (SELECT min(r.received_at) FROM reports r WHERE r.case_id = c.id AND r.advice = 'call_now' \
             AND NOT EXISTS (SELECT 1 FROM handled_reports hr WHERE hr.report_id = r.id)) \
         AND NOT EXISTS (SELECT 1 FROM reports r JOIN handled_reports hr ON hr.report_id = r.id JOIN handlings h ON h.id = hr.handling_id \
             WHERE r.case_id = c.id AND (h.case_id <> c.id OR r.advice <> 'call_now' OR r.received_at > h.at OR h.at > ?2 \
             OR NOT EXISTS (SELECT 1 FROM staff st WHERE st.id = h.staff_id AND st.centre_id = c.centre_id AND st.name <> ''))) \
         FROM cases c WHERE c.id = ?1",
        latest("received_at"),
        latest("local_date"),
        latest("recorded_at"),
        latest("temperature_tenths"),
        latest("advice"),
        jst(&latest("received_at")),
        jst("r.received_at"),
        jst("r.received_at"),
        fever = Temperature::FEVER_TENTHS
    );
    let mut stmt = c.prepare(&sql).expect("prepare");
    let cases = c.query_row("SELECT max(id) FROM cases", [], |r| r.get::<_, Option<i64>>(0)).expect("cases").unwrap_or(0);
    let ids: Vec<i64> = (1..=cases).step_by(every.max(1)).collect();
    let wrong = ids.iter().copied().filter(|id| !stmt.query_row(params![id, now_ms], |r| r.get::<_, bool>(0)).expect("verify case")).collect();
    (ids.len(), wrong)
}

struct Case {
    id: i64,
    name: String,
    reading: String,
    dob: NaiveDate,
    phone: String,
    email: Option<String>,
    kind: Kind,
    app: bool,
    start: NaiveDate,
    end: NaiveDate,
    input_id: String,
    active: bool,
}

struct Last {
    date: NaiveDate,
    recorded: i64,
    received: i64,
    tenths: u16,
    advice: &'static str,
}

/// What a case's reports leave on its row, as report sync keeps it.
#[derive(Default)]
struct CaseRow {
    /// The latest report received.
    last: Option<Last>,
    /// The day in Japan of receipt of the latest fever report, and the highest
    /// temperature received that day.
    fever: Option<(NaiveDate, u16)>,
    /// "Call now" reports: receipt and id.
    call_now: Vec<(i64, [u8; 16])>,
}

/// Rows written besides the cases.
#[derive(Debug, Default)]
struct Made {
    reports: i64,
    handlings: i64,
    handled: i64,
}

struct Gen {
    rng: SmallRng,
    today: NaiveDate,
    now_ms: i64,
    made: Made,
}

impl Gen {
    fn case(&mut self, id: i64, start: NaiveDate, input_ids: &mut HashSet<u32>) -> Case {
        let r = &mut self.rng;
        let (family, family_reading) = FAMILY[r.random_range(0..FAMILY.len())];
        let (given, given_reading) = GIVEN[r.random_range(0..GIVEN.len())];
        let kind = match r.random_range(0..100) {
            0..55 => Kind::Infected,
            55..90 => Kind::CloseContact,
            _ => Kind::AwaitingResult,
        };
        let end = start + Duration::days(if kind == Kind::Infected { 9 } else { 13 });
        let active = if end < self.today - Duration::days(2) { r.random_bool(0.2) } else { !r.random_bool(0.005) };
        let input_id = loop {
            let v = r.random_range(0..10_000_000u32);
            if input_ids.insert(v) {
                break format!("{v:07}");
            }
        };
        Case {
            id,
            name: format!("{family} {given}"),
            reading: format!("{family_reading} {given_reading}"),
            dob: NaiveDate::from_ymd_opt(1935, 1, 1).unwrap() + Duration::days(r.random_range(0..32_000)),
            phone: format!("{}{:08}", ["090", "080", "070"][r.random_range(0..3)], r.random_range(0..100_000_000u32)),
            email: r.random_bool(0.4).then(|| format!("case{id}@example.jp")),
            kind,
            app: !r.random_bool(0.1),
            start,
            end,
            input_id,
            active,
        }
    }

    /// Inserts the case's patient account and reports; returns what they leave on the case row.
    fn reports(&mut self, case: &Case, ins: &mut rusqlite::Statement<'_>, ins_patient: &mut rusqlite::Statement<'_>, hash: &str, created_ms: i64) -> CaseRow {
        let mut row = CaseRow::default();
        let mut first = case.start;
        if case.app {
            if !self.rng.random_bool(0.93) {
                return row;
            }
            let registered_ms = created_ms + self.rng.random_range(600_000..6 * 3_600_000);
            if registered_ms > self.now_ms {
                return row;
            }
            ins_patient.execute(params![format!("patient{}@example.jp", case.id), hash, case.id, registered_ms]).expect("insert patient");
            if self.rng.random_bool(0.3) {
                first += Duration::days(1);
            }
        }
        let reliability = if self.rng.random_bool(6.0 / 7.0) { 0.96 } else { 0.6 };
        let fever_until = (case.kind == Kind::Infected && self.rng.random_bool(0.45)).then(|| case.start + Duration::days(self.rng.random_range(0..4)));
        let baseline: i64 = self.rng.random_range(358..=368);
        let alone = self.rng.random_bool(0.05);
        let mut d = first;
        while d <= case.end.min(self.today) {
            let p = if d == self.today { reliability * 0.9 } else { reliability };
            if self.rng.random_bool(p) {
                let mut recorded = jst_ms(d, self.rng.random_range(7 * 3600..12 * 3600));
                for k in 0..if self.rng.random_bool(0.03) { 2 } else { 1 } {
                    if k == 1 {
                        recorded += self.rng.random_range(3600..5 * 3600) * 1000;
                    }
                    let received = if self.rng.random_bool(0.93) { recorded + self.rng.random_range(300..5000) } else { recorded + self.rng.random_range(3_600_000..20 * 3_600_000) };
                    if received > self.now_ms {
                        break;
                    }
                    let fever = fever_until.is_some_and(|f| d <= f);
                    let tenths = if fever {
                        self.rng.random_range(375..=392)
                    } else if self.rng.random_bool(0.02) {
                        self.rng.random_range(375..=380)
                    } else {
                        baseline + self.rng.random_range(-3..=3)
                    };
                    let temperature = Temperature::from_tenths(tenths).expect("temperature in range");
                    let answers = self.answers(case, d, alone);
                    let advice = triage(&DailyReport { kind: case.kind, temperature, answers }).level.as_str();
                    let id = uuid::Builder::from_random_bytes(self.rng.random()).into_uuid();
                    ins.execute(params![
                        id.as_bytes(),
                        case.id,
                        d.to_string(),
                        case.kind.as_str(),
                        temperature.tenths(),
                        answers.to_digits(),
                        recorded,
                        advice,
                        received
                    ])
                    .expect("insert report");
                    self.made.reports += 1;
                    // Latest by receipt, then by the phone's day and time (the order of one batch).
                    if row.last.as_ref().is_none_or(|l| (l.received, l.date, l.recorded) < (received, d, recorded)) {
                        row.last = Some(Last { date: d, recorded, received, tenths: temperature.tenths(), advice });
                    }
                    if temperature.is_fever() {
                        let on = jst_day(received);
                        row.fever = match row.fever {
                            Some((f, t)) if f == on => Some((on, t.max(temperature.tenths()))),
                            Some((f, t)) if f > on => Some((f, t)),
                            _ => Some((on, temperature.tenths())),
                        };
                    }
                    if advice == AdviceLevel::CallNow.as_str() {
                        row.call_now.push((received, *id.as_bytes()));
                    }
                }
            }
            d += Duration::days(1);
        }
        row
    }

    /// Staff handled the case's "call now" reports received more than [`HANDLED_AFTER_MS`]
    /// before now: one handling by the centre's admin after the latest of them, covering
    /// them all. Returns `urgent_since`: the receipt of the oldest one still waiting.
    fn handle(&mut self, case_id: i64, admin_id: i64, call_now: Vec<(i64, [u8; 16])>, ins: &mut rusqlite::Statement<'_>, ins_handled: &mut rusqlite::Statement<'_>) -> Option<i64> {
        let (handled, waiting): (Vec<_>, Vec<_>) = call_now.into_iter().partition(|(received, _)| *received < self.now_ms - HANDLED_AFTER_MS);
        if let Some(latest) = handled.iter().map(|(received, _)| *received).max() {
            self.made.handlings += 1;
            let id = self.made.handlings;
            let at = latest + self.rng.random_range(30..=90) * 60_000;
            ins.execute(params![id, case_id, admin_id, at, NOTES[self.rng.random_range(0..NOTES.len())]]).expect("insert handling");
            for (_, report) in &handled {
                ins_handled.execute(params![&report[..], id]).expect("insert handled report");
            }
            self.made.handled += handled.len() as i64;
        }
        waiting.iter().map(|(received, _)| *received).min()
    }

    fn answers(&mut self, case: &Case, d: NaiveDate, alone: bool) -> Answers {
        let r = &mut self.rng;
        let early = d < case.start + Duration::days(5);
        let infected = case.kind == Kind::Infected;
        let cough = match case.kind {
            Kind::Infected if early => 0.3,
            Kind::Infected => 0.08,
            Kind::CloseContact => 0.02,
            Kind::AwaitingResult => 0.1,
        };
        let face = yes(r, 0.003);
        let cough = yes(r, cough);
        let breath = if r.random_bool(0.002) { Answer::Unknown } else { yes(r, if infected { 0.008 } else { 0.002 }) };
        let fatigue = yes(r, if infected { 0.15 } else { 0.03 });
        let nausea = yes(r, 0.02);
        let diarrhoea = yes(r, 0.02);
        let consciousness = if alone { Answer::Unknown } else { yes(r, 0.001) };
        let eating = yes(r, 0.03);
        let urination = yes(r, 0.005);
        Answers::new([face, cough, breath, fatigue, nausea, diarrhoea, consciousness, eating, urination])
    }
}

fn yes(r: &mut SmallRng, p: f64) -> Answer {
    if r.random_bool(p) { Answer::Yes } else { Answer::No }
}
